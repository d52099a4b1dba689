"""Every read of case content by someone other than the key worker is audited: one cheap row per read,
written in the reading transaction (no extra round trip)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from handlers.access import CaseAccess
from storage import audit


def record_read(s: Session, acc: CaseAccess, *, what: str, now: datetime, **detail: Any) -> None:
    """`case.read` with what was read (``plan``, ``status``, ``input``...), unless the key worker read it."""
    if acc.is_key_worker:
        return
    audit.record(
        s,
        action="case.read",
        at=now,
        school_id=acc.case.school_id,
        case_id=acc.case.id,
        actor_id=acc.asker.person.id,
        what=what,
        **detail,
    )
