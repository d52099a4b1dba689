"""The stored overrides of the chasing policy: the all-schools row and each school's own row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.models import SchoolPolicy


def get_row(session: Session, *, school_id: int | None) -> SchoolPolicy | None:
    """The row of one school (None: the all-schools row), if any."""
    cond = SchoolPolicy.school_id.is_(None) if school_id is None else SchoolPolicy.school_id == school_id
    return session.scalars(select(SchoolPolicy).where(cond)).first()


def schools_with_overrides(session: Session) -> list[int]:
    """The schools that have settings of their own."""
    return [i for i in session.scalars(select(SchoolPolicy.school_id)) if i is not None]


def layers(session: Session, *, school_ids: Iterable[int]) -> dict[int | None, dict[str, Any]]:
    """The overrides of these schools and of all schools (key None), in one query; absent rows omitted."""
    ids = sorted(set(school_ids))
    query = select(SchoolPolicy.school_id, SchoolPolicy.overrides).where(
        or_(SchoolPolicy.school_id.is_(None), SchoolPolicy.school_id.in_(ids))
    )
    return {school_id: dict(overrides or {}) for school_id, overrides in session.execute(query)}


def set_overrides(
    session: Session, *, school_id: int | None, values: Mapping[str, Any], now: datetime, by: str
) -> SchoolPolicy:
    """Store ``values`` over the row's existing overrides (creating the row)."""
    row = get_row(session, school_id=school_id)
    if row is None:
        row = SchoolPolicy(school_id=school_id, overrides={}, updated_at=now, updated_by=by)
        session.add(row)
    row.overrides = {**(row.overrides or {}), **values}
    row.updated_at, row.updated_by = now, by
    session.flush()
    return row


def reset(
    session: Session, *, school_id: int | None, keys: Iterable[str] | None, now: datetime, by: str
) -> list[str]:
    """Drop the given overrides (None: all of them); returns the keys that were overridden."""
    row = get_row(session, school_id=school_id)
    if row is None:
        return []
    current = dict(row.overrides or {})
    dropped = sorted(current) if keys is None else sorted(k for k in set(keys) if k in current)
    row.overrides = {k: v for k, v in current.items() if k not in dropped}
    row.updated_at, row.updated_by = now, by
    session.flush()
    return dropped
