"""The SENCO's weekly digest: queued as reminder rows (exactly once per SENCO per week), built when sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.replies import Reply
from scheduler import queue
from scheduler.calendar import SchoolCalendar
from scheduler.digest_extra import CaseExtras, extras
from scheduler.messages import DigestLine, digest
from scheduler.policies import Step
from storage.models import Action, Case, Senco

KIND = "digest"


def queue_digests(session: Session, *, cal: SchoolCalendar, now: datetime) -> int:
    """Queue this week's digest for every SENCO who key-works a case; returns how many were queued."""
    week = cal.local(now).strftime("%G-W%V")
    rows = session.execute(
        select(Case.school_id, Case.key_worker_id)
        .join(Senco, Senco.person_id == Case.key_worker_id)
        .where(Case.status == "open")
        .distinct()
    ).all()
    queued = 0
    for school_id, person_id in rows:
        queued += len(
            queue.enqueue(
                session,
                kind=KIND,
                subject_id=person_id,
                school_id=school_id,
                case_id=None,
                recipient_id=person_id,
                steps=[Step("weekly", cal.next_working_slot(now))],
                anchor=week,
                now=now,
            )
        )
    return queued


def build_digest(
    session: Session, *, school_id: int, person_id: int, cal: SchoolCalendar, now: datetime
) -> Reply:
    """The digest from current data: open cases, overdue and upcoming actions, inputs, reviews, risks."""
    today = cal.local(now).date()
    cases = session.scalars(
        select(Case)
        .where(Case.school_id == school_id, Case.key_worker_id == person_id, Case.status == "open")
        .order_by(Case.number)
    ).all()
    ids = [c.id for c in cases]
    overdue: dict[int, int] = dict(
        session.execute(
            select(Action.case_id, func.count())
            .where(Action.case_id.in_(ids), Action.status == "open", Action.due < today)
            .group_by(Action.case_id)
        ).all()
    )
    upcoming: dict[int, int] = dict(
        session.execute(
            select(Action.case_id, func.count())
            .where(
                Action.case_id.in_(ids),
                Action.status == "open",
                Action.due >= today,
                Action.due <= today + timedelta(days=7),
            )
            .group_by(Action.case_id)
        ).all()
    )
    more = extras(session, cases=cases, cal=cal, today=today)
    lines = [
        DigestLine(c, int(overdue.get(c.id, 0)), int(upcoming.get(c.id, 0)), more.get(c.id, CaseExtras()))
        for c in cases
    ]
    return digest(lines=lines, today=today)
