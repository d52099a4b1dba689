"""The form modal's flow, between Slack's payloads and the neutral forms API (no network here).

The Slack edge calls these from its listeners: ``open_view`` for the *Open form* button (then
`views.open` with the trigger id), ``view_submission`` for the modal's submit (its result is the ack
body; then ``api.announce`` for the room summary, after the ack), and ``save_modal_draft`` for the
modal's *Save draft* button. A long form goes step by step, the steps so far kept as a draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.slack.forms import answers_from_state, errors_response, metadata, modal, step_of, steps
from handlers.core import Core
from handlers.forms import api
from handlers.forms.answers import check_answers
from handlers.model import Actor
from handlers.replies import Reply


def open_view(core: Core, actor: Actor, request_id: str) -> dict[str, Any]:
    """The modal for `views.open`; raises ``NotAllowed`` (nothing opens) for anyone not entitled."""
    return modal(api.open_form(core, actor, request_id))


def _state_values(view: Mapping[str, Any]) -> Mapping[str, Any]:
    state = view.get("state")
    values = state.get("values") if isinstance(state, Mapping) else None
    return values if isinstance(values, Mapping) else {}


def _merged(core: Core, actor: Actor, request_id: str, view: Mapping[str, Any]) -> dict[str, object]:
    """What was saved before (earlier steps, a draft) with this step's answers on top."""
    before: dict[str, object] = dict(api.open_form(core, actor, request_id).answers)
    return before | answers_from_state(_state_values(view))


@dataclass(frozen=True, slots=True)
class SubmissionOutcome:
    """The ack body for Slack, and the room summary to post once acknowledged (if any)."""

    ack: dict[str, Any]
    post: api.RoomPost | None = None
    reply: Reply | None = None  # the confirmation, for a DM to the person


async def view_submission(core: Core, actor: Actor, view: Mapping[str, Any]) -> SubmissionOutcome:
    """Errors under the fields, the next step, or a stored submission and a cleared modal."""
    request_id, step = metadata(view)
    form = api.open_form(core, actor, request_id).form
    pages = steps(form)
    raw = _merged(core, actor, request_id, view)
    if step < len(pages) - 1:
        here = {f.id for _, fields in pages[step] for f in fields}
        errors = {k: v for k, v in check_answers(form, raw).errors.items() if k in here}
        if errors:
            return SubmissionOutcome(errors_response(errors, view=view))
        api.save_draft(core, actor, request_id, raw)
        following = modal(api.open_form(core, actor, request_id), step=step + 1)
        return SubmissionOutcome({"response_action": "update", "view": following})
    result = await api.submit_form(core, actor, request_id, raw, announce_now=False)
    if result.errors:
        back = step_of(form, result.errors)
        if back == step:
            return SubmissionOutcome(errors_response(result.errors, view=view))
        api.save_draft(core, actor, request_id, raw)
        earlier = modal(api.open_form(core, actor, request_id), step=back)
        return SubmissionOutcome({"response_action": "update", "view": earlier})
    return SubmissionOutcome({"response_action": "clear"}, post=result.post, reply=result.reply)


def save_modal_draft(core: Core, actor: Actor, view: Mapping[str, Any]) -> Reply:
    """The modal's *Save draft* button (a block action carrying the view and its state)."""
    request_id, _ = metadata(view)
    return api.save_draft(core, actor, request_id, _merged(core, actor, request_id, view))
