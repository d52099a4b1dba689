"""Storage on SQLite and PostgreSQL: migrations match the models, numbering, the append-only audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from storage import audit, migrate
from storage.engine import Database, normalise_url
from storage.models import Base
from storage.repo import cases, people

NOW = datetime(2026, 9, 14, 8, 30, tzinfo=UTC)


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_plain_postgres_url_uses_the_shipped_driver() -> None:
    assert normalise_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert normalise_url("postgres://u@h/db").startswith("postgresql+psycopg://")
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_case_numbers_are_per_school_and_sequential(db: Database) -> None:
    with db.transaction() as s:
        a = people.get_or_create_school(s, platform="slack", external_id="T1", now=NOW)
        b = people.get_or_create_school(s, platform="slack", external_id="T2", now=NOW)
        numbers = [people.next_case_number(s, school_id=a.id) for _ in range(3)]
        other = people.next_case_number(s, school_id=b.id)
    assert numbers == [1, 2, 3]
    assert other == 1
    assert cases.reference_for(7) == "TAC-0007"


def test_times_come_back_aware_utc(db: Database) -> None:
    with db.transaction() as s:
        school = people.get_or_create_school(s, platform="slack", external_id="T9", now=NOW)
    with db.transaction() as s:
        again = people.get_or_create_school(s, platform="slack", external_id="T9", now=NOW)
        s.refresh(again)
        assert again.id == school.id
        assert again.created_at == NOW and again.created_at.tzinfo is not None


def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive"), db.transaction() as s:
        people.get_or_create_school(s, platform="slack", external_id="T3", now=datetime(2026, 1, 1))


def test_audit_trail_is_append_only(db: Database) -> None:
    with db.transaction() as s:
        audit.record(s, action="test.event", at=NOW, note="kept")
    with pytest.raises(DBAPIError, match="append-only"), db.transaction() as s:
        s.execute(text("UPDATE audit_events SET action = 'changed'"))
    with pytest.raises(DBAPIError, match="append-only"), db.transaction() as s:
        s.execute(text("DELETE FROM audit_events"))
