"""Safeguarding concerns: kept apart from cases, read only by the school's Designated Safeguarding Leads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Concern(Base):
    """One concern. ``case_id`` is only where it was raised from (for the pupil's record); its answers
    never reach the case, its room or its audit detail. ``state``: draft, raised, acknowledged."""

    __tablename__ = "concerns"
    __table_args__ = (UniqueConstraint("school_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    number: Mapped[int]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    started_at: Mapped[datetime]
    raised_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    acknowledged_at: Mapped[datetime | None]
