"""People outside the workspace: their e-mail address, and the e-mails queued to them.

An external member is an ordinary ``Person`` on the school's platform whose ``external_id`` starts with
``ext.`` (no platform user id looks like that); their address is kept here, per school.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ExternalContact(Base):
    __tablename__ = "external_contacts"
    __table_args__ = (UniqueConstraint("school_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))  # lower case
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]


class OutgoingMail(Base):
    """One e-mail to an external member, sent by the reminders queue (kind ``mail``, subject = this row).

    It holds what kind of thing it tells about, never its text: the letter is written when it is sent,
    from current data, with a fresh link; a member no longer on the case gets nothing.
    """

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # handlers.outside.topics.Topic
    due: Mapped[date | None]
    subject_id: Mapped[int | None]  # the action / input request / review it is about, where one
    calendar: Mapped[bytes | None] = mapped_column(LargeBinary)  # a meeting's .ics, attached
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued | sent | dropped
