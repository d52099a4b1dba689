"""Form buttons in a Teams turn: *Open form* shows the form card; its *Submit* / *Save draft* come back.

``Action.Submit`` arrives as a message whose ``value`` is the button's data with the card's inputs merged
in; ``Action.Execute`` as an ``adaptiveCard/action`` invoke. Either way ``answer`` decides what to show:
the form card (new, or again with the field errors and what was typed), or a reply card; and the room
summary to post after a stored submission. Nobody but the person asked or the key worker gets a form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.teams.form_flow import card_submission, open_card
from bot.teams.forms import DRAFT, SUBMIT
from handlers.core import Core
from handlers.dispatch import error_reply
from handlers.errors import TacBotError
from handlers.forms import api
from handlers.model import Actor
from handlers.replies import Reply

OPEN = "form.open"


def is_form_data(data: Mapping[str, Any] | None) -> bool:
    """The *Open form* button of a request DM, or a form card's own *Submit* / *Save draft*."""
    if data is None:
        return False
    action = data.get("action")
    return action == OPEN or (action in (SUBMIT, DRAFT) and "request" in data)


@dataclass(frozen=True, slots=True)
class FormAnswer:
    """A form card to show (``in_place``: instead of the card pressed), or a reply; and a room post."""

    card: dict[str, Any] | None = None
    reply: Reply | None = None
    post: api.RoomPost | None = None
    in_place: bool = False


async def answer(core: Core, actor: Actor, data: Mapping[str, Any]) -> FormAnswer:
    """Open, save or submit; a refusal (not asked, cancelled, closed) is a reply and shows no form."""
    try:
        if data.get("action") == OPEN:
            return FormAnswer(card=open_card(core, actor, str(data.get("value") or "")))
        outcome = await card_submission(core, actor, data)
    except TacBotError as error:
        return FormAnswer(reply=error_reply(error))
    # The card with errors replaces itself; a stored submission replaces the form with its confirmation.
    in_place = outcome.card is not None or data.get("action") == SUBMIT
    return FormAnswer(card=outcome.card, reply=outcome.reply, post=outcome.post, in_place=in_place)
