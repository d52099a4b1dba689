"""The durable reminder queue: one row per reminder, claimed, sent and marked exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base

STATES = ("pending", "claimed", "sent", "cancelled", "failed")


class Reminder(Base):
    """A reminder about a subject (an action, an input request, a review, a digest...) to one person.

    ``key`` is unique: kind, subject, recipient, policy step and the date it is anchored to, so the same
    reminder can never be queued twice. ``claim_token``/``lease_until`` belong to the worker sending it.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        Index("ix_reminders_state_due_at", "state", "due_at"),
        Index("ix_reminders_subject", "subject_kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int]
    recipient_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    step: Mapped[str] = mapped_column(String(40))
    anchor: Mapped[str] = mapped_column(String(32), default="")
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="pending")
    claim_token: Mapped[str | None] = mapped_column(String(40))
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
