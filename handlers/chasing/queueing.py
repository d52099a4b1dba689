"""Queue and cancel reminders from the use cases, inside the use case's own transaction.

One function per subject and change: an action or input request planned from its due date and stopped
when done, submitted or blocked; a review meeting's reminders, its pre-meeting pack and its date poll's
chase. The numbers are the school's policy, carried by its calendar (``cal.policy``; ``tacbot policy
set``); the queue itself is ``scheduler.queue``.

- ``review``: each member is reminded 14 and 7 days and 1 school day before the meeting; on the
  ``annual-review`` route the statutory steps too (``scheduler.steps.review_steps``).
- ``review_pack``: the pre-meeting pack is posted to the room at ``pack_due_at`` (a queue job).
- ``review_poll``: the members who have not answered a date poll are chased once, a few school days after
  it opened (a queue job).

Moving a meeting re-plans all of them; cancelling it cancels them. The meeting's anchor is the UTC date
of its start (``handlers.chasing.subjects.ReviewSource``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.chasing.kinds import Kind
from handlers.core import Ask
from scheduler import queue
from scheduler.calendar import SchoolCalendar, load_calendar
from scheduler.steps import Step, pack_due_at
from storage.models import Action, Case, InputRequest, Review
from storage.repo import cases as case_repo
from storage.repo import reviews as review_repo

POLL_CHASE_SCHOOL_DAYS = 3


def calendar_for(session: Session, ask: Ask, *, school_id: int) -> SchoolCalendar:
    """The school's calendar: the core's zone and working hours; its holidays and its chasing policy
    (``cal.policy``, the school's overrides of the defaults) from the database, loaded together."""
    return load_calendar(session, school_id=school_id, tz=ask.core.tz, hours=ask.core.hours)


def target(kind: Kind, subject_id: int, *, case: Case, recipient_id: int) -> queue.Target:
    """A case's reminders about one subject to one person; the case's key worker hears escalations."""
    return queue.Target(
        kind,
        subject_id,
        school_id=case.school_id,
        case_id=case.id,
        recipient_id=recipient_id,
        key_worker_id=case.key_worker_id,
    )


def plan_action(session: Session, ask: Ask, *, case: Case, action: Action) -> None:
    """(Re)plan an open action's chasers to its owner from its current due date (a done one: none)."""
    if action.status != "open":
        stop_action(session, ask, action=action)
        return
    queue.reschedule(
        session,
        target(Kind.ACTION, action.id, case=case, recipient_id=action.owner_id),
        cal=calendar_for(session, ask, school_id=case.school_id),
        due=action.due,
        route=case.route,
        now=ask.now,
    )


def stop_action(session: Session, ask: Ask, *, action: Action) -> None:
    """The action is done: nothing more to chase."""
    queue.cancel_for(session, kind=Kind.ACTION, subject_id=action.id, now=ask.now)


def plan_request(
    s: Session, *, cal: SchoolCalendar, case: Case, request: InputRequest, now: datetime
) -> None:
    """(Re)plan the chasers of an open request from its due date (the EHC route: weeks 4 and 5 too)."""
    if request.state != "open":
        stop_request(s, request=request, now=now)
        return
    queue.reschedule(
        s,
        target(Kind.INPUT_REQUEST, request.id, case=case, recipient_id=request.requested_of_id),
        cal=cal,
        due=request.due,
        route=case.route,
        now=now,
        requested_on=cal.local(request.created_at).date(),
    )


def stop_request(s: Session, *, request: InputRequest, now: datetime) -> None:
    """The request was submitted, cancelled or blocked: nothing more to chase."""
    queue.cancel_for(s, kind=Kind.INPUT_REQUEST, subject_id=request.id, now=now)


def stop_review(s: Session, *, review: Review, now: datetime) -> None:
    """The meeting was cancelled (or replaced): nothing more to remind anyone of."""
    for kind in (Kind.REVIEW, Kind.REVIEW_PACK, Kind.REVIEW_POLL):
        queue.cancel_for(s, kind=kind, subject_id=review.id, now=now)


def plan_review(s: Session, *, cal: SchoolCalendar, case: Case, review: Review, now: datetime) -> None:
    """(Re)plan every reminder of a fixed meeting: the members', the statutory steps and the pack."""
    stop_review(s, review=review, now=now)
    if review.status != "scheduled" or review.starts_at is None or review.starts_at <= now:
        return
    meeting = review.starts_at.date()
    for member in case_repo.active_members(s, case_id=case.id):
        queue.schedule(
            s,
            target(Kind.REVIEW, review.id, case=case, recipient_id=member.person_id),
            cal=cal,
            due=meeting,
            route=case.route,
            now=now,
        )
    pack_at = pack_due_at(route=case.route, starts_at=review.starts_at, tz=cal.tz, policy=cal.policy)
    pack_at = max(pack_at, now)
    queue.enqueue(
        s,
        target(Kind.REVIEW_PACK, review.id, case=case, recipient_id=case.key_worker_id),
        steps=[Step("pack", pack_at)],
        anchor=review.starts_at.isoformat(),
        now=now,
    )


def replan_current(s: Session, *, cal: SchoolCalendar, case: Case, now: datetime) -> None:
    """The team changed (someone joined): plan the fixed meeting's reminders for everyone on it now."""
    review = review_repo.current_review(s, case_id=case.id)
    if review is not None and review.status == "scheduled":
        plan_review(s, cal=cal, case=case, review=review, now=now)


def plan_poll_chase(s: Session, *, cal: SchoolCalendar, case: Case, review: Review, now: datetime) -> None:
    """Chase the poll's non-answerers once, a few school days after it opened."""
    day = cal.add_school_days(cal.next_school_day(cal.local(now).date()), POLL_CHASE_SCHOOL_DAYS)
    queue.enqueue(
        s,
        target(Kind.REVIEW_POLL, review.id, case=case, recipient_id=case.key_worker_id),
        steps=[Step("poll-chase", cal.day_start(day))],
        anchor=now.date().isoformat(),
        now=now,
    )
