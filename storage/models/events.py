"""Platform events already handled (Slack retries an event it thinks was missed, maybe to another
instance): one row per event id, kept only until its expiry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SeenEvent(Base):
    """``key`` is ``<platform>:<event id>``; a row past ``expires_at`` counts for nothing and is swept."""

    __tablename__ = "seen_events"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
