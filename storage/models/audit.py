"""The append-only audit trail: who did what, to which case, when; each row chained to the one before.

``seq`` orders the chain; ``hash`` covers the row's fields, ``prev_hash`` (the row before's ``hash``) and
``digest``, a salted HMAC of ``detail``. Erasing a case redacts its rows' ``detail`` and ``salt`` (the one
UPDATE the database allows): the chain still verifies, and the salt gone, the digest reveals nothing.
An erased case keeps a stub row (its reference, no personal data), so its id is never reused.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    salt: Mapped[str | None] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
