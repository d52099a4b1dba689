"""Queue the reminders of a review, inside the use case's own transaction.

- ``review``: each member is reminded 14 and 7 days and 1 school day before the meeting; on the
  ``annual-review`` route the statutory steps too (``scheduler.policies.review_steps``). The numbers are
  the school's policy, carried by its calendar (``cal.policy``; ``tacbot policy set``).
- ``review_pack``: the pre-meeting pack is posted to the room at ``pack_due_at`` (a queue job).
- ``review_poll``: the members who have not answered a date poll are chased once, a few school days after
  it opened (a queue job).

Moving the meeting re-plans all of them; cancelling it cancels them. The meeting's anchor is the UTC date
of its start (``scheduler.subjects.ReviewSource``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.reviews.pack import pack_due_at
from scheduler import queue
from scheduler.calendar import SchoolCalendar
from scheduler.policies import Step
from storage.models import Case, Review
from storage.repo import cases as case_repo
from storage.repo import reviews as review_repo

REVIEW, PACK, POLL = "review", "review_pack", "review_poll"
POLL_CHASE_SCHOOL_DAYS = 3


def stop_review(s: Session, *, review: Review, now: datetime) -> None:
    """The meeting was cancelled (or replaced): nothing more to remind anyone of."""
    for kind in (REVIEW, PACK, POLL):
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
            cal=cal,
            kind=REVIEW,
            subject_id=review.id,
            school_id=case.school_id,
            case_id=case.id,
            recipient_id=member.person_id,
            key_worker_id=case.key_worker_id,
            due=meeting,
            route=case.route,
            now=now,
        )
    pack_at = pack_due_at(route=case.route, starts_at=review.starts_at, tz=cal.tz, policy=cal.policy)
    pack_at = max(pack_at, now)
    queue.enqueue(
        s,
        kind=PACK,
        subject_id=review.id,
        school_id=case.school_id,
        case_id=case.id,
        recipient_id=case.key_worker_id,
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
        kind=POLL,
        subject_id=review.id,
        school_id=case.school_id,
        case_id=case.id,
        recipient_id=case.key_worker_id,
        steps=[Step("poll-chase", cal.day_start(day))],
        anchor=now.date().isoformat(),
        now=now,
    )
