"""The school's SEN development priorities, and what specialists offer towards them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Priority(Base):
    __tablename__ = "priorities"
    __table_args__ = (UniqueConstraint("school_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]


class PriorityOffer(Base):
    """What one specialist says they can offer towards a priority."""

    __tablename__ = "priority_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priorities.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    text: Mapped[str] = mapped_column(Text)
    offered_at: Mapped[datetime]
