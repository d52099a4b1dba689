"""A school's overrides of the chasing policy's defaults (``scheduler.policy``): ``tacbot policy``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SchoolPolicy(Base):
    """The overridden keys and their values; ``school_id`` None means every school of this deployment."""

    __tablename__ = "school_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), unique=True)
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(120), default="")
