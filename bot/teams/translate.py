"""Teams activities (as JSON) -> neutral Commands and Interactions (pure, tested on recorded payloads)."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.teams.cards import INPUT_PREFIX
from handlers.model import Actor, Command, Interaction

PLATFORM = "teams"
_AT = re.compile(r"<at>(.*?)</at>", re.DOTALL)
_LEADING_TAC = re.compile(r"(?i)^\s*/?tac\b[:,]?\s*")


def tenant_of(activity: dict[str, Any]) -> str:
    """The Microsoft 365 tenant the activity came from ("" when the channel did not say)."""
    conversation = activity.get("conversation") or {}
    tenant = conversation.get("tenantId") or ((activity.get("channelData") or {}).get("tenant") or {}).get(
        "id"
    )
    return str(tenant or "")


def is_personal(activity: dict[str, Any]) -> bool:
    kind = (activity.get("conversation") or {}).get("conversationType", "personal")
    return bool(kind == "personal")


def room_of(activity: dict[str, Any]) -> str | None:
    """The conversation id for a channel or group chat; None for a 1:1 chat with the bot."""
    if is_personal(activity):
        return None
    return str((activity.get("conversation") or {}).get("id") or "") or None


def channel_of(conversation_id: str) -> str:
    """A channel thread's id without its ``;messageid=`` part: the channel itself."""
    return conversation_id.split(";", 1)[0]


def actor_of(activity: dict[str, Any]) -> Actor:
    sender = activity.get("from") or {}
    return Actor(
        platform=PLATFORM,
        workspace=tenant_of(activity),
        user_id=str(sender.get("id", "")),
        display_name=str(sender.get("name") or ""),
    )


def _clean_name(name: str) -> str:
    return " ".join(re.sub(r"[<>|@]", "", name).split())


def _typed(text: str) -> str:
    """Typed (non-mention) text: entities decoded, and no way to forge a canonical ``<@id>`` mention."""
    return html.unescape(text).replace("<@", "<\u200b@")


def to_command(activity: dict[str, Any]) -> Command:
    """A message to the bot -> Command: the bot's @mention and a leading ``tac`` removed, other
    @mentions made canonical (``<@29:id|Name>``), room = the conversation unless it is a 1:1 chat."""
    bot_id = str((activity.get("recipient") or {}).get("id", ""))
    text = str(activity.get("text") or "")
    mentions: dict[str, tuple[str, str]] = {}  # "<at>Name</at>" -> (user id, name)
    for entity in activity.get("entities") or []:
        if entity.get("type") != "mention":
            continue
        mentioned = entity.get("mentioned") or {}
        tag = str(entity.get("text") or f"<at>{mentioned.get('name', '')}</at>")
        mentions[tag] = (str(mentioned.get("id", "")), _clean_name(str(mentioned.get("name") or "")))

    names: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        user_id, name = mentions.get(match.group(0), ("", _clean_name(match.group(1))))
        if not user_id or user_id == bot_id:
            return " "
        names[user_id] = name
        return f" <@{user_id}|{name}> " if name else f" <@{user_id}> "

    pieces: list[str] = []
    last = 0
    for match in _AT.finditer(text):
        pieces.append(_typed(text[last : match.start()]))
        pieces.append(replace(match))
        last = match.end()
    pieces.append(_typed(text[last:]))
    words = " ".join("".join(pieces).replace("\xa0", " ").split())
    words = _LEADING_TAC.sub("", words, count=1)
    return Command(actor=actor_of(activity), text=words, room_id=room_of(activity), names=names)


def submitted_data(activity: dict[str, Any]) -> dict[str, Any] | None:
    """What an Action.Submit (a message with ``value``) or Action.Execute (an invoke) carried."""
    value = activity.get("value")
    if not isinstance(value, dict):
        return None
    if activity.get("type") == "invoke" and activity.get("name") == "adaptiveCard/action":
        data = (value.get("action") or {}).get("data")
        return data if isinstance(data, dict) else None
    return value if "action" in value else None


def to_interaction(activity: dict[str, Any]) -> Interaction | None:
    """A card button pressed -> Interaction; inputs keep their field names (``in_due`` -> ``due``)."""
    data = submitted_data(activity)
    if data is None or not isinstance(data.get("action"), str):
        return None
    inputs: dict[str, str] = {}
    for key, raw in data.items():
        if key in ("action", "value", "msteams") or raw is None:
            continue
        name = key[len(INPUT_PREFIX) :] if key.startswith(INPUT_PREFIX) else key
        inputs[name] = raw if isinstance(raw, str) else str(raw)
    return Interaction(
        actor=actor_of(activity),
        action=data["action"],
        value=str(data.get("value") or ""),
        room_id=room_of(activity),
        inputs=inputs,
    )
