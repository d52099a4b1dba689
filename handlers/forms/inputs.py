"""Use cases: `inputs` (the requests and what came back) and `input <n>` (one in full, with versions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from itertools import pairwise
from typing import Any

from sqlalchemy.orm import Session

from handlers import access
from handlers.core import Ask
from handlers.errors import NotFound
from handlers.forms.answers import display
from handlers.forms.hooks import PRIVATE, with_options
from handlers.forms.library import Form
from handlers.governance.reads import record_read
from handlers.grammar import commands as c
from handlers.render import case_title, mention
from handlers.replies import Block, Bullets, Fields, Heading, Note, Reply, Span, Strong, reply
from storage.models import FormSubmission, InputRequest
from storage.repo import forms as form_repo
from storage.repo import people


async def list_inputs(ask: Ask, cmd: c.InputsList) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "read the inputs")
        requests = [
            r for r in form_repo.requests_for_case(s, case_id=acc.case.id) if r.form_id not in PRIVATE
        ]
        latest = {r.id: form_repo.latest_submission(s, request_id=r.id) for r in requests}
        persons = people.people_by_id(s, ids={r.requested_of_id for r in requests})
        forms = ask.core.forms_of(s, acc.case.school_id)
    blocks: list[Block] = [Heading(f"Inputs for {case_title(acc.case)}")]
    submitted: list[tuple[Span, ...]] = []
    waiting: list[tuple[Span, ...]] = []
    for r in requests:
        form = forms.get(r.form_id)
        title = form.title if form else r.form_id
        sub = latest[r.id]
        who_span = mention(persons[r.requested_of_id])
        if sub is not None:
            when = sub.submitted_at.astimezone(ask.core.tz)
            versions = f" · {sub.version} versions" if sub.version > 1 else ""
            submitted.append((Strong(f"{r.number}."), f" {title} · ", who_span, f" · {when:%d %b}{versions}"))
        elif r.state == "open":
            late = r.due < ask.today
            waiting.append(
                (Strong(f"{r.number}."), f" {title} · ", who_span, f" · due {r.due:%d %b}")
                + ((" · ", Strong("OVERDUE")) if late else ())
            )
    if submitted:
        blocks += [Heading("Submitted"), Bullets(tuple(submitted))]
    if waiting:
        blocks += [Heading("Awaited"), Bullets(tuple(waiting))]
    if not requests:
        blocks.append(Note(("Nothing requested yet: `request <form> from @person`.",)))
    elif submitted:
        blocks.append(Note(("Read one in full with `input <n>`.",)))
    return reply(*blocks, summary=f"{len(submitted)} inputs submitted, {len(waiting)} awaited", direct=True)


def _is_author(request: InputRequest, versions: Sequence[FormSubmission], person_id: int) -> bool:
    return person_id == request.requested_of_id or any(v.submitted_by_id == person_id for v in versions)


def answer_blocks(form: Form | None, answers: Mapping[str, Any]) -> list[Block]:
    """Every answer, by the form's sections (user text: every renderer escapes it)."""
    if form is None:
        return [Fields(tuple((k, (str(v),)) for k, v in answers.items()))]
    blocks: list[Block] = []
    for section in form.sections:
        items = tuple((f.label, (display(f, answers[f.id]),)) for f in section.fields if f.id in answers)
        if items:
            blocks += [Heading(section.title), Fields(items)]
    return blocks


async def show_input(ask: Ask, cmd: c.InputShow) -> Reply:
    """One input in full: for the key worker and for its author (anyone else reads it once it is
    shared with the room). A read by the author is audited."""
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        request = form_repo.get_request_by_number(s, case_id=acc.case.id, number=cmd.number)
        versions = form_repo.submissions(s, request_id=request.id) if request is not None else []
        if request is None or not (acc.is_key_worker or _is_author(request, versions, who.person.id)):
            access.require_key_worker(acc, "read the inputs")
        if request is None:
            raise NotFound(
                f"{acc.case.reference} has no input {cmd.number}.", hint="Type `inputs` to see them."
            )
        if request.form_id in PRIVATE:
            raise NotFound(
                f"Input {cmd.number} is the pupil's details: kept encrypted, shown only in a subject access "
                "export.",
                hint="Type `inputs` to see the inputs.",
            )
        record_read(s, acc, what="input", now=ask.now, number=request.number)
        persons = people.people_by_id(
            s, ids={request.requested_of_id, *(v.submitted_by_id for v in versions)}
        )
        form = ask.core.forms_of(s, acc.case.school_id).get(request.form_id)
        form = with_options(s, form, acc.case) if form is not None else None  # names, not ids
    title = form.title if form else request.form_id
    asked = persons[request.requested_of_id]
    if not versions:
        return Reply.text(
            f"Input {cmd.number} ({title}) from ",
            mention(asked),
            f" is not in yet; due {request.due:%a %d %b %Y}.",
            direct=True,
        )
    last = versions[-1]
    when = last.submitted_at.astimezone(ask.core.tz)
    blocks: list[Block] = [
        Heading(f"{title}: {case_title(acc.case)}"),
        Fields(
            (
                ("From", (mention(persons[last.submitted_by_id]),)),
                ("Submitted", (f"{when:%a %d %b %Y %H:%M}",)),
                ("Version", (f"{last.version} of {len(versions)}",)),
            )
        ),
        *answer_blocks(form, last.answers),
    ]
    if len(versions) > 1:
        lines: list[tuple[Span, ...]] = []
        for older, newer in pairwise(versions):
            changed = sorted(
                k for k in {*older.answers, *newer.answers} if older.answers.get(k) != newer.answers.get(k)
            )
            labels = [(form.field(k).label if form and form.field(k) else k) for k in changed]  # type: ignore[union-attr]
            at = newer.submitted_at.astimezone(ask.core.tz)
            lines.append(
                (f"Version {newer.version}, {at:%d %b %H:%M}: changed ", ", ".join(labels) or "nothing")
            )
        at0 = versions[0].submitted_at.astimezone(ask.core.tz)
        lines.insert(0, (f"Version 1, {at0:%d %b %H:%M}: first submitted",))
        blocks += [Heading("Versions"), Bullets(tuple(lines))]
    return reply(*blocks, summary=f"Input {cmd.number}: {title}", direct=True)  # not the room's until shared


def awaited(s: Session, *, case_id: int, today: date) -> str:
    """`2 awaited (1 overdue)`: the open input requests of a case, for `status`."""
    waiting = [r for r in form_repo.requests_for_case(s, case_id=case_id) if r.state == "open"]
    late = sum(1 for r in waiting if r.due < today)
    if not waiting:
        return "none awaited"
    return f"{len(waiting)} awaited" + (f" ({late} overdue)" if late else "")
