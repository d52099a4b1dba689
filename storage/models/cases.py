"""A case, its team (memberships), consent records and its private room."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("school_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    number: Mapped[int]
    reference: Mapped[str] = mapped_column(String(16))
    alias: Mapped[str] = mapped_column(String(80))
    year_group: Mapped[str | None] = mapped_column(String(16))
    route: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    key_worker_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(Text)  # the team's agreed purpose (`purpose`)


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("case_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    agency: Mapped[str | None] = mapped_column(String(120))
    champion: Mapped[bool] = mapped_column(default=False)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    added_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(default=True)
    removed_at: Mapped[datetime | None]
    removed_reason: Mapped[str | None] = mapped_column(String(200))


class Consent(Base):
    """One consent event: given or withdrawn. The effective consent is derived from all of them."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # given | withdrawn
    by_name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(16))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime]


class Room(Base):
    """The case's private room on its platform; ``external_id`` is empty until the platform made it."""

    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str | None] = mapped_column(String(128), index=True)
    name: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|ready|failed|archived
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
