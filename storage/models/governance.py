"""Information governance: input shares, the pupil's details (encrypted), erasure requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class InputShare(Base):
    """The key worker's decision to post one version of an input's answers to the case room."""

    __tablename__ = "input_shares"
    __table_args__ = (UniqueConstraint("request_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("input_requests.id"), index=True)
    version: Mapped[int]
    shared_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    shared_at: Mapped[datetime]


class PupilDetails(Base):
    """Full name, date of birth and UPN, as one Fernet token (``storage.crypto``); never in plain text."""

    __tablename__ = "pupil_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    ciphertext: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    updated_at: Mapped[datetime]


class ErasureRequest(Base):
    """A request to erase a case before its retention ends; carried out only after a second person
    approves. Kept after the erasure (no personal data: the reference, names of staff, dates)."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    reference: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|erased|refused
    approved_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None]
