"""The school's service directory: who the team can refer to, their remit, wait and cost."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Service(Base):
    """One service of a school's directory, as loaded by `tacbot services load` (a reload replaces it).

    ``school_id`` None: the directory of every school of this deployment, for schools with none of their own.
    """

    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("school_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(160))
    scope: Mapped[str] = mapped_column(String(16))  # the consent scope that covers a referral
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    remit: Mapped[str] = mapped_column(Text)
    eligibility: Mapped[str] = mapped_column(Text)
    how_to_refer: Mapped[str] = mapped_column(Text)
    typical_wait_weeks: Mapped[int | None]
    cost: Mapped[str] = mapped_column(Text)
    beyond_casework: Mapped[str] = mapped_column(Text, default="")
    loaded_at: Mapped[datetime]
