"""The audit trail: one append-only row for every change, read back for subject access."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
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


def events_for_case(session: Session, *, case_id: int) -> Sequence[AuditEvent]:
    return session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)
    ).all()
