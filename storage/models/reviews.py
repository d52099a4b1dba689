"""Review meetings of a case: the date poll (slots and answers), the meeting, and what it decided."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Review(Base):
    """One review meeting: polled for (``polling``), fixed (``scheduled``), ``held`` or ``cancelled``.

    ``uid`` is the calendar UID every invitation for this meeting carries; ``sequence`` counts its moves.
    """

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime | None]
    duration_min: Mapped[int] = mapped_column(default=60)
    place: Mapped[str | None] = mapped_column(String(200))
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    sequence: Mapped[int] = mapped_column(default=0)
    poll_chased_at: Mapped[datetime | None]
    pack_posted_at: Mapped[datetime | None]
    attendee_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    decided: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ReviewSlot(Base):
    """A candidate date and time offered in a review's poll."""

    __tablename__ = "review_slots"
    __table_args__ = (UniqueConstraint("review_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    number: Mapped[int]
    starts_at: Mapped[datetime]


class ReviewAnswer(Base):
    """A member's latest answer for one slot: ``can``, ``cannot`` or ``maybe`` (changes overwrite)."""

    __tablename__ = "review_answers"
    __table_args__ = (UniqueConstraint("slot_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("review_slots.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    answer: Mapped[str] = mapped_column(String(8))
    answered_at: Mapped[datetime]
