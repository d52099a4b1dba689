"""The audit trail: one append-only row for every change, read back for subject access."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.models import AuditEvent


def record(
    session: Session,
    *,
    action: str,
    at: datetime,
    school_id: int | None = None,
    case_id: int | None = None,
    actor_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    event = AuditEvent(
        school_id=school_id, case_id=case_id, actor_id=actor_id, action=action, detail=detail, at=at
    )
    session.add(event)
    return event


@dataclass(frozen=True, slots=True)
class Entry:
    """One audit row, for ``record_many``."""

    action: str
    at: datetime
    school_id: int | None = None
    case_id: int | None = None
    actor_id: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


def record_many(session: Session, entries: Sequence[Entry]) -> None:
    """Many rows in one statement (the reminder queue audits a whole batch of sends at once)."""
    if entries:
        session.execute(
            insert(AuditEvent),
            [
                {
                    "school_id": e.school_id,
                    "case_id": e.case_id,
                    "actor_id": e.actor_id,
                    "action": e.action,
                    "detail": dict(e.detail),
                    "at": e.at,
                }
                for e in entries
            ],
        )


def events_for_case(session: Session, *, case_id: int) -> Sequence[AuditEvent]:
    return session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)
    ).all()
