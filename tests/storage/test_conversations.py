"""Conversation references: upserts that never forget what is known."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.engine import Database
from storage.repo import conversations

NOW = datetime(2026, 9, 14, 8, 30, tzinfo=UTC)


def test_save_ref_inserts_then_updates_without_erasing(db: Database) -> None:
    with db.transaction() as s:
        conversations.save_ref(
            s,
            platform="teams",
            workspace="t1",
            kind="user",
            key="29:1a",
            name="Anna",
            directory_id="aad-1",
            now=NOW,
        )
    later = NOW + timedelta(hours=1)
    with db.transaction() as s:
        row = conversations.save_ref(
            s, platform="teams", workspace="t1", kind="user", key="29:1a", reference="{}", now=later
        )
        assert (row.name, row.directory_id, row.reference, row.updated_at) == ("Anna", "aad-1", "{}", later)
    with db.transaction() as s:
        assert conversations.get_ref(s, platform="teams", kind="room", key="29:1a") is None
        assert conversations.get_ref(s, platform="slack", kind="user", key="29:1a") is None
