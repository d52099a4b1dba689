"""Use case `review record`: attendees, decisions, plan changes and the next review; minutes to the room,
each action owner a DM of their actions, and the next meeting fixed (invitations sent).

``record_meeting`` (in a transaction) and ``deliver`` (after it) are shared by the one-line command here
and the form that bare `review record` opens (``handlers.reviews.record_form``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handlers import access
from handlers.chasing.queueing import plan_review
from handlers.core import Ask, Core
from handlers.errors import NotAllowed, NotFound, UsageError
from handlers.grammar import commands as c
from handlers.outside.topics import Topic
from handlers.platform import PlatformError
from handlers.render import mention
from handlers.replies import Block, Bullets, Heading, MailNote, Reply, Span, Strong, para, reply
from handlers.reviews.invitations import Invitation, invitation, new_uid, send_invitations
from handlers.reviews.times import DEFAULT_TIME, to_utc, when
from scheduler.calendar import load_calendar
from storage import audit
from storage.models import Case, Person, Review
from storage.repo import cases as case_repo
from storage.repo import forms as form_repo
from storage.repo import people
from storage.repo import plan as plan_repo
from storage.repo import reviews as review_repo

RECORD_FORM_ID = "review-record"  # the internal form behind a bare `review record`


@dataclass(frozen=True, slots=True)
class Recorded:
    """A recorded meeting's messages, to send once the transaction is committed (see ``deliver``)."""

    reference: str
    room_id: str | None
    minutes: Reply
    owner_messages: tuple[tuple[str, Reply], ...]  # (owner's external id, their actions)
    invitation: Invitation | None
    next_text: str

    @property
    def confirmation(self) -> Reply:
        return Reply.text(
            f"Recorded the review of {self.reference}; minutes posted to the room, "
            f"{len(self.owner_messages)} action owner(s) told. "
            f"Next review: {self.next_text}."
        )


async def review_record(ask: Ask, cmd: c.ReviewRecord) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "record a review")
        access.require_open(acc)
        case = acc.case
        attendees = []
        for ref in cmd.attendees:
            person = people.find_person(s, platform=ask.command.actor.platform, external_id=ref.user_id)
            if person is None or case_repo.get_membership(s, case_id=case.id, person_id=person.id) is None:
                raise NotFound(f"{ref.label} is not on the team of {case.reference}.")
            attendees.append(person)
        recorded = record_meeting(
            s,
            core=ask.core,
            case=case,
            by=who.person,
            attendees=attendees,
            decided=cmd.decided,
            changes=cmd.changes,
            next_day=cmd.next_day,
            next_at=cmd.next_at,
            now=ask.now,
        )
    await deliver(ask.core, ask.command.actor.platform, ask.workspace, recorded, now=ask.now)
    return recorded.confirmation


def require_started(review: Review | None, *, now: datetime, tz: ZoneInfo) -> None:
    """A fixed meeting cannot be recorded before it starts: ``NotAllowed`` saying when it is."""
    if review is None or review.status != "scheduled" or review.starts_at is None:
        return
    if review.starts_at > now:
        raise NotAllowed(
            f"The review meeting is on {when(review.starts_at, tz, review.place)}: "
            "record it once it has started.",
            hint="If it was moved, fix the new date with `review on <date> at <time>`.",
        )


