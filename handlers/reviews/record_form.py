"""Bare `review record`: the key worker gets the built-in internal form `review-record` (Open form); its
submission records the meeting exactly as the one-line command does (``record.record_meeting``).

The form is an ordinary input request of the key worker, so every platform shows it natively (Slack
modal, Teams card, console Q&A). Its "Who came" field offers the current team (``options_from: team``),
filled in when it is opened and checked again when it is submitted.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from sqlalchemy.orm import Session

from handlers import access
from handlers.chasing.queueing import calendar_for
from handlers.core import Ask, Core
from handlers.errors import BadDate, NotAllowed, NotFound, UsageError
from handlers.forms.buttons import open_form
from handlers.forms.hooks import ON_SUBMIT, FieldErrors, FollowUp, Submitted
from handlers.forms.requests import create_input_request
from handlers.grammar import commands as c
from handlers.grammar.dates import TIME_EXAMPLES, parse_time
from handlers.render import case_title
from handlers.replies import Note, Reply, Strong, para, reply
from handlers.reviews.record import RECORD_FORM_ID, deliver, record_meeting, require_started
from storage.repo import forms as form_repo
from storage.repo import people
from storage.repo import reviews as review_repo

FORM_ID = RECORD_FORM_ID


async def review_record_form(ask: Ask, cmd: c.ReviewRecordForm) -> Reply:
    form = ask.core.forms[FORM_ID]
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "record a review")
        access.require_open(acc)
        case = acc.case
        current = review_repo.current_review(s, case_id=case.id)
        require_started(current, now=ask.now, tz=ask.core.tz)
        if current is None:
            raise NotFound(
                f"There is no review meeting of {case.reference} to record.",
                hint="Fix one with `review on <date> at <time>`, or record it in one line: "
                '`review record decided "<text>"`.',
            )
        request = form_repo.open_request_for(s, case_id=case.id, form_id=form.id, person_id=who.person.id)
        if request is None:
            request = create_input_request(
                s,
                case=case,
                form=form,
                person=who.person,
                requested_by=who.person,
                due=ask.today,
                now=ask.now,
                cal=calendar_for(s, ask, school_id=case.school_id),
            )
        request_id, title, reference = request.id, case_title(case), case.reference
    asked = reply(
        para(
            "Record the review meeting of ",
            Strong(title),
            ": who came, what was decided, the changes and the next review.",
        ),
        open_form(request_id),
        Note(
            (
                "On submit the minutes go to the room, each action owner gets their actions, "
                "and the next review is fixed.",
            )
        ),
        summary=f"Record the review of {reference}",  # a notification names no alias
    )
    return replace(asked, opens_form=str(request_id))


def _next(answers_date: object, answers_time: object) -> tuple[date | None, time | None]:
    """The next review's date and time from the form's answers; ``FieldErrors`` if they do not fit."""
    day = date.fromisoformat(answers_date) if isinstance(answers_date, str) else None
    at = None
    if isinstance(answers_time, str) and answers_time.strip():
        try:
            at = parse_time(answers_time)
        except BadDate:
            raise FieldErrors({"next_time": f"Enter a time like {TIME_EXAMPLES}."}) from None
        if day is None:
            raise FieldErrors({"next_date": "Give the date of the next review too, or leave the time empty."})
    return day, at


def on_submit(s: Session, sub: Submitted) -> FollowUp:
    """Record the meeting from the form (same as the command); its messages follow once acknowledged."""
    if sub.person.id != sub.case.key_worker_id:
        raise NotAllowed(f"Only the key worker of {sub.case.reference} can record a review.")
    if sub.version > 1:  # an old form submitted again would mark the next meeting held
        raise NotAllowed(
            "That meeting is already recorded.", hint="For the next one, type `review record` again."
        )
    ids = sub.answers.get("attendees") or []
    picked = [int(v) for v in ids if isinstance(v, str) and v.isdigit()] if isinstance(ids, list) else []
    found = people.people_by_id(s, ids=set(picked))
    attendees = [found[i] for i in picked if i in found]  # in the team's order, as the form offers them
    day, at = _next(sub.answers.get("next_date"), sub.answers.get("next_time"))
    changes = sub.answers.get("changes")
    try:
        recorded = record_meeting(
            s,
            core=sub.core,
            case=sub.case,
            by=sub.person,
            attendees=attendees,
            decided=str(sub.answers["decided"]),
            changes=changes if isinstance(changes, str) and changes else None,
            next_day=day,
            next_at=at,
            now=sub.now,
        )
    except UsageError as error:
        raise FieldErrors({"next_date": str(error)}) from None
    platform, workspace, now = sub.actor.platform, sub.actor.workspace, sub.now

    async def follow_up(core: Core) -> None:
        await deliver(core, platform, workspace, recorded, now=now)

    return follow_up


ON_SUBMIT[FORM_ID] = on_submit
