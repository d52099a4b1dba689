"""A concern as a DSL reads it: who raised it, from which case, the answers, and *Acknowledge*."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.concerns.common import FORM_ID
from handlers.core import Core
from handlers.render import case_title, mention
from handlers.replies import Button, Buttons, Fields, Heading, Note, Reply, Span, Strong, para
from storage.models import Case, Concern
from storage.repo import people


def dsl_message(s: Session, concern: Concern, *, now: datetime, core: Core, again: bool = False) -> Reply:
    """The concern for a DSL: who raised it, from which case, the answers, and *Acknowledge*."""
    form = core.forms[FORM_ID]
    raiser = people.people_by_id(s, ids={concern.raised_by_id})[concern.raised_by_id]
    case = s.get(Case, concern.case_id) if concern.case_id is not None else None
    raised = (concern.raised_at or now).astimezone(core.tz)
    head: list[Span] = [
        "Raised by ",
        mention(raiser),
        f" on {raised:%a %d %b %Y at %H:%M}",
    ]
    if case is not None:
        head += [" (from the case ", Strong(case_title(case)), ")"]
    answers = concern.answers
    fields = tuple((f.label, (str(answers.get(f.id, "")),)) for f in form.fields if answers.get(f.id))
    title = f"Safeguarding concern {concern.number}" + (": not yet acknowledged" if again else "")
    return Reply(
        blocks=(
            Heading(title),
            para(*head, "."),
            Fields(fields),
            Buttons((Button("Acknowledge", "concern.ack", str(concern.id), style="primary"),)),
            Note(("Only the Designated Safeguarding Leads see this. `concerns` lists every concern.",)),
        ),
        summary=f"A safeguarding concern needs you (number {concern.number})",
        private=False,
    )
