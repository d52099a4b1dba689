"""The small modal a button with a ``Prompt`` opens: a date picker or one line of text (pure)."""

from __future__ import annotations

import json
from typing import Any

from bot.slack import limits
from bot.slack import mrkdwn as md
from bot.slack.incoming import PROMPT_ACTION, PROMPT_BLOCK, PROMPT_CALLBACK, Pressed


def prompt_view(press: Pressed, *, today: str | None = None) -> dict[str, Any]:
    """The ``views.open`` view asking for the prompt's answer; what to do with it rides in metadata."""
    assert press.prompt is not None
    kind, label, field_name = press.prompt
    interaction = press.interaction
    meta = {
        "a": interaction.action,
        "v": interaction.value,
        "f": field_name,
        "c": interaction.room_id,
        "r": press.response_url,
    }
    element: dict[str, Any]
    if kind == "date":
        element = {"type": "datepicker", "action_id": PROMPT_ACTION}
        if today:
            element["initial_date"] = today
    else:
        element = {"type": "plain_text_input", "action_id": PROMPT_ACTION, "max_length": 500}
    metadata = json.dumps(meta, separators=(",", ":"))
    if len(metadata) > limits.PRIVATE_METADATA:
        raise ValueError("prompt metadata too long for Slack")
    return {
        "type": "modal",
        "callback_id": PROMPT_CALLBACK,
        "title": {"type": "plain_text", "text": md.plain("TAC Bot", size=limits.MODAL_TITLE)},
        "submit": {"type": "plain_text", "text": "OK"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": metadata,
        "blocks": [
            {
                "type": "input",
                "block_id": PROMPT_BLOCK,
                "label": {"type": "plain_text", "text": md.plain(label, size=2000)},
                "element": element,
            }
        ],
    }
