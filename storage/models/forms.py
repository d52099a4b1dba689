"""Input forms: a request of one person for one form, its submitted versions, and their drafts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class InputRequest(Base):
    """The key worker asked ``requested_of`` for form ``form_id``; numbered per case (`input <n>`)."""

    __tablename__ = "input_requests"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    number: Mapped[int]
    form_id: Mapped[str] = mapped_column(String(40))
    requested_of_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    due: Mapped[date]
    state: Mapped[str] = mapped_column(String(16), default="open")  # open|submitted|cancelled
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]


class FormSubmission(Base):
    """One submitted version of a request's answers; earlier versions are kept."""

    __tablename__ = "form_submissions"
    __table_args__ = (UniqueConstraint("request_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("input_requests.id"), index=True)
    version: Mapped[int]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    submitted_at: Mapped[datetime]


class FormDraft(Base):
    """What someone has typed so far, so that long answers are never lost."""

    __tablename__ = "form_drafts"
    __table_args__ = (UniqueConstraint("request_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("input_requests.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[datetime]


class SchoolForm(Base):
    """One of a school's own input forms (`tacbot forms load --school`): its YAML as loaded, checked then.

    A removed form (``removed_at``) is no longer listed or requested; requests already made of it still
    open and show. Loading the same id again replaces the text (and brings a removed form back).
    """

    __tablename__ = "school_forms"
    __table_args__ = (UniqueConstraint("school_id", "form_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    form_id: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of ``text``: the parsed form's cache key
    loaded_at: Mapped[datetime]
    loaded_by: Mapped[str] = mapped_column(String(200), default="")
    removed_at: Mapped[datetime | None]
