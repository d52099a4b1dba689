"""Use cases: `forms` (what can be requested) and `request <form> from <@person>|team [due <date>]`."""

from __future__ import annotations

import contextlib
import difflib
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from handlers import access
from handlers.chasing.queueing import calendar_for, plan_request, stop_request
from handlers.core import Ask
from handlers.errors import NotFound, UsageError
from handlers.forms.buttons import open_form
from handlers.forms.library import Form, FormLibrary
from handlers.grammar import commands as c
from handlers.outside.topics import Topic
from handlers.platform import PlatformError
from handlers.render import case_title, mention, plural
from handlers.replies import Bullets, Code, Fields, Heading, MailNote, Note, Reply, Span, Strong, para
from handlers.replies import reply as make_reply
from scheduler.calendar import SchoolCalendar
from scheduler.policy import DEFAULT, Policy
from storage import audit
from storage.models import Case, InputRequest, Person
from storage.repo import cases as case_repo
from storage.repo import forms as form_repo
from storage.repo import people


def default_due(route: str, today: date, policy: Policy = DEFAULT) -> date:
    """The due date when none is given: ``ehc_advice_weeks`` on the EHC assessment route (SEND Regulations
    2014 reg 8: 6 weeks), else ``input_due_weeks`` (2), both from the school's policy."""
    weeks = policy.ehc_advice_weeks if route == "ehc-assessment" else policy.input_due_weeks
    return today + timedelta(weeks=weeks)


def school_forms(s: Session, ask: Ask) -> FormLibrary:
    """The forms of the asker's school (the workspace's): built-in, the deployment's and its own."""
    actor = ask.command.actor
    school = people.find_school(s, platform=actor.platform, external_id=actor.workspace)
    return ask.core.forms_of(s, school.id if school is not None else None)


async def list_forms(ask: Ask, cmd: c.FormsList) -> Reply:
    with ask.core.db.transaction() as s:
        forms = school_forms(s, ask).requestable()
    items: tuple[tuple[Span, ...], ...] = tuple(
        (Code(f.id), " · ", f.title, " · for ", f.for_whom[:1].lower() + f.for_whom[1:]) for f in forms
    )
    return make_reply(
        Heading("Input forms"),
        Bullets(items),
        Note(("Request one with `request <form> from @person due <date>`, or `from team`.",)),
        summary=f"{len(forms)} forms",
    )


def find_form(forms: FormLibrary, form_id: str) -> Form:
    form = forms.get(form_id)
    if form is None or form.retired:
        close = difflib.get_close_matches(form_id, [f.id for f in forms.requestable()], n=1, cutoff=0.6)
        raise NotFound(
            f"There is no form called `{form_id}`.",
            hint=f"Did you mean `{close[0]}`?" if close else "Type `forms` to see the forms.",
        )
    if form.internal:
        raise UsageError(
            f"`{form_id}` is not requested from anyone; the bot opens it itself.",
            hint="For the record of a review meeting, type `review record`.",
        )
    return form


def create_input_request(
    s: Session,
    *,
    case: Case,
    form: Form,
    person: Person,
    requested_by: Person,
    due: date,
    now: datetime,
    cal: SchoolCalendar,
) -> InputRequest:
    """The one place a request is made (and audited); its chasers are queued here, in the same transaction."""
    request = form_repo.create_request(
        s,
        case_id=case.id,
        form_id=form.id,
        requested_of_id=person.id,
        requested_by_id=requested_by.id,
        due=due,
        now=now,
    )
    audit.record(
        s,
        action="input.requested",
        at=now,
        school_id=case.school_id,
        case_id=case.id,
        actor_id=requested_by.id,
        person_id=person.id,
        number=request.number,
        form_id=form.id,
        due=due.isoformat(),
        why="input for the team around the child",
    )
    if not form.internal:  # an internal form is the asker's own next step, opened at once: no chasers
        plan_request(s, cal=cal, case=case, request=request, now=now)
    return request


@dataclass(frozen=True, slots=True)
class _Made:
    request_id: int
    person: Person


