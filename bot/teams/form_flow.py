"""The form card's flow, between Teams' Action.Submit data and the neutral forms API (no network here).

The Teams edge calls ``open_card`` for the *Open form* button (then sends the card), and
``card_submission`` for the card's *Submit* / *Save draft* (then updates the card in place with
``outcome.card`` when there is one, replies with ``outcome.reply``, and posts ``outcome.post``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.teams.forms import DRAFT, SUBMIT, card, from_submit
from handlers.core import Core
from handlers.forms import api
from handlers.forms.answers import Answer, check_answers
from handlers.model import Actor
from handlers.replies import Reply


def open_card(core: Core, actor: Actor, request_id: str) -> dict[str, Any]:
    """The Adaptive Card to send; raises ``NotAllowed`` (nothing opens) for anyone not entitled."""
    return card(api.open_form(core, actor, request_id))


@dataclass(frozen=True, slots=True)
class CardOutcome:
    """What to show: the card again (with errors) or a reply; and the room summary to post, if any."""

    card: dict[str, Any] | None = None
    reply: Reply | None = None
    post: api.RoomPost | None = None


async def card_submission(core: Core, actor: Actor, data: Mapping[str, Any]) -> CardOutcome:
    """Submit or save a draft; on errors the same card comes back with each error under its field."""
    action, request_id, raw = from_submit(data)
    if action == DRAFT:
        return CardOutcome(reply=api.save_draft(core, actor, request_id, raw))
    if action != SUBMIT:
        return CardOutcome(reply=Reply.text("That button no longer does anything."))
    result = await api.submit_form(core, actor, request_id, raw, announce_now=False)
    if result.reply is not None:
        return CardOutcome(reply=result.reply, post=result.post)
    view = api.open_form(core, actor, request_id)
    if view.private:  # pupil details: the card comes back empty, errors only; nothing typed goes back out
        return CardOutcome(card=card(view, errors=result.errors))
    shown: dict[str, Answer] = dict(check_answers(view.form, raw, draft=True).answers)
    for field_id in result.errors:  # keep what they typed, even where it was not accepted
        typed = raw.get(field_id)
        if isinstance(typed, str) and typed.strip():
            shown[field_id] = typed
    return CardOutcome(card=card(view, answers=shown, errors=result.errors))
