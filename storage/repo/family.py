"""Updates for the family: at most one draft per case, and the ones sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import FamilyUpdate


def new_draft(
    session: Session, *, case_id: int, text: str, drafted_by_id: int, now: datetime
) -> FamilyUpdate:
    """A fresh draft; an older unsent draft of the case is marked replaced."""
    old = current_draft(session, case_id=case_id)
    if old is not None:
        old.state = "replaced"
    update = FamilyUpdate(
        case_id=case_id, text=text, state="draft", drafted_by_id=drafted_by_id, drafted_at=now
    )
    session.add(update)
    session.flush()
    return update


def current_draft(session: Session, *, case_id: int) -> FamilyUpdate | None:
    return session.scalars(
        select(FamilyUpdate)
        .where(FamilyUpdate.case_id == case_id, FamilyUpdate.state == "draft")
        .order_by(FamilyUpdate.id.desc())
    ).first()


def last_sent(session: Session, *, case_id: int) -> FamilyUpdate | None:
    return session.scalars(
        select(FamilyUpdate)
        .where(FamilyUpdate.case_id == case_id, FamilyUpdate.state == "sent")
        .order_by(FamilyUpdate.sent_at.desc())
    ).first()


def get(session: Session, *, update_id: int) -> FamilyUpdate | None:
    return session.get(FamilyUpdate, update_id)
