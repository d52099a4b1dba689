"""The reminder queue's claim and lease statements: who sends which due row, and for how long.

A row is claimed by one atomic statement (PostgreSQL ``FOR UPDATE SKIP LOCKED``; SQLite's ``BEGIN
IMMEDIATE`` write lock around a conditional ``UPDATE ... WHERE state = 'pending'``) and only the claimant,
by its token, moves it on; a claim whose lease has run out may be taken by another worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Reminder, School


def claimable(now: datetime) -> ColumnElement[bool]:
    """Rows due by ``now`` and not claimed, or claimed with a lease that has run out."""
    return or_(
        and_(Reminder.state == "pending", Reminder.due_at <= now),
        and_(Reminder.state == "claimed", Reminder.lease_until < now),
    )


def claim(
    session: Session, *, token: str, now: datetime, lease: timedelta, limit: int, platforms: Sequence[str]
) -> list[int]:
    """Claim up to ``limit`` due rows (or rows whose lease expired) for ``token``; returns their ids.

    Two statements: select the candidates, locking them (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
    concurrent workers take disjoint rows; SQLite's ``BEGIN IMMEDIATE`` already serialises writers), then
    a conditional update of exactly those ids. Not one ``UPDATE ... WHERE id IN (SELECT ... LIMIT)``:
    PostgreSQL may re-run such a subquery and claim more than ``limit`` rows.
    """
    cond = claimable(now)
    ids = list(
        session.scalars(
            select(Reminder.id)
            .join(School, School.id == Reminder.school_id)
            .where(cond, School.platform.in_(platforms))
            .order_by(Reminder.due_at, Reminder.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=Reminder)
        )
    )
    if not ids:
        return []
    result = session.execute(
        update(Reminder)
        .where(Reminder.id.in_(ids), cond)
        .values(state="claimed", claim_token=token, lease_until=now + lease, attempts=Reminder.attempts + 1)
        .returning(Reminder.id),
        execution_options={"synchronize_session": False},
    )
    return [int(i) for i in result.scalars()]


def claimed(session: Session, *, token: str) -> list[Reminder]:
    """The rows ``token`` holds."""
    return list(
        session.scalars(select(Reminder).where(Reminder.claim_token == token, Reminder.state == "claimed"))
    )


def release(session: Session, *, token: str, ids: Sequence[int], state: str, **values: object) -> list[int]:
    """Move our own claimed rows to ``state`` (ending the lease); returns the ids that were still ours."""
    result = session.execute(
        update(Reminder)
        .where(Reminder.id.in_(ids), Reminder.claim_token == token, Reminder.state == "claimed")
        .values(state=state, lease_until=None, **values)
        .returning(Reminder.id),
        execution_options={"synchronize_session": False},
    )
    return [int(i) for i in result.scalars()]
