"""The portal's use cases: what a member outside the workspace sees and does behind their personal link.

Every call starts from the link's token: a tampered one is refused (403), an expired one too (410), and
one whose person was removed, whose consent was withdrawn or whose case closed opens nothing any more
(410, from current data: ``handlers.outside.standing``). A refusal names no case.

A person behind a link is an ordinary member of the school's platform (an ``ext.`` user id), so the
forms, the chaser answers and the date poll run through the very use cases the chat buttons call
(``handlers.forms.api``, ``handlers.chasing.registry.on_chaser``, ``handlers.reviews.poll.on_poll``):
the same checks, the same versions, the same notice to the case room, the same audit. The portal only
adds that what is asked for belongs to this person on this link's case. Nothing of the room or of other
people's inputs is read here. Opening a page is a read of case content, and audited (``portal.read``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.chasing.registry import on_chaser
from handlers.chasing.subjects import form_title
from handlers.core import Ask, Core
from handlers.errors import NotAllowed, NotFound, TacBotError, UsageError
from handlers.family.update import PARENT
from handlers.forms import api
from handlers.forms.answers import Answer
from handlers.forms.library import Form
from handlers.model import Actor, Command, Interaction
from handlers.outside.ids import is_external
from handlers.outside.links import LinkRefused
from handlers.outside.standing import Standing, standing
from handlers.replies import Buttons, Paragraph, Reply, plain, unmarked
from handlers.reviews.poll import on_poll
from handlers.reviews.poll_view import ANSWERS as POLL_ANSWERS
from storage import audit
from storage.models import Action, Case, InputRequest, School
from storage.repo import family as family_repo
from storage.repo import forms as form_repo
from storage.repo import reviews as review_repo

Kind = Literal["action", "input_request"]
KINDS: tuple[Kind, ...] = ("action", "input_request")
CHOICES = {"done": "Done", "later": "Need more time", "blocked": "Blocked"}
REASON_LIMIT = 500  # as the chat's Blocked prompt keeps
RawValue = str | list[str]


class Refused(Exception):
    """The link opens nothing (403 tampered, 410 expired or no longer valid, 404 nothing of theirs
    there). The page says so in a sentence that names no case."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


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


@dataclass(frozen=True, slots=True)
class FormPage:
    """One requested form: its definition (from the chat's library), and what to show in its fields."""

    reference: str
    alias: str
    request_id: int
    form: Form
    due: date
    version: int
    drafts: bool
    values: Mapping[str, RawValue]
    errors: Mapping[str, str] = field(default_factory=dict)
    message: str = ""  # "Draft saved", "Thank you ... submitted"
    submitted: bool = False


@dataclass(frozen=True, slots=True)
class ChaserPage:
    """A chaser's answer, asked before it acts (a GET never changes anything)."""

    reference: str
    alias: str
    kind: Kind
    subject_id: int
    choice: str  # done | later | blocked
    label: str  # "Action 2" / "Educational psychology advice (input 1)"
    what: str  # the action's text; "" for a form
    due: date
    form_request_id: int | None  # for a form: Done means submitting it
    values: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    message: str = ""  # the answer, once given
    answered: bool = False


def _admit(s: Session, core: Core, token: str) -> tuple[Standing, Actor]:
    """The standing of the link's person on the link's case, and them as an actor; else ``Refused``."""
    outside = core.outside
    if outside is None:
        raise Refused(403)
    try:
        claim = outside.links.read(token)
    except LinkRefused as refused:
        raise Refused(refused.status) from None
    stands = standing(s, person_id=claim.person_id, case_id=claim.case_id)
    if stands is None:
        raise Refused(410)
    school = s.get(School, stands.case.school_id)
    person = stands.person
    if school is None or not is_external(person.external_id) or person.platform != school.platform:
        raise Refused(403)
    actor = Actor(
        platform=school.platform,
        workspace=school.external_id,
        user_id=person.external_id,
        display_name=person.display_name,
    )
    return stands, actor


def _read(s: Session, stands: Standing, *, now: datetime, what: str, **detail: object) -> None:
    audit.record(
        s,
        action="portal.read",
        at=now,
        school_id=stands.case.school_id,
        case_id=stands.case.id,
        actor_id=stands.person.id,
        what=what,
        **detail,
    )


async def open_page(core: Core, token: str) -> Page:
    """The page a link opens: what this person is asked for, their actions, the next meeting."""
    now = core.clock.now()
    today = now.astimezone(core.tz).date()
    with core.db.transaction() as s:
        stands, _ = _admit(s, core, token)
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
        _read(s, stands, now=now, what="page")
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


def _request(s: Session, stands: Standing, request_id: int) -> InputRequest:
    """The request, if it was asked of this person on this link's case; else 404."""
    request = form_repo.get_request(s, request_id=request_id)
    if (
        request is None
        or request.case_id != stands.case.id
        or request.requested_of_id != stands.person.id
        or request.state == "cancelled"
    ):
        raise Refused(404)
    return request


def shown(answers: Mapping[str, Answer]) -> dict[str, RawValue]:
    """Stored answers as a form's fields show them (the values the HTML inputs carry)."""
    out: dict[str, RawValue] = {}
    for key, value in answers.items():
        if isinstance(value, bool):
            out[key] = "yes" if value else "no"
        elif isinstance(value, list):
            out[key] = [str(v) for v in value]
        elif isinstance(value, float) and value.is_integer():
            out[key] = str(int(value))
        else:
            out[key] = str(value)
    return out


