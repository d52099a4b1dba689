"""Referrals of a case on to a service, and the states they move through."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Referral(Base):
    """Where to, why, when, by whom and the consent that covers it; ``state`` is its latest step."""

    __tablename__ = "referrals"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    number: Mapped[int]
    service_key: Mapped[str] = mapped_column(String(60))
    service_name: Mapped[str] = mapped_column(String(160))
    reason: Mapped[str | None] = mapped_column(Text)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"))
    made_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    made_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="recorded")
    state_at: Mapped[datetime]
    expected_wait_weeks: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
