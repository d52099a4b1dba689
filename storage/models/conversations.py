"""Where the bot can reach someone later: a platform's serialised conversation reference per person,
room and workspace (Teams needs one to send anything proactively)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ConversationRef(Base):
    """``kind`` is "user" (a person; ``reference`` is their 1:1 chat once known), "room" (a channel,
    thread or group chat) or "service" (the latest reference seen in a workspace, for its service URL)."""

    __tablename__ = "conversation_refs"
    __table_args__ = (UniqueConstraint("platform", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(255))
    directory_id: Mapped[str | None] = mapped_column(String(64))  # e.g. the Entra (AAD) object id
    name: Mapped[str] = mapped_column(String(200), default="")
    reference: Mapped[str | None] = mapped_column(Text)  # the platform's own JSON
    updated_at: Mapped[datetime]
