"""Someone in a case room who is not on its team, whom the platform would not take out (yet)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class RoomMismatch(Base):
    """Open until the room matches the team again (``resolved_at``): retried by the reconciling job."""

    __tablename__ = "room_mismatches"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(128))
    room_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(128))
    why: Mapped[str] = mapped_column(String(64))  # "joined by hand", "removed from the team"
    last_error: Mapped[str] = mapped_column(String(300), default="")
    attempts: Mapped[int] = mapped_column(default=1)
    found_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