def request_message(form: Form, case: Case, asked_by: Person, request_id: int, due: date) -> Reply:
    """The DM to the person asked: neutral, the case named only by reference and alias."""
    message = make_reply(
        para("You are asked for ", Strong(form.title), " for ", Strong(case_title(case)), "."),
        Fields((("Asked by", (mention(asked_by),)), ("Due", (f"{due:%a %d %b %Y}",)))),
        open_form(request_id),
        Note(("Only you and the case's key worker can open it. You can save a draft and come back.",)),
        summary=f"Form requested for {case.reference}: {form.title}, due {due:%d %b %Y}",
        private=False,
    )
    return replace(message, mail=MailNote(Topic.FORM, case.id, due=due, subject_id=request_id))


async def request_form(ask: Ask, cmd: c.RequestForm) -> Reply:
    with ask.core.db.transaction() as s:
        form = find_form(school_forms(s, ask), cmd.form_id)
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "request input")
        access.require_open(acc)
        case = acc.case
        cal = calendar_for(s, ask, school_id=case.school_id)
        due = cmd.due or default_due(case.route, ask.today, cal.policy)
        if due < ask.today:
            raise UsageError(f"{due:%d %b %Y} is in the past.", command="request")
        members = case_repo.active_members(s, case_id=case.id)
        if cmd.person is None:
            ids = [m.person_id for m in members if m.person_id != case.key_worker_id]
            if not ids:
                raise UsageError("The team has nobody but you yet.", hint="Invite people first.")
        else:
            person = people.find_person(
                s, platform=ask.command.actor.platform, external_id=cmd.person.user_id
            )
            if person is None or person.id not in {m.person_id for m in members}:
                raise NotFound(
                    f"{cmd.person.label} is not on the team of {case.reference}.",
                    hint="Invite them first; only the team can be asked for input.",
                )
            ids = [person.id]
        persons = people.people_by_id(s, ids=set(ids))
        made: list[_Made] = []
        already: list[Person] = []
        for pid in ids:
            p = persons[pid]
            if form_repo.open_request_for(s, case_id=case.id, form_id=form.id, person_id=pid):
                already.append(p)
                continue
            r = create_input_request(
                s, case=case, form=form, person=p, requested_by=who.person, due=due, now=ask.now, cal=cal
            )
            made.append(_Made(r.id, p))
    failed: list[Person] = []
    for m in made:
        with contextlib.suppress(PlatformError):
            await ask.platform.direct_message(
                workspace=ask.workspace,
                user_id=m.person.external_id,
                reply=request_message(form, case, who.person, m.request_id, due),
            )
            continue
        failed.append(m.person)
    return _request_reply(form, case, due, [m.person for m in made], already, failed)


def _names(persons: list[Person]) -> list[Span]:
    spans: list[Span] = []
    for i, p in enumerate(persons):
        spans += [", " if i else "", mention(p)]
    return spans


def _request_reply(
    form: Form, case: Case, due: date, made: list[Person], already: list[Person], failed: list[Person]
) -> Reply:
    blocks = []
    if made:
        blocks.append(
            para("Asked ", *_names(made), f" for {form.title} on {case.reference}, due {due:%a %d %b %Y}.")
        )
    if already:
        blocks.append(para("Already asked, still open: ", *_names(already), "."))
    if failed:
        blocks.append(
            para("Could not message ", *_names(failed), "; the request stands. Tell them directly.")
        )
    if not made:
        return Reply(tuple(blocks), summary="Nobody new to ask", refused=True)
    return make_reply(
        *blocks, summary=f"Asked {plural(len(made), 'person', 'people')} for {form.title} on {case.reference}"
    )


def cancel_requests(
    s: Session, *, case: Case, actor_id: int | None, now: datetime, reason: str, person_id: int | None = None
) -> None:
    """Cancel open requests and their chasers, audited: one person's (they left the team) or all (closed)."""
    for request in form_repo.cancel_open_requests(s, case_id=case.id, person_id=person_id):
        stop_request(s, request=request, now=now)
        audit.record(
            s,
            action="input.cancelled",
            at=now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=actor_id,
            person_id=request.requested_of_id,
            number=request.number,
            reason=reason,
        )
