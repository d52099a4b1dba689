"""The service directory: replaced whole by a load, read per school (else the every-school directory)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import Service


def replace_directory(
    session: Session, *, school_id: int | None, services: Sequence[dict[str, Any]], now: datetime
) -> None:
    """The directory of ``school_id`` (None: every school) becomes exactly ``services``."""
    condition = Service.school_id.is_(None) if school_id is None else Service.school_id == school_id
    session.execute(delete(Service).where(condition))
    session.flush()
    for values in services:
        session.add(Service(school_id=school_id, loaded_at=now, **values))
    session.flush()


def shared(session: Session) -> Sequence[Service]:
    """The directory of every school (loaded without ``--school``)."""
    return session.scalars(select(Service).where(Service.school_id.is_(None)).order_by(Service.name)).all()


def directory(session: Session, *, school_id: int) -> Sequence[Service]:
    """The school's own directory if it has one, else the directory of every school; by name."""
    for condition in (Service.school_id == school_id, Service.school_id.is_(None)):
        found = session.scalars(select(Service).where(condition).order_by(Service.name)).all()
        if found:
            return found
    return []
