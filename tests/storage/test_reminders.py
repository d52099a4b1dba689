"""The queue's claim and lease statements: due rows once, a limit, expired leases taken back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage import audit
from storage.engine import Database
from storage.models import AuditEvent, Reminder
from storage.repo import reminders
from tests.handlers.chasing.seed import seed_due

NOW = datetime(2026, 9, 14, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def claim(
    db: Database, token: str, *, now: datetime = NOW, limit: int = 100, platform: str = "fake"
) -> list[int]:
    with db.transaction() as s:
        return reminders.claim(s, token=token, now=now, lease=LEASE, limit=limit, platforms=[platform])


def test_due_rows_are_claimed_once_up_to_the_limit_and_only_for_the_platforms_served(db: Database) -> None:
    seed_due(db, cases=2, per_case=3, now=NOW)
    assert claim(db, "other", platform="slack") == []
    first = claim(db, "a", limit=4)
    assert len(first) == 4
    rest = claim(db, "b")
    assert len(rest) == 2 and not set(first) & set(rest)
    assert claim(db, "c") == []
    with db.transaction() as s:
        assert sorted(r.id for r in reminders.claimed(s, token="a")) == sorted(first)
        assert {r.attempts for r in reminders.claimed(s, token="a")} == {1}


def test_an_expired_lease_is_taken_back_and_only_the_claimant_moves_its_rows(db: Database) -> None:
    seed_due(db, cases=1, per_case=2, now=NOW)
    ids = claim(db, "dead")
    assert claim(db, "early", now=NOW + LEASE) == []  # the lease has not run out yet
    later = NOW + LEASE + timedelta(seconds=1)
    assert sorted(claim(db, "alive", now=later)) == sorted(ids)
    with db.transaction() as s:
        assert reminders.release(s, token="dead", ids=ids, state="sent") == []
        assert sorted(reminders.release(s, token="alive", ids=ids, state="sent", sent_at=later)) == sorted(
            ids
        )
        rows = list(s.scalars(select(Reminder).where(Reminder.id.in_(ids))))
    assert {(r.state, r.lease_until, r.attempts) for r in rows} == {("sent", None, 2)}


def test_a_batch_of_audit_entries_is_recorded_in_one_go(db: Database) -> None:
    with db.transaction() as s:
        audit.record_many(s, [])
        audit.record_many(
            s, [audit.Entry("reminder.sent", NOW, detail={"step": "due"}), audit.Entry("reminder.sent", NOW)]
        )
        rows = list(
            s.scalars(select(AuditEvent).where(AuditEvent.action == "reminder.sent").order_by(AuditEvent.id))
        )
    assert [r.detail for r in rows] == [{"step": "due"}, {}]
