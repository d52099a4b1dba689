"""Review meetings, the slots of their date polls, and members' answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Review, ReviewAnswer, ReviewSlot

OPEN = ("polling", "scheduled")


def create_review(
    session: Session,
    *,
    case_id: int,
    status: str,
    starts_at: datetime | None,
    place: str | None,
    uid: str,
    created_by_id: int,
    now: datetime,
) -> Review:
    number = int(session.scalar(select(func.max(Review.number)).where(Review.case_id == case_id)) or 0) + 1
    review = Review(
        case_id=case_id,
        number=number,
        status=status,
        starts_at=starts_at,
        place=place,
        uid=uid,
        sequence=0,
        duration_min=60,
        attendee_ids=[],
        created_by_id=created_by_id,
        created_at=now,
        updated_at=now,
    )
    session.add(review)
    session.flush()
    return review


def get_review(session: Session, *, review_id: int) -> Review | None:
    return session.get(Review, review_id)


def reviews(session: Session, *, case_id: int) -> Sequence[Review]:
    return session.scalars(select(Review).where(Review.case_id == case_id).order_by(Review.number)).all()


def current_review(session: Session, *, case_id: int) -> Review | None:
    """The case's review that is still to happen (being polled for, or fixed), if any."""
    return session.scalars(
        select(Review)
        .where(Review.case_id == case_id, Review.status.in_(OPEN))
        .order_by(Review.number.desc())
    ).first()


def scheduled_reviews(session: Session) -> Sequence[Review]:
    """Every fixed meeting still to be held, across schools (for the pre-meeting pack)."""
    return session.scalars(select(Review).where(Review.status == "scheduled").order_by(Review.id)).all()


def add_slot(session: Session, *, review_id: int, number: int, starts_at: datetime) -> ReviewSlot:
    slot = ReviewSlot(review_id=review_id, number=number, starts_at=starts_at)
    session.add(slot)
    session.flush()
    return slot


def slots(session: Session, *, review_id: int) -> Sequence[ReviewSlot]:
    return session.scalars(
        select(ReviewSlot).where(ReviewSlot.review_id == review_id).order_by(ReviewSlot.number)
    ).all()


def answers(session: Session, *, review_id: int) -> Sequence[ReviewAnswer]:
    return session.scalars(
        select(ReviewAnswer)
        .join(ReviewSlot, ReviewSlot.id == ReviewAnswer.slot_id)
        .where(ReviewSlot.review_id == review_id)
        .order_by(ReviewAnswer.id)
    ).all()


def set_answer(session: Session, *, slot_id: int, person_id: int, answer: str, now: datetime) -> str | None:
    """Record a member's answer for a slot, replacing an earlier one; returns the earlier answer."""
    row = session.scalars(
        select(ReviewAnswer).where(ReviewAnswer.slot_id == slot_id, ReviewAnswer.person_id == person_id)
    ).one_or_none()
    if row is None:
        session.add(ReviewAnswer(slot_id=slot_id, person_id=person_id, answer=answer, answered_at=now))
        session.flush()
        return None
    before, row.answer, row.answered_at = row.answer, answer, now
    session.flush()
    return before