async def open_form(core: Core, token: str, request_id: int) -> FormPage:
    """A requested form, filled with the person's draft or else their latest submitted answers."""
    now = core.clock.now()
    with core.db.transaction() as s:
        stands, actor = _admit(s, core, token)
        request = _request(s, stands, request_id)
        _read(s, stands, now=now, what="form", number=request.number)
        reference, alias = stands.case.reference, stands.case.alias
    try:
        view = api.open_form(core, actor, str(request_id))
    except TacBotError:
        raise Refused(404) from None
    return _form_page(reference, alias, view, shown(view.answers))


def _form_page(reference: str, alias: str, view: api.FormView, values: Mapping[str, RawValue]) -> FormPage:
    return FormPage(
        reference=reference,
        alias=alias,
        request_id=int(view.request_id),
        form=view.form,
        due=view.due,
        version=view.version,
        drafts=view.drafts,
        values=dict(values),
    )


async def post_form(
    core: Core, token: str, request_id: int, raw: Mapping[str, RawValue], *, submit: bool
) -> FormPage:
    """Save a draft or submit: the chat's own checks; errors come back with what was typed kept."""
    with core.db.transaction() as s:
        stands, actor = _admit(s, core, token)
        _request(s, stands, request_id)
        reference, alias = stands.case.reference, stands.case.alias
    try:
        view = api.open_form(core, actor, str(request_id))
        if submit:
            result = await api.submit_form(core, actor, str(request_id), raw)
        else:
            saved = api.save_draft(core, actor, str(request_id), raw)
    except (NotAllowed, NotFound):
        raise Refused(404) from None
    page = _form_page(reference, alias, view, raw)
    if not submit:
        return replace(page, message=_text(saved))
    if not result.ok:
        return replace(page, errors=dict(result.errors))
    message = _text(result.reply) if result.reply is not None else "Thank you: it is submitted."
    return replace(page, version=result.version, message=message, submitted=True)


def _text(reply: Reply) -> str:
    """A reply's words, as one paragraph of plain text (command hints unmarked)."""
    parts = [plain(list(b.spans)) for b in reply.blocks if isinstance(b, Paragraph)]
    return unmarked(" ".join(p for p in parts if p) or reply.summary)


def _owed(s: Session, core: Core, stands: Standing, kind: str, subject_id: int) -> ChaserPage:
    """The chased subject, if it is this person's on this link's case (404 otherwise)."""
    case, person = stands.case, stands.person
    if kind == "action":
        action = s.get(Action, subject_id)
        if action is None or action.case_id != case.id or action.owner_id != person.id:
            raise Refused(404)
        return ChaserPage(
            case.reference, case.alias, "action", action.id, "", f"Action {action.number}", action.what,
            action.due, None,
        )  # fmt: skip
    if kind == "input_request":
        request = _request(s, stands, subject_id)
        label = f"{form_title(request.form_id, core.forms_of(s, case.school_id))} (input {request.number})"
        return ChaserPage(
            case.reference, case.alias, "input_request", request.id, "", label, "", request.due, request.id
        )
    raise Refused(404)


async def chaser_page(core: Core, token: str, kind: str, subject_id: int, choice: str) -> ChaserPage:
    """What a chaser's answer link opens: the choice, to be confirmed with a POST."""
    if choice not in CHOICES:
        raise Refused(404)
    now = core.clock.now()
    with core.db.transaction() as s:
        stands, _ = _admit(s, core, token)
        page = _owed(s, core, stands, kind, subject_id)
        _read(s, stands, now=now, what="chaser", kind=kind, subject=subject_id)
    return replace(page, choice=choice)


async def answer_chaser(
    core: Core, token: str, kind: str, subject_id: int, choice: str, *, when: str = "", reason: str = ""
) -> ChaserPage:
    """Done / Need more time (a date) / Blocked (a reason), exactly as the chat's chaser buttons."""
    if choice not in CHOICES:
        raise Refused(404)
    with core.db.transaction() as s:
        stands, actor = _admit(s, core, token)
        page = replace(_owed(s, core, stands, kind, subject_id), choice=choice)
    values = {"date": when.strip()[:40], "reason": reason}
    if choice == "blocked" and len(" ".join(reason.split())) > REASON_LIMIT:
        return replace(
            page,
            values=values,
            errors={"reason": f"Keep this to {REASON_LIMIT} characters at most (it has {len(reason)})."},
        )
    ask = Ask.start(core, Command(actor=actor, text=""))
    inputs = {"date": values["date"], "reason": reason}
    interaction = Interaction(
        actor=actor, action=f"chaser.{choice}", value=f"{kind}:{subject_id}", inputs=inputs
    )
    try:
        reply = await on_chaser(ask, interaction)
    except UsageError as refused:
        where = "date" if choice == "later" else "reason"
        return replace(page, values=values, errors={where: refused.message})
    except (NotAllowed, NotFound):
        raise Refused(404) from None
    opens = any(isinstance(b, Buttons) for b in reply.blocks)
    return replace(
        page,
        message=_text(reply),
        answered=True,
        form_request_id=page.form_request_id if opens else None,
    )


async def answer_poll(core: Core, token: str, review_id: int, answers: Mapping[int, str]) -> str:
    """The date poll's answers (slot number -> can | cannot | maybe), each as the chat's poll buttons."""
    with core.db.transaction() as s:
        stands, actor = _admit(s, core, token)
        review = review_repo.get_review(s, review_id=review_id)
        if review is None or review.case_id != stands.case.id:
            raise Refused(404)
    ask = Ask.start(core, Command(actor=actor, text=""))
    said: list[str] = []
    for number, answer in sorted(answers.items()):
        if answer not in POLL_ANSWERS:
            continue
        interaction = Interaction(actor=actor, action=f"poll.{answer}", value=f"{review_id}:{number}")
        try:
            said.append(_text(await on_poll(ask, interaction)))
        except (NotAllowed, NotFound):
            raise Refused(404) from None
    return " ".join(said) or "Choose can, can't or maybe for at least one date."
