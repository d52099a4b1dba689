"""Many due reminders, quickly: cases with one owner each and actions due today (tests and benchmarks)."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.engine import Database
from storage.models import Action, Case, Membership, Person, Reminder, School


def seed_due(db: Database, *, cases: int, per_case: int, now: datetime, platform: str = "fake") -> int:
    """``cases`` open cases each with ``per_case`` open actions and a "due" reminder due before ``now``."""
    due = now.date()
    with db.transaction() as s:
        school = School(
            platform=platform, external_id=f"W{now:%H%M%S%f}", name="", case_seq=0, created_at=now
        )
        s.add(school)
        s.flush()
        owners = [
            Person(
                platform=platform, external_id=f"U{school.id}-{i}", display_name=f"Owner {i}", created_at=now
            )
            for i in range(min(cases, 100))
        ]
        s.add_all(owners)
        s.flush()
        rows = [_case(school.id, n, owners[n % len(owners)].id, now) for n in range(1, cases + 1)]
        s.add_all(rows)
        s.flush()
        s.add_all(
            Membership(
                case_id=c.id, person_id=c.key_worker_id, role="class-teacher", added_at=now, active=True
            )
            for c in rows
        )
        actions = [
            Action(
                case_id=c.id,
                number=k,
                what="x",
                owner_id=c.key_worker_id,
                due=due,
                status="open",
                created_by_id=c.key_worker_id,
                created_at=now,
            )
            for c in rows
            for k in range(1, per_case + 1)
        ]
        s.add_all(actions)
        s.flush()
        cases_by_id = {c.id: c for c in rows}
        s.add_all(
            Reminder(
                key=f"action:{a.id}:{a.owner_id}:due:{due.isoformat()}",
                school_id=school.id,
                case_id=a.case_id,
                subject_kind="action",
                subject_id=a.id,
                recipient_id=a.owner_id,
                step="due",
                anchor=due.isoformat(),
                due_at=now - timedelta(minutes=5),
                state="pending",
                attempts=0,
                created_at=now,
            )
            for a in actions
            if cases_by_id[a.case_id]
        )
    return cases * per_case


def _case(school_id: int, n: int, owner_id: int, now: datetime) -> Case:
    return Case(
        school_id=school_id,
        number=n,
        reference=f"TAC-{n:04d}",
        alias=f"Pupil {n}",
        route="sen-support",
        status="open",
        key_worker_id=owner_id,
        opened_at=now,
    )


__all__ = ["seed_due"]
