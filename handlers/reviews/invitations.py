"""Telling the team about a meeting: the invitation message with its calendar file, sent to each member
(and noted in the room); ``tell`` DMs the team anything else (a poll's chase)."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handlers.outside.topics import Topic
from handlers.platform import ChatPlatform, PlatformError
from handlers.replies import Attachment, Heading, MailNote, Note, Reply, Strong, para
from handlers.reviews.ics import MIME, Meeting, ics
from storage.models import Case, Review
from storage.repo import cases as case_repo
from storage.repo import people


def new_uid() -> str:
    return f"{uuid.uuid4()}@tacbot"


def member_ids(session: Session, *, case_id: int) -> tuple[str, ...]:
    """Platform user ids of the case's current team."""
    members = case_repo.active_members(session, case_id=case_id)
    persons = people.people_by_id(session, ids={m.person_id for m in members})
    return tuple(persons[m.person_id].external_id for m in members)


@dataclass(frozen=True, slots=True)
class Invitation:
    """Everything needed to tell the team about a meeting once the transaction is over."""

    reference: str
    case_id: int
    review_id: int
    meeting: Meeting
    kind: str  # fixed | moved | cancelled
    member_ids: tuple[str, ...]
    room_id: str | None


def invitation(session: Session, *, case: Case, review: Review, kind: str, tz: ZoneInfo) -> Invitation:
    assert review.starts_at is not None
    room = case_repo.get_room(session, case_id=case.id)
    meeting = Meeting(
        uid=review.uid,
        sequence=review.sequence,
        starts=review.starts_at.astimezone(tz),
        minutes=review.duration_min,
        summary=f"{case.reference} review meeting",
        place=review.place,
        description=f"Team around the child review meeting for {case.reference}. "
        "Type /tac plan in the case room to see the plan.",
    )
    room_id = room.external_id if room is not None and room.state == "ready" else None
    members = member_ids(session, case_id=case.id)
    return Invitation(case.reference, case.id, review.id, meeting, kind, members, room_id)


def invitation_reply(inv: Invitation, *, stamp: datetime) -> Reply:
    m = inv.meeting
    cancelled = inv.kind == "cancelled"
    title = {
        "fixed": f"Review meeting for {inv.reference}",
        "moved": f"The review meeting for {inv.reference} has moved",
        "cancelled": f"The review meeting for {inv.reference} is cancelled",
    }[inv.kind]
    place = f", {m.place}" if m.place else ""
    body = para(Strong(f"{m.starts:%a %d %b %Y at %H:%M}"), f" ({m.minutes} min){place}.")
    action = "remove it from" if cancelled else "add it to"
    attachment = Attachment(f"{inv.reference}-review.ics", ics(m, stamp=stamp, cancelled=cancelled), MIME)
    return Reply(
        blocks=(Heading(title), body, Note((f"Open the attached invitation to {action} your calendar.",))),
        summary=title,
        private=False,
        attachments=(attachment,),
        mail=MailNote(Topic.MEETING, inv.case_id, subject_id=inv.review_id),
    )


async def tell(platform: ChatPlatform, workspace: str, user_ids: tuple[str, ...], message: Reply) -> int:
    """DM each person; returns how many could not be reached (the change stands either way)."""
    failed = 0
    for user_id in user_ids:
        try:
            await platform.direct_message(workspace=workspace, user_id=user_id, reply=message)
        except PlatformError:
            failed += 1
    return failed


async def send_invitations(
    platform: ChatPlatform, workspace: str, inv: Invitation, *, stamp: datetime
) -> int:
    """Each member gets the invitation (.ics attached) by DM; the room hears of it too."""
    message = invitation_reply(inv, stamp=stamp)
    failed = await tell(platform, workspace, inv.member_ids, message)
    if inv.room_id is not None:
        notice = Reply(blocks=message.blocks[:2], summary=message.summary, private=False)
        with contextlib.suppress(PlatformError):
            await platform.post(workspace=workspace, room_id=inv.room_id, reply=notice)
    return failed
