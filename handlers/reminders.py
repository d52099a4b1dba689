"""Queue and cancel the reminders of plan actions, inside the use case's own transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from handlers.core import Ask
from scheduler import queue
from scheduler.calendar import SchoolCalendar, load_calendar
from storage.models import Action, Case


def calendar_for(session: Session, ask: Ask, *, school_id: int) -> SchoolCalendar:
    """The school's calendar: the core's zone and working hours; its holidays and its chasing policy
    (``cal.policy``, the school's overrides of the defaults) from the database, loaded together."""
    return load_calendar(session, school_id=school_id, tz=ask.core.tz, hours=ask.core.hours)


def plan_action(session: Session, ask: Ask, *, case: Case, action: Action) -> None:
    """(Re)plan an open action's chasers to its owner from its current due date (a done one: none)."""
    if action.status != "open":
        stop_action(session, ask, action=action)
        return
    queue.reschedule(
        session,
        cal=calendar_for(session, ask, school_id=case.school_id),
        kind="action",
        subject_id=action.id,
        school_id=case.school_id,
        case_id=case.id,
        recipient_id=action.owner_id,
        key_worker_id=case.key_worker_id,
        due=action.due,
        route=case.route,
        now=ask.now,
    )


def stop_action(session: Session, ask: Ask, *, action: Action) -> None:
    """The action is done: nothing more to chase."""
    queue.cancel_for(session, kind="action", subject_id=action.id, now=ask.now)
