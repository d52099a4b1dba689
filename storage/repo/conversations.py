"""Conversation references: remember where each person, room and workspace was last reached."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import ConversationRef


def get_ref(session: Session, *, platform: str, kind: str, key: str) -> ConversationRef | None:
    return session.scalars(
        select(ConversationRef).where(
            ConversationRef.platform == platform, ConversationRef.kind == kind, ConversationRef.key == key
        )
    ).one_or_none()


def save_ref(
    session: Session,
    *,
    platform: str,
    workspace: str,
    kind: str,
    key: str,
    now: datetime,
    reference: str | None = None,
    name: str = "",
    directory_id: str | None = None,
) -> ConversationRef:
    """Insert or update; empty values never overwrite what is already known.

    Two service instances meeting the same person at once both try to insert: the loser updates."""
    row = get_ref(session, platform=platform, kind=kind, key=key)
    if row is None:
        try:
            with session.begin_nested():
                row = ConversationRef(
                    platform=platform,
                    workspace=workspace,
                    kind=kind,
                    key=key,
                    reference=reference,
                    name=name,
                    directory_id=directory_id,
                    updated_at=now,
                )
                session.add(row)
            return row
        except IntegrityError:
            row = get_ref(session, platform=platform, kind=kind, key=key)
            if row is None:
                raise
    row.workspace = workspace or row.workspace
    row.reference = reference or row.reference
    row.name = name or row.name
    row.directory_id = directory_id or row.directory_id
    row.updated_at = now
    return row
