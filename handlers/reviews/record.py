"""Use case `review record`: attendees, decisions, plan changes and the next review; minutes to the room,
each action owner a DM of their actions, and the next meeting fixed (invitations sent)."""

from __future__ import annotations

import contextlib

from handlers import access
from handlers.core import Ask
from handlers.errors import NotFound, PlatformError, UsageError
from handlers.grammar import commands as c
from handlers.reminders import calendar_for
from handlers.render import mention
from handlers.replies import Block, Bullets, Heading, Reply, Span, Strong, para, reply
from handlers.reviews.common import (
    DEFAULT_TIME,
    Invitation,
    invitation,
    new_uid,
    send_invitations,
    to_utc,
    when,
)
from handlers.reviews.reminding import plan_review
from storage import audit
from storage.repo import cases as case_repo
from storage.repo import people
from storage.repo import plan as plan_repo
from storage.repo import reviews as review_repo


async def review_record(ask: Ask, cmd: c.ReviewRecord) -> Reply:
    tz = ask.core.tz
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
        review = review_repo.current_review(s, case_id=case.id)
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
                starts_at=ask.now,
                place=None,
                uid=new_uid(),
                created_by_id=who.person.id,
                now=ask.now,
            )
        held_at = review.starts_at or ask.now
        next_starts = None
        if cmd.next_day is not None:
            next_starts = to_utc(cmd.next_day, cmd.next_at or usual, tz)
            if next_starts <= ask.now:
                raise UsageError(
                    f"The next review, {when(next_starts, tz)}, is in the past.", command="review"
                )
        review.status, review.recorded_at, review.updated_at = "held", ask.now, ask.now
        review.attendee_ids = [p.id for p in attendees]
        review.decided, review.changes = cmd.decided, cmd.changes
        audit.record(
            s,
            action="review.recorded",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
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
                created_by_id=who.person.id,
                now=ask.now,
            )
            audit.record(
                s,
                action="review.fixed",
                at=ask.now,
                school_id=case.school_id,
                case_id=case.id,
                actor_id=who.person.id,
                review=nxt.number,
                starts_at=next_starts.isoformat(),
                why="next review set at the meeting",
            )
            plan_review(
                s, cal=calendar_for(s, ask, school_id=case.school_id), case=case, review=nxt, now=ask.now
            )
            inv = invitation(s, case=case, review=nxt, kind="fixed", tz=tz)
        open_actions = [a for a in plan_repo.actions(s, case_id=case.id) if a.status == "open"]
        owners = people.people_by_id(s, ids={a.owner_id for a in open_actions})
        room = case_repo.get_room(s, case_id=case.id)
        room_id = room.external_id if room is not None and room.state == "ready" else None
        reference = case.reference
    minutes: list[Block] = [Heading(f"Review meeting of {reference}: {when(held_at, tz)}")]
    present: list[Span] = [Strong("Attendees"), ": "]
    for n, p in enumerate(attendees):
        present += [", " if n else "", mention(p)]
    minutes.append(para(*present) if attendees else para(Strong("Attendees"), ": ", "not recorded"))
    minutes.append(para(Strong("Decided"), ": ", cmd.decided))
    if cmd.changes:
        minutes.append(para(Strong("Changes to the plan"), ": ", cmd.changes))
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
                    )
                    for a in open_actions[:40]
                )
            )
        )
    nxt_text = when(next_starts, tz) if next_starts else "not set yet (`review on <date> at <time>`)"
    minutes.append(para(Strong("Next review"), ": ", nxt_text))
    if room_id is not None:
        with contextlib.suppress(PlatformError):
            await ask.platform.post(
                workspace=ask.workspace,
                room_id=room_id,
                reply=reply(*minutes, summary=f"Minutes of the {reference} review", private=False),
            )
    for owner_id, owner in owners.items():
        mine = [a for a in open_actions if a.owner_id == owner_id]
        message = reply(
            Heading(f"Your actions after the {reference} review"),
            Bullets(tuple((f"Action {a.number}: ", a.what, f" · due {a.due:%a %d %b %Y}") for a in mine)),
            summary=f"Your actions after the {reference} review",
            private=False,
        )
        with contextlib.suppress(PlatformError):
            await ask.platform.direct_message(
                workspace=ask.workspace, user_id=owner.external_id, reply=message
            )
    if inv is not None:
        await send_invitations(ask.platform, ask.workspace, inv, stamp=ask.now)
    return Reply.text(
        f"Recorded the review of {reference}; minutes posted to the room, "
        f"{len(owners)} action owner(s) told. "
        f"Next review: {nxt_text}."
    )
