"""Slack payloads -> the neutral ``Command`` / ``Interaction`` (pure, tested on recorded payloads)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from handlers.model import Actor, Command, Interaction

PLATFORM = "slack"
PROMPT_CALLBACK = "tac.prompt"
PROMPT_BLOCK = "prompt"
PROMPT_ACTION = "value"

_ENTITY = re.compile(r"(<[^<>]*>)")


def unescape(text: str) -> str:
    """Slack escapes &, < and > in what people type (``should_escape``); keep its entities as they are."""
    parts = _ENTITY.split(text)
    return "".join(
        part
        if part.startswith("<") and part.endswith(">")
        else part.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        for part in parts
    )


def room_of(channel_id: str | None) -> str | None:
    """A case room is a channel; a direct message (``D...``) is no room."""
    if not channel_id or channel_id.startswith("D"):
        return None
    return channel_id


def command(body: Mapping[str, Any]) -> Command:
    """A `/tac` slash command's form body -> Command (the actor is the Slack user in that team)."""
    actor = Actor(
        platform=PLATFORM,
        workspace=str(body["team_id"]),
        user_id=str(body["user_id"]),
        display_name=str(body.get("user_name") or ""),
    )
    return Command(
        actor=actor, text=unescape(str(body.get("text") or "")), room_id=room_of(body.get("channel_id"))
    )


def actor_of(body: Mapping[str, Any]) -> Actor:
    """Who pressed or submitted, from an interactive payload's ``user`` and ``team``."""
    user = body["user"]
    team = body.get("team") or {}
    workspace = team.get("id") or user.get("team_id")
    return Actor(
        platform=PLATFORM,
        workspace=str(workspace),
        user_id=str(user["id"]),
        display_name=str(user.get("name") or user.get("username") or ""),
    )


@dataclass(frozen=True, slots=True)
class Pressed:
    """A button press: either an ``Interaction`` now, or a prompt to ask first (``prompt`` set)."""

    interaction: Interaction
    trigger_id: str
    response_url: str | None
    prompt: tuple[str, str, str] | None = None  # (kind, label, field)


def pressed(body: Mapping[str, Any]) -> Pressed:
    """A ``block_actions`` payload (the first action) -> the neutral button press."""
    action = body["actions"][0]
    data = json.loads(action.get("value") or "{}")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    prompt = data.get("p")
    interaction = Interaction(
        actor=actor_of(body),
        action=str(data.get("a", "")),
        value=str(data.get("v", "")),
        room_id=room_of(channel),
    )
    return Pressed(
        interaction=interaction,
        trigger_id=str(body.get("trigger_id", "")),
        response_url=body.get("response_url"),
        prompt=(str(prompt[0]), str(prompt[1]), str(prompt[2])) if prompt else None,
    )


@dataclass(frozen=True, slots=True)
class Submitted:
    """A prompt's modal submitted: the interaction with its input, and where to answer."""

    interaction: Interaction
    response_url: str | None
    errors: dict[str, str] = field(default_factory=dict)


def submitted(body: Mapping[str, Any]) -> Submitted:
    """A ``view_submission`` of our prompt modal -> Interaction with ``inputs`` filled in."""
    view = body["view"]
    meta = json.loads(view.get("private_metadata") or "{}")
    state = view.get("state", {}).get("values", {}).get(PROMPT_BLOCK, {}).get(PROMPT_ACTION, {})
    answer = state.get("selected_date") if state.get("type") == "datepicker" else state.get("value")
    answer = (answer or "").strip()
    errors = {} if answer else {PROMPT_BLOCK: "Please fill this in."}
    interaction = Interaction(
        actor=actor_of(body),
        action=str(meta.get("a", "")),
        value=str(meta.get("v", "")),
        room_id=room_of(meta.get("c")),
        inputs={str(meta.get("f", "value")): answer} if answer else {},
    )
    return Submitted(interaction=interaction, response_url=meta.get("r"), errors=errors)


@dataclass(frozen=True, slots=True)
class RoomChange:
    """Someone left (or was removed from) a channel, or joined (or was added to) one."""

    workspace: str
    room_id: str
    user_id: str


def room_change(body: Mapping[str, Any]) -> RoomChange:
    """A ``member_left_channel`` or ``member_joined_channel`` envelope -> who, which room, which workspace."""
    event = body["event"]
    return RoomChange(
        workspace=str(body.get("team_id") or event.get("team")),
        room_id=str(event["channel"]),
        user_id=str(event["user"]),
    )


def home_opener(body: Mapping[str, Any]) -> Actor:
    """An ``app_home_opened`` event envelope -> who opened the Home tab."""
    event = body["event"]
    return Actor(platform=PLATFORM, workspace=str(body.get("team_id")), user_id=str(event["user"]))
