"""Updates for the family: a plain-language draft the key worker edits, then sends to parent-carers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class FamilyUpdate(Base):
    __tablename__ = "family_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="draft")  # draft | sent | replaced
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    drafted_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