def record_meeting(
    s: Session,
    *,
    core: Core,
    case: Case,
    by: Person,
    attendees: list[Person],
    decided: str,
    changes: str | None,
    next_day: date | None,
    next_at: time | None,
    now: datetime,
) -> Recorded:
    """Mark the current meeting held (one is made for now if none was fixed), fix the next one, and
    compose the minutes; raises ``UsageError`` (nothing kept) for a next review in the past."""
    tz = core.tz
    review = review_repo.current_review(s, case_id=case.id)
    require_started(review, now=now, tz=tz)
    usual = DEFAULT_TIME
    if review is not None and review.status == "scheduled" and review.starts_at is not None:
        usual = review.starts_at.astimezone(tz).time()
    else:
        if review is not None:  # an open poll: the meeting happened without it
            review.status = "cancelled"
        review = review_repo.create_review(
            s,
            case_id=case.id,
            status="scheduled",
            starts_at=now,
            place=None,
            uid=new_uid(),
            created_by_id=by.id,
            now=now,
        )
    held_at = review.starts_at or now
    next_starts = None
    if next_day is not None:
        next_starts = to_utc(next_day, next_at or usual, tz)
        if next_starts <= now:
            raise UsageError(f"The next review, {when(next_starts, tz)}, is in the past.", command="review")
    review.status, review.recorded_at, review.updated_at = "held", now, now
    # A record form opened for this meeting and never sent would otherwise record the next one later.
    for stale in form_repo.open_requests_of_form(s, case_id=case.id, form_id=RECORD_FORM_ID):
        stale.state = "cancelled"
    review.attendee_ids = [p.id for p in attendees]
    review.decided, review.changes = decided, changes
    audit.record(
        s,
        action="review.recorded",
        at=now,
        school_id=case.school_id,
        case_id=case.id,
        actor_id=by.id,
        review=review.number,
        attendees=[p.id for p in attendees],
    )
    inv: Invitation | None = None
    if next_starts is not None:
        nxt = review_repo.create_review(
            s,
            case_id=case.id,
            status="scheduled",
            starts_at=next_starts,
            place=review.place,
            uid=new_uid(),
            created_by_id=by.id,
            now=now,
        )
        audit.record(
            s,
            action="review.fixed",
            at=now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=by.id,
            review=nxt.number,
            starts_at=next_starts.isoformat(),
            why="next review set at the meeting",
        )
        plan_review(
            s,
            cal=load_calendar(s, school_id=case.school_id, tz=tz, hours=core.hours),
            case=case,
            review=nxt,
            now=now,
        )
        inv = invitation(s, case=case, review=nxt, kind="fixed", tz=tz)
    open_actions = [a for a in plan_repo.actions(s, case_id=case.id) if a.status == "open"]
    owners = people.people_by_id(s, ids={a.owner_id for a in open_actions})
    on_team = {m.person_id for m in case_repo.active_members(s, case_id=case.id)}
    room = case_repo.get_room(s, case_id=case.id)
    room_id = room.external_id if room is not None and room.state == "ready" else None
    reference = case.reference
    today = now.astimezone(tz).date()

    def overdue(due: date) -> tuple[Span, ...]:
        return (" · ", Strong("OVERDUE")) if due < today else ()

    minutes: list[Block] = [Heading(f"Review meeting of {reference}: {when(held_at, tz)}")]
    present: list[Span] = [Strong("Attendees"), ": "]
    for n, p in enumerate(attendees):
        present += [", " if n else "", mention(p)]
    minutes.append(para(*present) if attendees else para(Strong("Attendees"), ": ", "not recorded"))
    minutes.append(para(Strong("Decided"), ": ", decided))
    if changes:
        minutes.append(para(Strong("Changes to the plan"), ": ", changes))
    if open_actions:
        minutes.append(
            Bullets(
                tuple(
                    (
                        f"Action {a.number}: ",
                        a.what,
                        " · ",
                        mention(owners[a.owner_id]),
                        f" · due {a.due:%d %b %Y}",
                        *overdue(a.due),
                    )
                    for a in open_actions[:40]
                )
            )
        )
    nxt_text = when(next_starts, tz) if next_starts else "not set yet (`review on <date> at <time>`)"
    minutes.append(para(Strong("Next review"), ": ", nxt_text))
    owner_messages = tuple(
        (
            owner.external_id,
            reply(
                Heading(f"Your actions after the {reference} review"),
                Bullets(
                    tuple(
                        (f"Action {a.number}: ", a.what, f" · due {a.due:%a %d %b %Y}", *overdue(a.due))
                        for a in open_actions
                        if a.owner_id == owner_id
                    )
                ),
                summary=f"Your actions after the {reference} review",
                private=False,
                mail=MailNote(Topic.ACTIONS, case.id),
            ),
        )
        for owner_id, owner in owners.items()
        if owner_id in on_team  # nothing about the case reaches someone who has left it
    )
    return Recorded(
        reference=reference,
        room_id=room_id,
        minutes=reply(*minutes, summary=f"Minutes of the {reference} review", private=False),
        owner_messages=owner_messages,
        invitation=inv,
        next_text=nxt_text,
    )


async def deliver(core: Core, platform: str, workspace: str, recorded: Recorded, *, now: datetime) -> None:
    """Minutes to the room, each owner their actions, the invitations; a platform failure is skipped."""
    chat = core.platform(platform)
    if recorded.room_id is not None:
        with contextlib.suppress(PlatformError):
            await chat.post(workspace=workspace, room_id=recorded.room_id, reply=recorded.minutes)
    for user_id, message in recorded.owner_messages:
        with contextlib.suppress(PlatformError):
            await chat.direct_message(workspace=workspace, user_id=user_id, reply=message)
    if recorded.invitation is not None:
        await send_invitations(chat, workspace, recorded.invitation, stamp=now)
