"""The pack's inputs part: each input the key worker shared with the room (`share input <n>`), at its
newest shared version (form, who, when, headline answers), and which submitted inputs were not shared.

Registered in ``handlers.reviews.pack.PACK_PARTS``. Answers are user text (escaped by every renderer);
only the headline answers appear, clipped.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from handlers.core import Core
from handlers.forms.answers import display
from handlers.forms.library import Form
from handlers.render import mention
from handlers.replies import Block, Fields, Heading, Note, Span, Strong, para
from storage.models import Case, FormSubmission, InputRequest
from storage.repo import forms as form_repo
from storage.repo import people, shares

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
    """Blocks for every input the key worker shared (its newest shared version), newest first, and a note
    naming the submitted inputs that were not shared (title and number only)."""
    shared = shares.latest_shared_versions(s, case_id=case.id)
    picked: list[tuple[InputRequest, FormSubmission]] = []
    held: list[InputRequest] = []
    for request in form_repo.requests_for_case(s, case_id=case.id):
        if _internal(core, request.form_id):
            continue
        if request.id in shared:
            sub = form_repo.submission(s, request_id=request.id, version=shared[request.id])
            if sub is not None:
                picked.append((request, sub))
        elif form_repo.latest_submission(s, request_id=request.id) is not None:
            held.append(request)
    if not picked and not held:
        return []
    picked.sort(key=lambda pair: pair[1].submitted_at, reverse=True)
    persons = people.people_by_id(s, ids={sub.submitted_by_id for _, sub in picked})
    forms = core.forms_of(s, case.school_id)
    blocks: list[Block] = [Heading("Inputs shared with the team")]
    for request, sub in picked[:MOST]:
        form = forms.get(request.form_id)
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
            chosen = [f for f in answered if f.headline][:HEADLINES] or answered[:HEADLINES]
            if chosen:
                blocks.append(
                    Fields(tuple((f.label, (_clip(display(f, sub.answers[f.id])),)) for f in chosen))
                )
    if len(picked) > MOST:
        blocks.append(Note((f"{len(picked) - MOST} more shared inputs: `inputs` lists them all.",)))
    if held:
        names = ", ".join(f"input {r.number} ({_title(forms, r.form_id)})" for r in held)
        blocks.append(Note((f"Not shared with the team, so not in this pack: {names}.",)))
    return blocks


def _title(forms: Mapping[str, Form], form_id: str) -> str:
    form = forms.get(form_id)
    return form.title if form is not None else form_id
