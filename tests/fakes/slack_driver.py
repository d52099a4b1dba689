"""Drive TAC Bot's Slack endpoint as Slack does: signed form posts and JSON events over HTTP."""

from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from aiohttp.test_utils import TestClient
from slack_sdk.signature import SignatureVerifier

from bot.server import CORE
from bot.slack.background import Background
from handlers.core import Core
from tests.fakes.slack_api import TEAM, FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def signed_headers(body: str, *, secret: str = SECRET, at: int | None = None) -> dict[str, str]:
    """Headers Slack would send with ``body``, signed with slack_sdk's own signing code."""
    timestamp = str(int(time.time()) if at is None else at)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": str(signature)}


@dataclass
class SlackDriver:
    client: TestClient[Any, Any]
    fake: FakeSlack
    background: Background
    ids: dict[str, int] = field(default_factory=dict)

    async def post(self, body: str, content_type: str, **headers: str) -> tuple[int, str]:
        all_headers = {"Content-Type": content_type, **signed_headers(body), **headers}
        response = await self.client.post("/slack/events", data=body.encode(), headers=all_headers)
        return response.status, await response.text()

    async def command(
        self, user: str, text: str, *, channel: str = "C0GENERAL", settle: bool = True, team: str = TEAM
    ) -> int:
        """Type `/tac <text>` as ``user`` in ``channel`` (of workspace ``team``); returns the ack's status."""
        body = urllib.parse.urlencode(
            {
                "token": "deprecated",
                "team_id": team,
                "team_domain": "riverside",
                "channel_id": channel,
                "channel_name": "directmessage" if channel.startswith("D") else "general",
                "user_id": user,
                "user_name": self.fake.users.get(user, user).lower(),
                "command": "/tac",
                "text": text,
                "api_app_id": "A0001",
                "is_enterprise_install": "false",
                "response_url": self.fake.response_url(),
                "trigger_id": "1337.42.abcdef",
            }
        )
        status, _ = await self.post(body, "application/x-www-form-urlencoded")
        if settle:
            await self.background.drain()
        return status

    async def interactive(self, payload: dict[str, Any]) -> tuple[int, str]:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        status, text = await self.post(body, "application/x-www-form-urlencoded")
        await self.background.drain()
        return status, text

    async def event(self, event: dict[str, Any], *, event_id: str, team: str = TEAM, **headers: str) -> int:
        envelope = {
            "token": "deprecated",
            "team_id": team,
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": "UBOT0001", "is_bot": True}],
        }
        status, _ = await self.post(json.dumps(envelope), "application/json", **headers)
        await self.background.drain()
        return status

    @property
    def core(self) -> Core:
        """The core behind the server (to run the reminder queue, or load a school's forms)."""
        app = self.client.app
        assert app is not None
        return app[CORE]

    def replies(self) -> str:
        """Everything sent back through response_urls so far, as text."""
        return self.fake.texts(self.fake.responses)


def person(user: str) -> dict[str, Any]:
    """The ``user`` of an interactive payload."""
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM}


def buttons_in(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button element in some posted messages, oldest first."""
    return [
        element
        for m in messages
        for block in m.get("blocks", [])
        if block.get("type") == "actions"
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]


def press_payload(
    user: str, button: dict[str, Any], *, channel: str, response_url: str | None
) -> dict[str, Any]:
    """A ``block_actions`` payload for pressing ``button`` in a message in ``channel``."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": person(user),
        "team": {"id": TEAM, "domain": "riverside"},
        "api_app_id": "A0001",
        "trigger_id": f"1337.{user}.trigger",
        "channel": {"id": channel, "name": "directmessage"},
        "container": {"type": "message", "channel_id": channel, "message_ts": "1.000100"},
        "actions": [{**button, "block_id": "b", "action_ts": "1.2"}],
    }
    if response_url:
        payload["response_url"] = response_url
    return payload


def view_payload(user: str, view: dict[str, Any], values: dict[str, Any], *, kind: str) -> dict[str, Any]:
    """A ``view_submission`` (or, with ``kind="block_actions"``, the modal's own button) as Slack sends it."""
    shown = {**view, "id": view.get("id", "V0FORM"), "hash": "156772938.1827394", "state": {"values": values}}
    payload: dict[str, Any] = {
        "type": kind,
        "user": person(user),
        "team": {"id": TEAM, "domain": "riverside"},
        "api_app_id": "A0001",
        "trigger_id": f"1337.{user}.modal",
        "view": shown,
    }
    if kind == "block_actions":
        draft = next(e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"])
        payload["container"] = {"type": "view", "view_id": shown["id"]}
        payload["actions"] = [{**draft, "block_id": "form.actions", "action_ts": "1.3"}]
    return payload
