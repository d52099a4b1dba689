"""The date poll as people see it: the buttons each member gets, and the tally."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handlers.outside.topics import Topic
from handlers.render import mention
from handlers.replies import (
    Block,
    Bullets,
    Button,
    Buttons,
    Heading,
    MailNote,
    Note,
    Reply,
    Span,
    Strong,
    para,
)
from storage.models import Case, Review, ReviewSlot
from storage.repo import cases as case_repo
from storage.repo import people
from storage.repo import reviews as review_repo

ANSWERS = {"can": "can make", "cannot": "can't make", "maybe": "might make"}


def slot_label(slot: ReviewSlot, tz: ZoneInfo) -> str:
    return f"{slot.number}. {slot.starts_at.astimezone(tz):%a %d %b %Y at %H:%M}"


def poll_message(reference: str, review: Review, slots: list[ReviewSlot], tz: ZoneInfo) -> Reply:
    """One message per member: each slot with Can / Can't / Maybe buttons (at most 22 blocks)."""
    blocks: list[Block] = [Heading(f"When can you make the review meeting for {reference}?")]
    for slot in slots:
        value = f"{review.id}:{slot.number}"
        blocks.append(para(Strong(slot_label(slot, tz))))
        blocks.append(
            Buttons(
                (
                    Button("Can", "poll.can", value, style="primary"),
                    Button("Can't", "poll.cannot", value, style="danger"),
                    Button("Maybe", "poll.maybe", value),
                )
            )
        )
    blocks.append(Note(("You can change an answer by pressing another button.",)))
    return Reply(
        blocks=tuple(blocks),
        summary=f"Date poll for the {reference} review",
        private=False,
        mail=MailNote(Topic.POLL, review.case_id, subject_id=review.id),
    )


def unanswered(session: Session, *, case: Case, review: Review) -> list[int]:
    """Person ids of current members who have not answered every slot."""
    slots = review_repo.slots(session, review_id=review.id)
    answered: dict[int, int] = {}
    for a in review_repo.answers(session, review_id=review.id):
        answered[a.person_id] = answered.get(a.person_id, 0) + 1
    members = case_repo.active_members(session, case_id=case.id)
    return [m.person_id for m in members if answered.get(m.person_id, 0) < len(slots)]


def tally_blocks(session: Session, *, case: Case, review: Review, tz: ZoneInfo, names: bool) -> list[Block]:
    """Counts per slot for everyone; who answered what for the key worker (``names``)."""
    slots = review_repo.slots(session, review_id=review.id)
    answers = review_repo.answers(session, review_id=review.id)
    members = {m.person_id for m in case_repo.active_members(session, case_id=case.id)}
    waiting = unanswered(session, case=case, review=review)
    persons = people.people_by_id(session, ids=members | {a.person_id for a in answers})
    items: list[tuple[Span, ...]] = []
    for slot in slots:
        mine = [a for a in answers if a.slot_id == slot.id and a.person_id in members]
        counts = {k: sum(1 for a in mine if a.answer == k) for k in ANSWERS}
        spans: list[Span] = [
            Strong(slot_label(slot, tz)),
            f" · can {counts['can']} · can't {counts['cannot']} · maybe {counts['maybe']}",
        ]
        if names:
            for key, label in (("can", "can"), ("cannot", "can't"), ("maybe", "maybe")):
                who = [a for a in mine if a.answer == key]
                if who:
                    spans.append(f" · {label}: ")
                    for n, a in enumerate(who):
                        spans += [", " if n else "", mention(persons[a.person_id])]
        items.append(tuple(spans))
    blocks: list[Block] = [
        para(Strong("Date poll open"), f" ({len(members) - len(waiting)} of {len(members)} answered)")
    ]
    blocks.append(Bullets(tuple(items)))
    if names and waiting:
        spans2: list[Span] = ["Not answered yet: "]
        for n, pid in enumerate(waiting):
            spans2 += [", " if n else "", mention(persons[pid])]
        blocks.append(para(*spans2))
    if names:
        blocks.append(Note(("Fix the meeting with `review pick <n>`.",)))
    return blocks
