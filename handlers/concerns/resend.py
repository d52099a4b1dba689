"""A concern not acknowledged within 1 working hour is sent again to the DSLs, and to the SENCOs
(reminder kind ``concern``, a job: it runs from current data and does nothing once acknowledged)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from handlers.chasing.kinds import Kind
from handlers.concerns.common import dsl_ids
from handlers.concerns.message import dsl_message
from handlers.core import Core
from handlers.platform import PlatformError
from scheduler import queue
from scheduler.calendar import SchoolCalendar
from scheduler.steps import Step
from storage import audit
from storage.models import Concern, School
from storage.repo import concerns as repo
from storage.repo import people

RESEND_AFTER = timedelta(hours=1)  # of working time


def working_time_after(cal: SchoolCalendar, instant: datetime, span: timedelta) -> datetime:
    """The instant ``span`` of working time after ``instant`` (school days, working hours only)."""
    start = cal.next_working_slot(instant)
    for _ in range(400):
        local = cal.local(start)
        day_end = datetime.combine(local.date(), cal.hours[1], tzinfo=cal.tz).astimezone(UTC)
        if start + span <= day_end:
            return start + span
        span -= day_end - start
        start = cal.day_start(cal.next_school_day(local.date() + timedelta(days=1)))
    raise ValueError("no working time within 400 days: check the school's calendar")


def plan_resend(
    s: Session, *, cal: SchoolCalendar, concern: Concern, recipient_id: int, now: datetime
) -> None:
    """Queue the re-send for 1 working hour after the concern was raised."""
    at = working_time_after(cal, now, RESEND_AFTER)
    queue.enqueue(
        s,
        queue.Target(
            Kind.CONCERN, concern.id, school_id=concern.school_id, case_id=None, recipient_id=recipient_id
        ),
        steps=[Step("resend", at)],
        anchor=now.isoformat(),
        now=now,
    )


async def resend_job(core: Core, concern_id: int) -> bool:
    """Send it again to the DSLs and to the SENCOs, once, if nobody has acknowledged it."""
    now = core.clock.now()
    with core.db.transaction() as s:
        concern = repo.get(s, concern_id=concern_id)
        if concern is None or concern.state != "raised":
            return True  # acknowledged (or gone): nothing to do
        school = s.get(School, concern.school_id)
        if school is None:
            return True
        message = dsl_message(s, concern, now=now, core=core, again=True)
        sencos = [
            p.external_id
            for p, _, _ in people.sencos(s, school_id=school.id)
            if p.platform == school.platform
        ]
        dsls = dsl_ids(s, core, platform=school.platform, school_id=school.id)
        audit.record(
            s,
            action="concern.resent",
            at=now,
            school_id=concern.school_id,
            concern=concern.number,
            why="not acknowledged within 1 working hour",
        )
        platform, workspace = school.platform, school.external_id
    chat = core.platform(platform)
    for user_id in dict.fromkeys([*dsls, *sencos]):
        with contextlib.suppress(PlatformError):
            await chat.direct_message(workspace=workspace, user_id=user_id, reply=message)
    return True
