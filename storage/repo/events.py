"""Handle each platform event once across every instance: a unique key per event, with a cheap expiry."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import SeenEvent


def first_time(session: Session, *, key: str, now: datetime, ttl: timedelta) -> bool:
    """True for the first claim of ``key`` within ``ttl``, False for every repeat (from any instance).

    Expired rows go first (an indexed range delete), then one ``INSERT ... ON CONFLICT DO NOTHING``:
    two instances inserting the same key at once are serialised by the unique key, and exactly one of
    them inserts the row.
    """
    session.execute(delete(SeenEvent).where(SeenEvent.expires_at <= now))
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(SeenEvent)
        .values(key=key, expires_at=now + ttl)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(SeenEvent.key)
    )
    return session.execute(statement).scalar_one_or_none() is not None
