"""The durable queue: scheduling twice queues once; rescheduling re-plans without touching a row in flight."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from handlers.chasing.kinds import Kind
from scheduler import queue
from scheduler.calendar import SchoolCalendar
from scheduler.queue import PlanArgs, Target
from storage.engine import Database
from storage.models import Reminder
from storage.repo import people

CAL = SchoolCalendar()


def test_schedule_twice_queues_once_and_reschedule_replans(db: Database) -> None:
    now = datetime(2026, 9, 14, 8, 30, tzinfo=UTC)
    with db.transaction() as s:
        school = people.get_or_create_school(s, platform="console", external_id="q", now=now)
        person = people.get_or_create_person(
            s, platform="console", external_id="qq", display_name="", now=now
        )
        target = Target(Kind.ACTION, 7, school_id=school.id, case_id=None, recipient_id=person.id)
        args: PlanArgs = {"cal": CAL, "route": "sen-support", "now": now, "due": date(2026, 9, 28)}
        queue.schedule(s, target, **args)
        queue.schedule(s, target, **args)
        assert s.scalar(select(func.count()).select_from(Reminder)) == 3
        queue.reschedule(s, target, **{**args, "due": date(2026, 10, 9)})
        assert [r.anchor for r in queue.pending_for(s, kind=Kind.ACTION, subject_id=7)] == ["2026-10-09"] * 3
        queue.reschedule(s, target, **args)  # back again: the cancelled rows are revived
        assert s.scalar(select(func.count()).select_from(Reminder)) == 6
        assert len(queue.pending_for(s, kind=Kind.ACTION, subject_id=7)) == 3
        assert queue.cancel_for(s, kind=Kind.ACTION, subject_id=7, now=now) == 3


def test_rescheduling_to_the_same_date_leaves_a_claimed_reminder_alone(db: Database) -> None:
    """A reminder being sent by another worker is neither cancelled nor revived (it would go twice)."""
    now = datetime(2026, 9, 14, 8, 30, tzinfo=UTC)
    with db.transaction() as s:
        school = people.get_or_create_school(s, platform="console", external_id="r", now=now)
        person = people.get_or_create_person(
            s, platform="console", external_id="rr", display_name="", now=now
        )
        target = Target(Kind.ACTION, 8, school_id=school.id, case_id=None, recipient_id=person.id)
        args: PlanArgs = {"cal": CAL, "route": "sen-support", "now": now, "due": date(2026, 9, 28)}
        rows = queue.schedule(s, target, **args)
        in_flight = rows[0]
        in_flight.state, in_flight.claim_token = "claimed", "worker-a"
        s.flush()
        queue.reschedule(s, target, **args)
        s.refresh(in_flight)
        assert (in_flight.state, in_flight.claim_token) == ("claimed", "worker-a")
        assert s.scalar(select(func.count()).select_from(Reminder).where(Reminder.state == "cancelled")) == 0
