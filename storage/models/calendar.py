"""The school's own holiday ranges (term breaks, INSET days): no reminder goes out on them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SchoolHoliday(Base):
    """An inclusive date range; ``school_id`` None means every school of this deployment."""

    __tablename__ = "school_holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    first_day: Mapped[date]
    last_day: Mapped[date]
    name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime]
