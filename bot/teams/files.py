"""Files on Teams (pure): the card linking a document in the channel's Files, and file consent cards.

A bot cannot attach a file to a Teams message. Documents (exported plans) go to the case channel's Files
through Graph and the channel gets a card with an *Open* link. Files that travel with a direct message
(a review's ``.ics`` invitation) are offered with Teams' file consent card in the 1:1 chat: the person
presses *Allow*, Teams gives an upload URL in their OneDrive, and the bot puts the file there. The file
rides in the card's ``acceptContext`` (small files only), so nothing is kept on the server meanwhile.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.teams.cards import escape
from handlers.replies import Attachment

SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
CONSENT_CONTENT_TYPE = "application/vnd.microsoft.teams.card.file.consent"
INFO_CONTENT_TYPE = "application/vnd.microsoft.teams.card.file.info"
MAX_OFFERED = 64 * 1024  # bigger files are not offered: the message text says what matters


def link_card(*, title: str, filename: str, url: str) -> dict[str, Any]:
    """An Adaptive Card 1.5 announcing a document in the channel's Files, with a button opening it."""
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": "1.5",
        "body": [
            {"type": "TextBlock", "text": escape(title), "wrap": True, "size": "Medium", "weight": "Bolder"},
            {
                "type": "TextBlock",
                "text": f"{escape(filename)} is in this channel's Files.",
                "wrap": True,
                "isSubtle": True,
            },
        ],
        "actions": [{"type": "Action.OpenUrl", "title": "Open", "url": url}],
        "fallbackText": f"{title}: {filename} is in this channel's Files.",  # plain text, not markdown
    }


def consent_attachment(file: Attachment) -> dict[str, Any] | None:
    """A FileConsentCard offering ``file`` (None when it is too big to carry in the card)."""
    if len(file.content) > MAX_OFFERED:
        return None
    context = {
        "filename": file.filename,
        "mime": file.mime,
        "content": base64.b64encode(file.content).decode(),
    }
    return {
        "contentType": CONSENT_CONTENT_TYPE,
        "name": file.filename,
        "content": {
            "description": f"{file.filename}: save it to your OneDrive to open it in your calendar.",
            "sizeInBytes": len(file.content),
            "acceptContext": context,
            "declineContext": {"filename": file.filename},
        },
    }


@dataclass(frozen=True, slots=True)
class Offered:
    """The file a consent card carried, back from its ``context``."""

    filename: str
    content: bytes


def offered(context: Mapping[str, Any] | None) -> Offered | None:
    """Read the file back from the card's context; None when it is not one of ours."""
    if not isinstance(context, Mapping):
        return None
    name, raw = context.get("filename"), context.get("content")
    if not isinstance(name, str) or not isinstance(raw, str) or len(raw) > MAX_OFFERED * 2:
        return None
    try:
        return Offered(name, base64.b64decode(raw, validate=True))
    except (binascii.Error, ValueError):
        return None


def info_attachment(*, name: str, content_url: str, unique_id: str, file_type: str) -> dict[str, Any]:
    """The FileInfoCard showing the uploaded file in the chat."""
    return {
        "contentType": INFO_CONTENT_TYPE,
        "contentUrl": content_url,
        "name": name,
        "content": {"uniqueId": unique_id, "fileType": file_type},
    }
