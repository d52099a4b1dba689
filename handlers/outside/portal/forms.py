"""A requested form on the portal: the chat's own form, drafts, checks, versions and notice
(``handlers.forms.api``); the portal only checks that the request is this person's on this case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy.orm import Session

from handlers.core import Core
from handlers.errors import NotAllowed, NotFound, TacBotError
from handlers.forms import api
from handlers.forms.answers import Answer
from handlers.forms.library import Form
from handlers.outside.portal.admission import RawValue, Refused, admit, audit_read
from handlers.outside.standing import Standing
from handlers.replies import Paragraph, Reply, plain, unmarked
from storage.models import InputRequest
from storage.repo import forms as form_repo


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


def request_of(s: Session, stands: Standing, request_id: int) -> InputRequest:
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
        stands, actor = admit(s, core, token)
        request = request_of(s, stands, request_id)
        audit_read(s, stands, now=now, what="form", number=request.number)
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
        stands, actor = admit(s, core, token)
        request_of(s, stands, request_id)
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
        return replace(page, message=text_of(saved))
    if not result.ok:
        return replace(page, errors=dict(result.errors))
    message = text_of(result.reply) if result.reply is not None else "Thank you: it is submitted."
    return replace(page, version=result.version, message=message, submitted=True)


def text_of(reply: Reply) -> str:
    """A reply's words, as one paragraph of plain text (command hints unmarked)."""
    parts = [plain(list(b.spans)) for b in reply.blocks if isinstance(b, Paragraph)]
    return unmarked(" ".join(p for p in parts if p) or reply.summary)
