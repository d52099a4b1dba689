"""Drive TAC Bot's Slack endpoint as Slack does: signed form posts and JSON events over HTTP."""

from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from aiohttp.test_utils import TestClient
from slack_sdk.signature import SignatureVerifier

from bot.slack.background import Background
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

    async def command(self, user: str, text: str, *, channel: str = "C0GENERAL", settle: bool = True) -> int:
        """Type `/tac <text>` as ``user`` in ``channel``; returns the HTTP status of the ack."""
        body = urllib.parse.urlencode(
            {
                "token": "deprecated",
                "team_id": TEAM,
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

    async def event(self, event: dict[str, Any], *, event_id: str, **headers: str) -> int:
        envelope = {
            "token": "deprecated",
            "team_id": TEAM,
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT0001", "is_bot": True}],
        }
        status, _ = await self.post(json.dumps(envelope), "application/json", **headers)
        await self.background.drain()
        return status

    def replies(self) -> str:
        """Everything sent back through response_urls so far, as text."""
        return self.fake.texts(self.fake.responses)
