"""The neutral form operations every platform edge calls: open, save a draft, submit.

Each checks first that the person is the one asked, or the case's key worker; anyone else gets a polite
refusal (``NotAllowed``) and learns nothing about the case.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from handlers import access
from handlers.chasing.queueing import stop_request
from handlers.core import Core
from handlers.errors import NotAllowed
from handlers.forms.answers import Answers, check_answers
from handlers.forms.hooks import ON_SUBMIT, PRIVATE, FieldErrors, FollowUp, Submitted, with_options
from handlers.forms.library import Form
from handlers.model import Actor
from handlers.platform import PlatformError
from handlers.render import case_title, mention
from handlers.replies import Note, Reply, Span, Strong, para, reply
from storage import audit
from storage.models import Case, InputRequest, Person
from storage.repo import cases as case_repo
from storage.repo import forms as form_repo
from storage.repo import people


@dataclass(frozen=True, slots=True)
class FormView:
    """A form ready to show: the request, the case's title, and the answers to fill in (draft or last)."""

    request_id: str
    form: Form
    case_title: str
    due: date
    state: str
    answers: Answers
    version: int  # the latest submitted version, 0 if none
    from_draft: bool
    drafts: bool = True  # False for a private form (``hooks.PRIVATE``): no *Save draft*
    private: bool = False  # ``hooks.PRIVATE``: nothing typed in it is ever shown back, not even on errors


@dataclass(frozen=True, slots=True)
class RoomPost:
    """What to send once the submission is stored (see ``announce``): the short summary for the case room,
    or a form's own follow-up (``hooks.ON_SUBMIT``, e.g. the minutes of a review meeting)."""

    platform: str
    workspace: str
    room_id: str | None
    reply: Reply | None
    follow_up: FollowUp | None = None


@dataclass(frozen=True, slots=True)
class SubmitResult:
    """Either errors by field id (nothing stored), or the confirmation for the person who submitted."""

    errors: dict[str, str] = field(default_factory=dict)
    reply: Reply | None = None
    version: int = 0
    post: RoomPost | None = None  # still to be posted when ``submit_form(..., announce=False)``

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class _Allowed:
    request: InputRequest
    case: Case
    person: Person
    form: Form


@dataclass(frozen=True, slots=True)
class FormSource:
    """Forms kept outside the case's input requests (a safeguarding concern): their ids are
    ``<prefix>-<n>`` and these three functions stand in for the input request's open, draft and submit."""

    open: Callable[[Core, Actor, str], FormView]
    save_draft: Callable[[Core, Actor, str, Mapping[str, object]], Reply]
    submit: Callable[[Core, Actor, str, Mapping[str, object]], Awaitable[SubmitResult]]


SOURCES: dict[str, FormSource] = {}


def _source(request_id: str) -> FormSource | None:
    prefix, sep, _ = request_id.partition("-")
    return SOURCES.get(prefix) if sep else None


def _refusal() -> NotAllowed:
    return NotAllowed(
        "Sorry, this form was not sent to you, so I can't open it.",
        hint="If you think it should have been, ask the case's key worker.",
    )


def _allowed(s: Session, core: Core, actor: Actor, request_id: str) -> _Allowed:
    """The request, for the person asked (still on the team) or the key worker; else a refusal."""
    if not request_id.isdigit() or len(request_id) > 12:
        raise _refusal()
    request = form_repo.get_request(s, request_id=int(request_id))
    person = people.find_person(s, platform=actor.platform, external_id=actor.user_id)
    if request is None or person is None:
        raise _refusal()
    case = s.get(Case, request.case_id)
    school = people.find_school(s, platform=actor.platform, external_id=actor.workspace)
    if case is None or school is None or case.school_id != school.id:
        raise _refusal()
    asked = person.id == request.requested_of_id and case_repo.active_membership(
        s, case_id=case.id, person_id=person.id
    )
    if not asked and person.id != case.key_worker_id:
        raise _refusal()
    if request.state == "cancelled":
        raise NotAllowed("This request was cancelled; there is nothing to fill in.")
    form = core.forms_of(s, case.school_id).get(request.form_id)
    if form is None:
        raise NotAllowed("This form is no longer offered here.", hint="Ask the case's key worker.")
    return _Allowed(request, case, person, with_options(s, form, case))


def open_form(core: Core, actor: Actor, request_id: str) -> FormView:
    """The form to show, filled with the person's draft or else the latest submitted answers."""
    source = _source(request_id)
    if source is not None:
        return source.open(core, actor, request_id)
    with core.db.transaction() as s:
        a = _allowed(s, core, actor, request_id)
        draft = form_repo.get_draft(s, request_id=a.request.id, person_id=a.person.id)
        latest = form_repo.latest_submission(s, request_id=a.request.id)
        answers = dict(draft.answers) if draft else dict(latest.answers) if latest else {}
        if a.form.id in PRIVATE:  # never shown back: what is stored stays where it is
            draft, latest, answers = None, None, {}
        return FormView(
            request_id=str(a.request.id),
            form=a.form,
            case_title=case_title(a.case),
            due=a.request.due,
            state=a.request.state,
            answers=check_answers(a.form, answers, draft=True).answers,
            version=latest.version if latest else 0,
            from_draft=draft is not None,
            drafts=a.form.id not in PRIVATE,
            private=a.form.id in PRIVATE,
        )


