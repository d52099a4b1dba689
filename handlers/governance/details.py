"""`pupil details` (key worker): a private form for the pupil's full name, date of birth and UPN.

The forms core never stores its answers (``hooks.PRIVATE``): this hook encrypts them with
``TACBOT_DATA_KEY`` (``storage.repo.pupils``). They appear only in the subject access export and are used
by retention (date of birth + the school's retention years); never in a room, a message, a reminder, a
log or the plan export. The form is never prefilled, so they are not sent back out to a platform either.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from handlers import access
from handlers.chasing.queueing import calendar_for
from handlers.core import Ask, Core
from handlers.errors import NotAllowed
from handlers.forms.hooks import ON_SUBMIT, PRIVATE, FieldErrors, FollowUp, Submitted
from handlers.forms.requests import create_input_request
from handlers.grammar import commands as c
from handlers.render import case_title
from handlers.replies import Button, Buttons, Note, Reply, Strong, para, reply
from storage import audit
from storage.repo import forms as form_repo
from storage.repo import pupils

FORM_ID = "pupil-details"
UPN = re.compile(r"[A-Z]\d{11}[0-9A-Z]")
OFF = NotAllowed(
    "Pupil details are off here: they must be encrypted and no key is configured.",
    hint="An administrator sets TACBOT_DATA_KEY (`tacbot data new-key` makes one).",
)


async def pupil_details_form(ask: Ask, cmd: c.PupilDetailsForm) -> Reply:
    form = ask.core.forms[FORM_ID]
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "record the pupil's details")
        access.require_open(acc)
        if ask.core.cipher is None:
            raise OFF
        stored = pupils.exists(s, case_id=acc.case.id)
        request = form_repo.open_request_for(s, case_id=acc.case.id, form_id=form.id, person_id=who.person.id)
        if request is None:
            request = create_input_request(
                s,
                case=acc.case,
                form=form,
                person=who.person,
                requested_by=who.person,
                due=ask.today,
                now=ask.now,
                cal=calendar_for(s, ask, school_id=acc.case.school_id),
            )
        request_id, title = request.id, case_title(acc.case)
    return reply(
        para("The pupil's details for ", Strong(title), ": full legal name, date of birth and UPN."),
        Buttons((Button("Open form", "form.open", str(request_id), style="primary"),)),
        Note(
            (
                ("Details are stored already; submitting replaces them. " if stored else "")
                + "They are kept encrypted, apart from the case, and appear only in a subject access export.",
            )
        ),
        summary=f"Pupil details for {title}",
        direct=True,  # its form too: in a Teams channel, the card would be the room's to see
    )


def _checked(answers: dict[str, object], today: date) -> pupils.Details:
    name = " ".join(str(answers.get("full_name", "")).split())
    born = date.fromisoformat(str(answers["date_of_birth"]))
    upn = str(answers.get("upn") or "").strip().upper()
    errors: dict[str, str] = {}
    if born >= today:
        errors["date_of_birth"] = "The date of birth must be in the past."
    elif born.year < today.year - 30:
        errors["date_of_birth"] = "That date of birth is more than 30 years ago; check the year."
    if upn and not UPN.fullmatch(upn):
        errors["upn"] = "A UPN is 13 characters: a letter, 11 digits, then a digit or a letter."
    if errors:
        raise FieldErrors(errors)
    return pupils.Details(full_name=name, date_of_birth=born, upn=upn)


def on_submit(s: Session, sub: Submitted) -> FollowUp:
    """Encrypt and store the details (replacing any); audited without them."""
    if sub.person.id != sub.case.key_worker_id:
        raise NotAllowed(f"Only the key worker of {sub.case.reference} can record the pupil's details.")
    if sub.core.cipher is None:
        raise OFF
    today = sub.now.astimezone(sub.core.tz).date()
    details = _checked(dict(sub.answers), today)
    new = pupils.save(
        s, case_id=sub.case.id, details=details, cipher=sub.core.cipher, by_id=sub.person.id, now=sub.now
    )
    audit.record(
        s,
        action="pupil.details_recorded" if new else "pupil.details_replaced",
        at=sub.now,
        school_id=sub.case.school_id,
        case_id=sub.case.id,
        actor_id=sub.person.id,
        why="kept encrypted for retention and subject access",
    )

    async def nothing_to_post(core: Core) -> None:
        return None

    return nothing_to_post


ON_SUBMIT[FORM_ID] = on_submit
PRIVATE.add(FORM_ID)
