"""The pre-meeting pack: the plan (and each input's latest version) posted to the room before a review.

Due 2 weeks before the meeting on the `annual-review` route (SEND Regulations 2014 reg 20), 1 week
before otherwise (the school's policy: ``ar_pack_weeks`` and ``pack_weeks``). ``scheduler.steps.pack_due_at``
gives the instant; the reminders queue runs ``handlers.chasing.jobs.pack_job`` then (a ``review_pack``
reminder queued by ``handlers.chasing.queueing``). ``post_due_packs`` posts every pack that is due, for
operators and tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.orm import Session

from handlers.core import Core
from handlers.plan import snapshot
from handlers.plan.view import plan_blocks, purpose_line
from handlers.platform import PlatformError
from handlers.replies import Block, Divider, Heading, Note, Reply
from handlers.reviews.pack_inputs import inputs_part
from handlers.reviews.times import when
from scheduler.calendar import Calendars
from scheduler.steps import pack_due_at
from storage import audit
from storage.models import Case, School
from storage.repo import cases as case_repo
from storage.repo import reviews as review_repo

# Further parts of the pack after the plan: the latest version of each input (issue 5).
PackPart = Callable[[Session, Case, Core], list[Block]]
PACK_PARTS: list[PackPart] = [inputs_part]
MOST_BLOCKS = 50


async def post_pack(core: Core, review_id: int) -> bool:
    """Post the pack for a fixed meeting to its case room, once; False when there is nothing to do."""
    now = core.clock.now()
    with core.db.transaction() as s:
        review = review_repo.get_review(s, review_id=review_id)
        if review is None or review.status != "scheduled" or review.pack_posted_at is not None:
            return False
        if review.starts_at is None or review.starts_at <= now:
            return False
        case = s.get(Case, review.case_id)
        assert case is not None
        school = s.get(School, case.school_id)
        room = case_repo.get_room(s, case_id=case.id)
        if school is None or room is None or room.state != "ready" or not room.external_id:
            return False
        today = now.astimezone(core.tz).date()
        plan = snapshot.load(s, case=case, today=today, tz=core.tz)
        parts = [b for part in PACK_PARTS for b in part(s, case, core)][: MOST_BLOCKS // 2]
        head: list[Block] = [
            Heading(f"Pack for the review meeting, {when(review.starts_at, core.tz, review.place)}"),
            *([purpose_line(plan.purpose)] if plan.purpose else []),  # the opening, not again below
            Note(("Please read before the meeting. The latest plan follows.",)),
            Divider(),
        ]
        blocks: list[Block] = [
            *head,
            *plan_blocks(replace(plan, purpose=None))[: MOST_BLOCKS - len(head) - len(parts)],
            *parts,
        ]
        review.pack_posted_at = now
        audit.record(
            s,
            action="review.pack_posted",
            at=now,
            school_id=case.school_id,
            case_id=case.id,
            review=review.number,
            why="pre-meeting pack to the team's room",
        )
        platform, workspace, room_id = core.platform(school.platform), school.external_id, room.external_id
    message = Reply(
        blocks=tuple(blocks[:MOST_BLOCKS]), summary=f"Review pack for {plan.reference}", private=False
    )
    try:
        await platform.post(workspace=workspace, room_id=room_id, reply=message)
    except PlatformError:
        with core.db.transaction() as s:  # not delivered: the next tick tries again
            again = review_repo.get_review(s, review_id=review_id)
            if again is not None:
                again.pack_posted_at = None
        return False
    return True


async def post_due_packs(core: Core) -> list[int]:
    """Post every pack that is due now; returns the review ids posted."""
    now = core.clock.now()
    calendars = Calendars(tz=core.tz, hours=core.hours)
    with core.db.transaction() as s:
        due = [
            r.id
            for r in review_repo.scheduled_reviews(s)
            if r.starts_at is not None
            and r.pack_posted_at is None
            and r.starts_at > now
            and (case := s.get(Case, r.case_id)) is not None
            and pack_due_at(
                route=case.route,
                starts_at=r.starts_at,
                tz=core.tz,
                policy=calendars.get(s, case.school_id).policy,
            )
            <= now
        ]
    return [review_id for review_id in due if await post_pack(core, review_id)]
