"""Safeguarding concerns, apart from cases: numbered per school, read only through the DSL use cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Concern


def start(
    session: Session, *, school_id: int, raised_by_id: int, case_id: int | None, now: datetime
) -> Concern:
    """The person's unfinished concern (so `concern` twice keeps the draft), else a new one."""
    draft = session.scalars(
        select(Concern)
        .where(Concern.school_id == school_id, Concern.raised_by_id == raised_by_id, Concern.state == "draft")
        .order_by(Concern.id.desc())
    ).first()
    if draft is not None:
        if case_id is not None:
            draft.case_id = case_id
        return draft
    number = int(session.scalar(select(func.max(Concern.number)).where(Concern.school_id == school_id)) or 0)
    concern = Concern(
        school_id=school_id,
        number=number + 1,
        case_id=case_id,
        raised_by_id=raised_by_id,
        answers={},
        state="draft",
        started_at=now,
    )
    session.add(concern)
    session.flush()
    return concern


def get(session: Session, *, concern_id: int) -> Concern | None:
    return session.get(Concern, concern_id)


def by_number(session: Session, *, school_id: int, number: int) -> Concern | None:
    return session.scalars(
        select(Concern).where(Concern.school_id == school_id, Concern.number == number)
    ).one_or_none()


def raised(session: Session, *, school_id: int) -> Sequence[Concern]:
    """Every concern that was raised (not drafts), newest first."""
    return session.scalars(
        select(Concern)
        .where(Concern.school_id == school_id, Concern.state != "draft")
        .order_by(Concern.number.desc())
    ).all()
