"""The audit trail's hash chain on SQLite and PostgreSQL: verify names the first row changed, removed or
inserted out of order; erasure's redaction verifies only with its tombstone; TRUNCATE is refused."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage import audit, migrate
from storage.engine import Database
from storage.models import AuditEvent
from storage.repo import cases, people
from tests.conftest import create_database, drop_database, postgres_unreachable

NOW = datetime(2026, 9, 14, 8, 30, tzinfo=UTC)


class Undo(Exception):
    """Raised to roll a transaction back."""


@contextmanager
def tampering(db: Database) -> Iterator[Session]:
    """What someone with the table owner's rights could do: switch the triggers off. Rolled back after."""
    with pytest.raises(Undo), db.transaction() as s:
        if s.get_bind().dialect.name == "sqlite":
            s.execute(text("DROP TRIGGER audit_events_no_update"))
            s.execute(text("DROP TRIGGER audit_events_no_delete"))
        else:
            s.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        yield s
        raise Undo


def seeded(db: Database, n: int = 6) -> list[int]:
    with db.transaction() as s:
        school = people.get_or_create_school(s, platform="console", external_id="chain", now=NOW)
        ids = [
            audit.record(s, action=f"test.{i}", at=NOW + timedelta(minutes=i), school_id=school.id, n=i).id
            for i in range(n)
        ]
        audit.record_many(s, [audit.Entry(action="test.batch", at=NOW, detail={"k": k}) for k in range(3)])
    return ids


def verdict(db: Database, head: str | None = None) -> audit.Verdict:
    with db.transaction() as s:
        return audit.verify(s, head=head)


def test_an_intact_chain_verifies_and_each_row_links_to_the_one_before(db: Database) -> None:
    seeded(db)
    result = verdict(db)
    assert result.ok and result.count >= 9
    with db.transaction() as s:
        rows = s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    assert rows[0].prev_hash == audit.GENESIS and result.head == rows[-1].hash


def test_a_changed_detail_or_field_is_named(db: Database) -> None:
    ids = seeded(db)
    with tampering(db) as s:
        s.execute(text("UPDATE audit_events SET detail = '{\"n\": 99}' WHERE id = :id"), {"id": ids[2]})
        bad = audit.verify(s)
        row = s.get(AuditEvent, ids[2])
        assert row is not None
        assert not bad.ok and f"row {row.seq} (id {ids[2]}, test.2," in (bad.problem or "")
        assert "was changed (its detail)" in (bad.problem or "")
    with tampering(db) as s:
        s.execute(text("UPDATE audit_events SET action = 'test.x' WHERE id = :id"), {"id": ids[3]})
        bad = audit.verify(s)
        assert (
            bad.problem is not None and f"id {ids[3]}, test.x" in bad.problem and "was changed" in bad.problem
        )
    assert verdict(db).ok  # the tampering was rolled back


def test_a_removed_row_and_a_row_inserted_out_of_order_are_named(db: Database) -> None:
    ids = seeded(db)
    with tampering(db) as s:
        s.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[1]})
        bad = audit.verify(s)
        assert bad.problem is not None and "before it were removed" in bad.problem
        assert f"id {ids[2]}" in bad.problem
    with pytest.raises(Undo), db.transaction() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
        head = last.hash
        forged = AuditEvent(
            seq=last.seq + 1,
            action="test.forged",
            detail={},
            salt="00",
            digest=audit.digest_of({}, "00"),
            prev_hash=audit.GENESIS,
            at=NOW,
        )
        forged.hash = audit.hash_of(forged)
        s.add(forged)
        s.flush()
        bad = audit.verify(s)
        assert (
            bad.problem is not None
            and "test.forged" in bad.problem
            and "inserted out of order" in bad.problem
        )
        raise Undo
    with tampering(db) as s:
        s.execute(text("DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)"))
        assert audit.verify(s).ok  # a shorter chain is whole...
        cut = audit.verify(s, head=head)
        assert cut.problem is not None and "removed from its end" in cut.problem  # ...but the head is gone


def test_redaction_is_the_only_update_and_verifies_only_with_a_tombstone(db: Database) -> None:
    with db.transaction() as s:
        school = people.get_or_create_school(s, platform="console", external_id="red", now=NOW)
        person = people.get_or_create_person(s, platform="console", external_id="k", display_name="", now=NOW)
        case = cases.create_case(
            s,
            school_id=school.id,
            number=1,
            alias="Robin",
            year_group=None,
            route="sen-support",
            key_worker_id=person.id,
            now=NOW,
        )
    with db.transaction() as s:
        audit.record(
            s, action="consent.given", at=NOW, school_id=school.id, case_id=case.id, by_name="Jo Taylor"
        )
        audit.record(s, action="other", at=NOW, school_id=school.id, note="kept")
    with pytest.raises(DBAPIError, match="append-only"), db.transaction() as s:
        s.execute(text("UPDATE audit_events SET detail = NULL WHERE case_id = :c"), {"c": case.id})
    with db.transaction() as s:
        assert audit.redact_case(s, case_id=case.id) == 1
        bad = audit.verify(s)
        assert (
            bad.problem is not None and "was redacted, but no erasure of its case was recorded" in bad.problem
        )
        audit.record(
            s, action=audit.ERASED, at=NOW, school_id=school.id, case_id=case.id, reference="TAC-0001"
        )
        assert audit.verify(s).ok
        [row] = [e for e in audit.events_for_case(s, case_id=case.id) if e.action == "consent.given"]
        assert row.detail is None and row.salt is None


def test_truncate_is_refused_on_postgresql(postgres_engine: object) -> None:
    from sqlalchemy import Engine

    assert isinstance(postgres_engine, Engine)
    with pytest.raises(DBAPIError, match="append-only"), postgres_engine.connect() as conn, conn.begin():
        conn.execute(text("TRUNCATE audit_events"))


def test_concurrent_writers_on_postgresql_keep_one_chain() -> None:
    found = create_database()
    if found is None:
        postgres_unreachable()
        return
    url, name = found
    db = Database.from_url(url)
    try:
        migrate.upgrade(db.engine)
        errors: list[BaseException] = []

        def write(worker: int) -> None:
            try:
                for i in range(15):
                    with db.transaction() as s:
                        audit.record(s, action="test.concurrent", at=NOW, worker=worker, i=i)
            except BaseException as exc:  # recorded, asserted below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert errors == []
        result = verdict(db)
        assert result.ok and result.count == 60
    finally:
        db.dispose()
        drop_database(name)
