"""The example service directory, loaded for every school of a test's database."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.directory.load import EXAMPLE, read_directory, store_directory
from storage.engine import Database


def load_example(db: Database) -> None:
    with db.transaction() as s:
        store_directory(
            s,
            school_id=None,
            entries=read_directory(EXAMPLE),
            now=datetime(2026, 9, 1, tzinfo=UTC),
            by="tests",
        )
