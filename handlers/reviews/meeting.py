"""Use cases `review on <date> [at <time>] [where "<place>"]`, `review cancel` and `review` (show)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from handlers import access
from handlers.chasing.queueing import calendar_for, plan_review, stop_review
from handlers.confirm import ask_about_days
from handlers.core import Ask
from handlers.errors import NotFound, UsageError
from handlers.grammar import commands as c
from handlers.render import case_title, plural
from handlers.replies import Block, Bullets, Heading, Note, Reply, Strong, para, reply
from handlers.reviews.invitations import Invitation, invitation, member_ids, new_uid, send_invitations, tell
from handlers.reviews.poll_view import poll_message, tally_blocks
from handlers.reviews.times import DEFAULT_TIME, to_utc, when
from scheduler.steps import pack_due_at
from storage import audit
from storage.models import Case
from storage.repo import reviews as review_repo


async def review_on(ask: Ask, cmd: c.ReviewOn) -> Reply:
    tz = ask.core.tz
    starts = to_utc(cmd.day, cmd.at or DEFAULT_TIME, tz)
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "schedule reviews")
        access.require_open(acc)
        if starts <= ask.now:
            raise UsageError(f"{when(starts, tz)} is in the past.", command="review")
        case = acc.case
        cal = calendar_for(s, ask, school_id=case.school_id)
        question = ask_about_days(ask, reference=case.reference, days=[cmd.day], cal=cal, what="the review")
        if question is not None:
            return question
        review = review_repo.current_review(s, case_id=case.id)
        kind = "fixed"
        if review is not None and review.status == "scheduled":
            if review.starts_at == starts and (cmd.where is None or cmd.where == review.place):
                return Reply.text(f"The review is already fixed for {when(starts, tz, review.place)}.")
            kind, old = "moved", review.starts_at
            review.sequence += 1
        elif review is not None:  # a poll was open: fixing the date directly closes it
            old = None
            review.status = "scheduled"
        else:
            old = None
            review = review_repo.create_review(
                s,
                case_id=case.id,
                status="scheduled",
                starts_at=None,
                place=None,
                uid=new_uid(),
                created_by_id=who.person.id,
                now=ask.now,
            )
        review.starts_at, review.updated_at = starts, ask.now
        review.place = cmd.where or review.place
        audit.record(
            s,
            action=f"review.{kind}",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            review=review.number,
            starts_at=starts.isoformat(),
            old=old.isoformat() if old else None,
            why="review invitations to the team",
        )
        pack_at = pack_due_at(route=case.route, starts_at=starts, tz=tz, policy=cal.policy)
        if kind == "moved" and pack_at > ask.now:
            review.pack_posted_at = None  # moved well ahead: the pack goes out again before the new date
        plan_review(s, cal=cal, case=case, review=review, now=ask.now)
        inv = invitation(s, case=case, review=review, kind=kind, tz=tz)
    return await announce(ask, inv)


async def announce(ask: Ask, inv: Invitation) -> Reply:
    failed = await send_invitations(ask.platform, ask.workspace, inv, stamp=ask.now)
    verb = {"fixed": "fixed", "moved": "moved"}[inv.kind]
    sent = len(inv.member_ids) - failed
    text = f"Review meeting {verb}: {inv.meeting.starts:%a %d %b %Y at %H:%M}"
    text += f", {inv.meeting.place}" if inv.meeting.place else ""
    text += f". Invitations (.ics) sent to {plural(sent, 'member')}"
    text += f"; {failed} could not be reached." if failed else "."
    return Reply.text(text)


@dataclass(frozen=True, slots=True)
class Cancellation:
    """A cancelled meeting's invitation (None for a poll that never fixed a date), and who to tell."""

    invitation: Invitation | None
    members: tuple[str, ...]


def cancel_current(s: Session, ask: Ask, *, case: Case, actor_id: int) -> Cancellation | None:
    """Cancel the case's current meeting or poll and its reminders; None when there is none."""
    review = review_repo.current_review(s, case_id=case.id)
    if review is None:
        return None
    was_scheduled = review.status == "scheduled"
    review.status, review.updated_at = "cancelled", ask.now
    stop_review(s, review=review, now=ask.now)
    review.sequence += 1
    audit.record(
        s,
        action="review.cancelled",
        at=ask.now,
        school_id=case.school_id,
        case_id=case.id,
        actor_id=actor_id,
        review=review.number,
    )
    inv = invitation(s, case=case, review=review, kind="cancelled", tz=ask.core.tz) if was_scheduled else None
    return Cancellation(inv, member_ids(s, case_id=case.id))


async def announce_cancellation(ask: Ask, case: Case, cancelled: Cancellation) -> None:
    """Tell the team: a cancelled meeting goes to their calendars; a closed poll by DM."""
    if cancelled.invitation is None:
        closed = Reply.text(f"The date poll for {case.reference} is closed.")
        await tell(ask.platform, ask.workspace, cancelled.members, closed)
    else:
        await send_invitations(ask.platform, ask.workspace, cancelled.invitation, stamp=ask.now)


async def review_cancel(ask: Ask, cmd: c.ReviewCancel) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "cancel reviews")
        case = acc.case
        cancelled = cancel_current(s, ask, case=case, actor_id=who.person.id)
        if cancelled is None:
            raise NotFound(f"{case.reference} has no review meeting or poll to cancel.")
    await announce_cancellation(ask, case, cancelled)
    if cancelled.invitation is None:
        return Reply.text(f"Cancelled the date poll for {case.reference}.")
    return Reply.text(f"Cancelled the review meeting of {case.reference}; the team's calendars were told.")


async def review_show(ask: Ask, cmd: c.ReviewShow) -> Reply:
    tz = ask.core.tz
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        case = acc.case
        review = review_repo.current_review(s, case_id=case.id)
        held = [r for r in review_repo.reviews(s, case_id=case.id) if r.status == "held"]
        blocks: list[Block] = [Heading(f"Reviews of {case_title(case)}")]
        if review is None:
            blocks.append(
                para(
                    "No review meeting is fixed. ",
                    "Key worker: `review on <date> at <time>` or `review poll`.",
                )
            )
        elif review.status == "scheduled" and review.starts_at is not None:
            blocks.append(para(Strong("Next review"), ": ", when(review.starts_at, tz, review.place)))
        else:
            blocks += tally_blocks(s, case=case, review=review, tz=tz, names=acc.is_key_worker)
            slots = list(review_repo.slots(s, review_id=review.id))
            blocks += poll_message(case.reference, review, slots, tz).blocks[1:]  # answer here too
        if held:
            last = held[-1]
            blocks.append(
                Bullets(((Strong("Last review"), ": ", when(last.starts_at or last.created_at, tz)),))
            )
            if last.decided:
                blocks.append(Note(("Decided: ", last.decided)))
    return reply(*blocks, summary=f"Reviews of {case.reference}")
