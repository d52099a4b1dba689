"""Chasing requested inputs: queue and stop their reminders, and answer their chasers' buttons.

Registered as ``handlers.chasers.ANSWERS["input_request"]``. Done does not submit anything: the form
itself is the answer, so Done says to submit it (with an Open form button). Need more time moves the
request's due date and re-plans; Blocked stops the chasers and tells the key worker.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.chasers import ANSWERS, Notice, answerer, block_reason, blocked
from handlers.core import Ask
from handlers.errors import NotFound, UsageError
from handlers.grammar.dates import parse_date
from handlers.model import Interaction
from handlers.reminders import calendar_for
from handlers.replies import Button, Buttons, Reply, para, reply
from scheduler import queue
from scheduler.calendar import SchoolCalendar
from scheduler.subjects import form_title
from storage import audit
from storage.models import Case, InputRequest, Person

KIND = "input_request"


def plan_request(
    s: Session, *, cal: SchoolCalendar, case: Case, request: InputRequest, now: datetime
) -> None:
    """(Re)plan the chasers of an open request from its due date (the EHC route: weeks 4 and 5 too)."""
    if request.state != "open":
        stop_request(s, request=request, now=now)
        return
    queue.reschedule(
        s,
        cal=cal,
        kind=KIND,
        subject_id=request.id,
        school_id=case.school_id,
        case_id=case.id,
        recipient_id=request.requested_of_id,
        key_worker_id=case.key_worker_id,
        due=request.due,
        route=case.route,
        now=now,
        requested_on=cal.local(request.created_at).date(),
    )


def stop_request(s: Session, *, request: InputRequest, now: datetime) -> None:
    """The request was submitted, cancelled or blocked: nothing more to chase."""
    queue.cancel_for(s, kind=KIND, subject_id=request.id, now=now)


def _load(ask: Ask, s: Session, request_id: int) -> tuple[InputRequest, Case, Person]:
    """The request, its case and the asker, if they are the person asked or the key worker (members)."""
    request = s.get(InputRequest, request_id)
    case, person = answerer(
        s,
        ask,
        case_id=request.case_id if request else None,
        owner_id=request.requested_of_id if request else None,
        who_may="the person asked",
    )
    assert request is not None
    return request, case, person


def _open_form(request_id: int) -> Buttons:
    return Buttons((Button("Open form", "form.open", str(request_id), style="primary"),))


async def answer_input_request(ask: Ask, interaction: Interaction, request_id: int) -> Reply:
    """Done: submit the form (Open form); Need more time: a new due date; Blocked: tell the key worker."""
    verb = interaction.action.partition(".")[2]
    notice: Notice | None = None
    with ask.core.db.transaction() as s:
        request, case, who = _load(ask, s, request_id)
        label = f"{form_title(request.form_id, ask.core.forms)} (input {request.number})"
        base = {"school_id": case.school_id, "case_id": case.id, "actor_id": who.id, "number": request.number}
        if request.state == "submitted":
            return Reply.text(f"{label} on {case.reference} is already submitted. Thank you.")
        if request.state != "open":
            return Reply.text(f"{label} on {case.reference} was cancelled; there is nothing to do.")
        if verb == "done":
            return reply(
                para(f"{label} on {case.reference} is done when the form is submitted: open it and submit."),
                _open_form(request.id),
                summary=f"Submit the form to finish {label}",
            )
        if verb == "later":
            new = parse_date(interaction.inputs.get("date", ""), today=ask.today)
            if new < ask.today:
                raise UsageError(f"{new:%d %b %Y} is in the past.", hint="Choose a date from today on.")
            old, request.due = request.due, new
            cal = calendar_for(s, ask, school_id=case.school_id)
            plan_request(s, cal=cal, case=case, request=request, now=ask.now)
            audit.record(
                s,
                action="input.due_changed",
                at=ask.now,
                via="chaser",
                old=old.isoformat(),
                new=new.isoformat(),
                **base,
            )
            text = f"{label} on {case.reference} is now due {new:%a %d %b %Y}. I'll remind you nearer then."
        elif verb == "blocked":
            reason = block_reason(interaction)
            stop_request(s, request=request, now=ask.now)
            audit.record(s, action="input.blocked", at=ask.now, reason=reason, **base)
            notice, text = blocked(s, ask, case=case, label=label, who=who, reason=reason)
        else:
            raise NotFound("That button no longer does anything.")
    if notice is not None:
        await notice.platform.direct_message(
            workspace=notice.workspace, user_id=notice.user_id, reply=notice.reply
        )
    return Reply.text(text)


ANSWERS[KIND] = answer_input_request
