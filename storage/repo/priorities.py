"""The school's SEN development priorities and specialists' offers towards them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Priority, PriorityOffer


def add_priority(
    session: Session, *, school_id: int, text: str, created_by_id: int, now: datetime
) -> Priority:
    number = int(
        session.scalar(select(func.max(Priority.number)).where(Priority.school_id == school_id)) or 0
    )
    priority = Priority(
        school_id=school_id, number=number + 1, text=text, created_by_id=created_by_id, created_at=now
    )
    session.add(priority)
    session.flush()
    return priority


def priorities(session: Session, *, school_id: int) -> Sequence[Priority]:
    return session.scalars(
        select(Priority).where(Priority.school_id == school_id).order_by(Priority.number)
    ).all()


def get_priority(session: Session, *, priority_id: int) -> Priority | None:
    return session.get(Priority, priority_id)


def add_offer(
    session: Session, *, priority_id: int, person_id: int, text: str, now: datetime
) -> PriorityOffer:
    offer = PriorityOffer(priority_id=priority_id, person_id=person_id, text=text, offered_at=now)
    session.add(offer)
    session.flush()
    return offer


def offers(session: Session, *, priority_ids: list[int]) -> Sequence[PriorityOffer]:
    if not priority_ids:
        return []
    return session.scalars(
        select(PriorityOffer).where(PriorityOffer.priority_id.in_(priority_ids)).order_by(PriorityOffer.id)
    ).all()
