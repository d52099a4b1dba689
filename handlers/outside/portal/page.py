"""The person's page: the case by reference and alias, and what is theirs on it (forms, actions, the next
meeting or the open poll, the family's update)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.chasing.subjects import form_title
from handlers.core import Core
from handlers.family.update import PARENT
from handlers.outside.portal.admission import admit, audit_read
from storage.models import Action, Case, InputRequest
from storage.repo import family as family_repo
from storage.repo import forms as form_repo
from storage.repo import reviews as review_repo


@dataclass(frozen=True, slots=True)
class AskedForm:
    request_id: int
    number: int
    title: str
    due: date
    submitted: bool
    version: int  # the latest submitted version, 0 if none
    draft: bool
    overdue: bool


@dataclass(frozen=True, slots=True)
class OwnAction:
    id: int
    number: int
    what: str
    due: date
    where: str | None
    often: str | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class Meeting:
    starts: datetime  # local time at the school
    minutes: int
    place: str | None


@dataclass(frozen=True, slots=True)
class PollSlot:
    number: int
    starts: datetime  # local time at the school
    answer: str | None  # this person's: can | cannot | maybe


@dataclass(frozen=True, slots=True)
class Poll:
    review_id: int
    slots: tuple[PollSlot, ...]


@dataclass(frozen=True, slots=True)
class FamilyNote:
    text: str
    sent_on: date


@dataclass(frozen=True, slots=True)
class Page:
    """The person's page: the case by reference and alias, and what is theirs on it."""

    reference: str
    alias: str
    name: str
    role: str
    forms: tuple[AskedForm, ...]
    actions: tuple[OwnAction, ...]
    meeting: Meeting | None
    poll: Poll | None
    family: FamilyNote | None
    today: date


async def open_page(core: Core, token: str) -> Page:
    """The page a link opens: what this person is asked for, their actions, the next meeting."""
    now = core.clock.now()
    today = now.astimezone(core.tz).date()
    with core.db.transaction() as s:
        stands, _ = admit(s, core, token)
        case, person = stands.case, stands.person
        requests = s.scalars(
            select(InputRequest)
            .where(
                InputRequest.case_id == case.id,
                InputRequest.requested_of_id == person.id,
                InputRequest.state.in_(("open", "submitted")),
            )
            .order_by(InputRequest.due, InputRequest.id)
        ).all()
        forms, library = [], core.forms_of(s, case.school_id)
        for r in requests:
            latest = form_repo.latest_submission(s, request_id=r.id)
            forms.append(
                AskedForm(
                    request_id=r.id,
                    number=r.number,
                    title=form_title(r.form_id, library),
                    due=r.due,
                    submitted=r.state == "submitted",
                    version=latest.version if latest else 0,
                    draft=form_repo.get_draft(s, request_id=r.id, person_id=person.id) is not None,
                    overdue=r.state == "open" and r.due < today,
                )
            )
        actions = s.scalars(
            select(Action)
            .where(Action.case_id == case.id, Action.owner_id == person.id, Action.status == "open")
            .order_by(Action.due, Action.number)
        ).all()
        own = tuple(
            OwnAction(a.id, a.number, a.what, a.due, a.where, a.often, a.due < today) for a in actions
        )
        meeting, poll = _review(s, core, case, person_id=person.id, now=now)
        family = None
        if stands.membership.role == PARENT:
            sent = family_repo.last_sent(s, case_id=case.id)
            if sent is not None and sent.sent_at is not None:
                family = FamilyNote(sent.text, sent.sent_at.astimezone(core.tz).date())
        audit_read(s, stands, now=now, what="page")
        return Page(
            reference=case.reference,
            alias=case.alias,
            name=person.display_name,
            role=stands.membership.role,
            forms=tuple(forms),
            actions=own,
            meeting=meeting,
            poll=poll,
            family=family,
            today=today,
        )


def _review(
    s: Session, core: Core, case: Case, *, person_id: int, now: datetime
) -> tuple[Meeting | None, Poll | None]:
    review = review_repo.current_review(s, case_id=case.id)
    if review is None:
        return None, None
    if review.status == "scheduled" and review.starts_at is not None and review.starts_at > now:
        return Meeting(review.starts_at.astimezone(core.tz), review.duration_min, review.place), None
    if review.status != "polling":
        return None, None
    slots = review_repo.slots(s, review_id=review.id)
    mine = {
        a.slot_id: a.answer for a in review_repo.answers(s, review_id=review.id) if a.person_id == person_id
    }
    return None, Poll(
        review.id,
        tuple(PollSlot(x.number, x.starts_at.astimezone(core.tz), mine.get(x.id)) for x in slots),
    )
