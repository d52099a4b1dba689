"""The pack's inputs part: the latest submitted version of each input (form, who, when, headline answers).

Registered in ``handlers.reviews.pack.PACK_PARTS``. Answers are user text (escaped by every renderer);
only the headline answers appear, clipped, as in the room's summary when the form was submitted.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from handlers.core import Core
from handlers.forms.answers import display
from handlers.render import mention
from handlers.replies import Block, Fields, Heading, Note, Span, Strong, para
from storage.models import Case
from storage.repo import forms as form_repo
from storage.repo import people

MOST = 8  # inputs shown; the rest are named in a note (the pack has a block budget)
HEADLINES = 3
CHARS = 160


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CHARS else text[: CHARS - 1] + "…"


def _internal(core: Core, form_id: str) -> bool:
    """A form the bot opens for a command (the record of a review): its own message, not an input."""
    form = core.forms.get(form_id)
    return form is not None and form.internal


def inputs_part(s: Session, case: Case, core: Core) -> list[Block]:
    """Blocks for every request with a submitted version, newest submission first."""
    latest = [
        (request, sub)
        for request in form_repo.requests_for_case(s, case_id=case.id)
        if not _internal(core, request.form_id)
        and (sub := form_repo.latest_submission(s, request_id=request.id)) is not None
    ]
    if not latest:
        return []
    latest.sort(key=lambda pair: pair[1].submitted_at, reverse=True)
    persons = people.people_by_id(s, ids={sub.submitted_by_id for _, sub in latest})
    blocks: list[Block] = [Heading("Inputs from the team (latest versions)")]
    for request, sub in latest[:MOST]:
        form = core.forms.get(request.form_id)
        title = form.title if form is not None else request.form_id
        when = sub.submitted_at.astimezone(core.tz)
        head: list[Span] = [
            Strong(title),
            " from ",
            mention(persons[sub.submitted_by_id]),
            f" · {when:%d %b %Y}",
        ]
        if sub.version > 1:
            head.append(f" · version {sub.version}")
        blocks.append(para(*head))
        if form is not None:
            answered = [f for f in form.fields if f.id in sub.answers]
            picked = [f for f in answered if f.headline][:HEADLINES] or answered[:HEADLINES]
            if picked:
                blocks.append(
                    Fields(tuple((f.label, (_clip(display(f, sub.answers[f.id])),)) for f in picked))
                )
    if len(latest) > MOST:
        blocks.append(Note((f"{len(latest) - MOST} more inputs: `inputs` lists them all.",)))
    return blocks
