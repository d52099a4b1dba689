"""Many due reminders, quickly: cases with one owner each and actions due today, or e-mails queued to
members outside the workspace (tests and benchmarks)."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.engine import Database
from storage.models import Action, Case, ExternalContact, Membership, Person, Reminder, School


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


def seed_mail(db: Database, *, cases: int, per_case: int, now: datetime, platform: str = "fake") -> list[int]:
    """``cases`` open cases each with ``per_case`` members outside the workspace, and one e-mail queued to
    each (kind ``mail``, due at ``now``); returns the ``mail_outbox`` ids."""
    from handlers.outside.outbox import queue_mail
    from handlers.outside.topics import Topic

    with db.transaction() as s:
        school = School(
            platform=platform, external_id=f"M{now:%H%M%S%f}", name="", case_seq=0, created_at=now
        )
        s.add(school)
        s.flush()
        senco = Person(
            platform=platform, external_id=f"U{school.id}-senco", display_name="Sam", created_at=now
        )
        s.add(senco)
        s.flush()
        rows = [_case(school.id, n, senco.id, now) for n in range(1, cases + 1)]
        s.add_all(rows)
        s.flush()
        outbox: list[int] = []
        for c in rows:
            for k in range(per_case):
                person = Person(
                    platform=platform,
                    external_id=f"ext.{school.id}-{c.number}-{k}",
                    display_name=f"Visitor {c.number}-{k}",
                    created_at=now,
                )
                s.add(person)
                s.flush()
                s.add(
                    ExternalContact(
                        person_id=person.id,
                        school_id=school.id,
                        email=f"visitor{c.number}-{k}@county.example",
                        created_at=now,
                    )
                )
                s.add(
                    Membership(
                        case_id=c.id, person_id=person.id, role="parent-carer", added_at=now, active=True
                    )
                )
                outbox.append(queue_mail(s, case=c, person=person, topic=Topic.NEWS, now=now).id)
    return outbox


__all__ = ["seed_due", "seed_mail"]