def save_draft(core: Core, actor: Actor, request_id: str, raw: Mapping[str, object]) -> Reply:
    """Keep what was typed so far (valid answers only; nothing is required yet)."""
    source = _source(request_id)
    if source is not None:
        return source.save_draft(core, actor, request_id, raw)
    now = core.clock.now()
    with core.db.transaction() as s:
        a = _allowed(s, core, actor, request_id)
        access.require_case_open(a.case)
        if a.form.id in PRIVATE:
            raise NotAllowed("This form keeps no drafts: its answers are stored only when you submit it.")
        answers = check_answers(a.form, raw, draft=True).answers
        form_repo.save_draft(s, request_id=a.request.id, person_id=a.person.id, answers=answers, now=now)
        audit.record(
            s,
            action="input.draft_saved",
            at=now,
            school_id=a.case.school_id,
            case_id=a.case.id,
            actor_id=a.person.id,
            number=a.request.number,
        )
    return Reply.text(f"Draft saved: {a.form.title}. Open the form again to carry on.")


async def announce(core: Core, post: RoomPost) -> None:
    """Post the summary to the case room (or run the form's follow-up); it is stored either way, so a
    platform failure is ignored."""
    if post.room_id is not None and post.reply is not None:
        with contextlib.suppress(PlatformError):
            await core.platform(post.platform).post(
                workspace=post.workspace, room_id=post.room_id, reply=post.reply
            )
    if post.follow_up is not None:
        await post.follow_up(core)


async def submit_form(
    core: Core, actor: Actor, request_id: str, raw: Mapping[str, object], *, announce_now: bool = True
) -> SubmitResult:
    """Check every answer; store a valid set as a new version and tell the case room in short.

    An edge that must answer within a deadline (Slack's 3 s ack) passes ``announce_now=False`` and calls
    ``announce(core, result.post)`` after acknowledging.
    """
    source = _source(request_id)
    if source is not None:
        result = await source.submit(core, actor, request_id, raw)
        if result.post is not None and announce_now:
            await announce(core, result.post)
            return replace(result, post=None)
        return result
    now = core.clock.now()
    try:
        return await _submit(core, actor, request_id, raw, announce_now=announce_now, now=now)
    except FieldErrors as refused:  # the hook's checks; its transaction rolled back, nothing stored
        return SubmitResult(errors=refused.errors)


async def _submit(
    core: Core,
    actor: Actor,
    request_id: str,
    raw: Mapping[str, object],
    *,
    announce_now: bool,
    now: datetime,
) -> SubmitResult:
    follow_up: FollowUp | None = None
    with core.db.transaction() as s:
        a = _allowed(s, core, actor, request_id)
        access.require_case_open(a.case)
        checked = check_answers(a.form, raw)
        if not checked.ok:
            return SubmitResult(errors=checked.errors)
        if a.form.id in PRIVATE:  # only its hook sees the answers; nothing of them is stored here
            version = 1 + int(a.request.state == "submitted")
            a.request.state, a.request.submitted_at = "submitted", now
        else:
            version = form_repo.add_submission(
                s, request=a.request, answers=dict(checked.answers), submitted_by_id=a.person.id, now=now
            ).version
            form_repo.delete_draft(s, request_id=a.request.id, person_id=a.person.id)
        stop_request(s, request=a.request, now=now)
        audit.record(
            s,
            action="input.submitted",
            at=now,
            school_id=a.case.school_id,
            case_id=a.case.id,
            actor_id=a.person.id,
            number=a.request.number,
            form_id=a.form.id,
            version=version,
            why="submitted to the key worker",
        )
        hook = ON_SUBMIT.get(a.form.id)
        if hook is not None:
            follow_up = hook(
                s, Submitted(core, actor, a.case, a.person, a.form, checked.answers, now, version)
            )
        room = case_repo.get_room(s, case_id=a.case.id)
        number = a.request.number
    post = None
    if follow_up is not None:
        post = RoomPost(actor.platform, actor.workspace, None, None, follow_up)
    elif room is not None and room.external_id and room.state == "ready":
        summary = room_summary(a.form, a.person, number, version, now, core)
        post = RoomPost(room.platform, actor.workspace, room.external_id, summary)
    if post is not None and announce_now:
        await announce(core, post)
        post = None
    again = f" (version {version})" if version > 1 else ""
    return SubmitResult(
        reply=Reply.text(
            "Thank you. ", Strong(a.form.title), f" for {case_title(a.case)} is submitted{again}."
        ),
        version=version,
        post=post,
    )


def room_summary(form: Form, person: Person, number: int, version: int, at: datetime, core: Core) -> Reply:
    """The room's notice: which form, from whom, when; never its answers (they are shared only by the key
    worker's decision, `share input <n>`, which is audited)."""
    when = at.astimezone(core.tz)
    head: list[Span] = [Strong(form.title), " from ", mention(person), f" · {when:%a %d %b %Y %H:%M}"]
    if version > 1:
        head.append(f" · version {version}")
    return reply(
        para(*head),
        Note(
            (
                f"Input {number} is in. Its answers go to the key worker and its author (`input {number}`); "
                f"the key worker can share them with the room: `share input {number}`.",
            )
        ),
        summary=f"{form.title} submitted",
        private=False,
    )
