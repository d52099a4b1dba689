"""Chaser answers (Done / Need more time / Blocked) and the date poll on the portal, through the very
use cases the chat's buttons call (``on_chaser``, ``on_poll``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from sqlalchemy.orm import Session

from handlers.chasing.registry import on_chaser
from handlers.chasing.subjects import form_title
from handlers.core import Ask, Core
from handlers.errors import NotAllowed, NotFound, UsageError
from handlers.model import Command, Interaction
from handlers.outside.portal.admission import Refused, admit, audit_read
from handlers.outside.portal.forms import request_of, text_of
from handlers.outside.standing import Standing
from handlers.replies import Buttons
from handlers.reviews.poll import on_poll
from handlers.reviews.poll_view import ANSWERS as POLL_ANSWERS
from storage.models import Action
from storage.repo import reviews as review_repo

Kind = Literal["action", "input_request"]
KINDS: tuple[Kind, ...] = ("action", "input_request")
CHOICES = {"done": "Done", "later": "Need more time", "blocked": "Blocked"}
REASON_LIMIT = 500  # as the chat's Blocked prompt keeps


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
        request = request_of(s, stands, subject_id)
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
        stands, _ = admit(s, core, token)
        page = _owed(s, core, stands, kind, subject_id)
        audit_read(s, stands, now=now, what="chaser", kind=kind, subject=subject_id)
    return replace(page, choice=choice)


async def answer_chaser(
    core: Core, token: str, kind: str, subject_id: int, choice: str, *, when: str = "", reason: str = ""
) -> ChaserPage:
    """Done / Need more time (a date) / Blocked (a reason), exactly as the chat's chaser buttons."""
    if choice not in CHOICES:
        raise Refused(404)
    with core.db.transaction() as s:
        stands, actor = admit(s, core, token)
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
        message=text_of(reply),
        answered=True,
        form_request_id=page.form_request_id if opens else None,
    )


async def answer_poll(core: Core, token: str, review_id: int, answers: Mapping[int, str]) -> str:
    """The date poll's answers (slot number -> can | cannot | maybe), each as the chat's poll buttons."""
    with core.db.transaction() as s:
        stands, actor = admit(s, core, token)
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
            said.append(text_of(await on_poll(ask, interaction)))
        except (NotAllowed, NotFound):
            raise Refused(404) from None
    return " ".join(said) or "Choose can, can't or maybe for at least one date."
