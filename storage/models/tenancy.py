"""Schools (a Slack workspace, a Teams tenant, the console), people, and who is a SENCO or a DSL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class School(Base):
    __tablename__ = "schools"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(200), default="")
    case_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]


class _Role:
    """A role held in one school (``school_id``) or, with no school, in every school of the deployment."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(200), default="")


class Senco(_Role, Base):
    """A person allowed to open cases and see the overview, in one school (``school_id``) or, with no
    school, in every school of the deployment (what `tacbot senco add` without ``--school`` names)."""

    __tablename__ = "sencos"
    __table_args__ = (UniqueConstraint("person_id", "school_id"),)


class Dsl(_Role, Base):
    """A Designated Safeguarding Lead of one school (``school_id``) or, with no school, of every school
    (`tacbot dsl add`; ``TACBOT_DSL`` names more of every school without a row): receives the school's
    `concern`s, may read any of its cases' `audit` and gets its weekly retention list."""

    __tablename__ = "dsls"
    __table_args__ = (UniqueConstraint("person_id", "school_id"),)
