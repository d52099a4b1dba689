"""Socket Mode: with SLACK_APP_TOKEN set, `serve` connects out to Slack and handles the same commands."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestClient, TestServer

from bot.app import add_sencos
from bot.server import make_app
from bot.settings import Settings
from bot.slack.client import web_client
from bot.slack.platform import SlackPlatform
from bot.slack.plugin import BACKGROUND, slack_plugin
from handlers.clock import ManualClock
from handlers.core import Core
from storage.engine import Database
from tests.fakes.slack_api import APP_TOKEN, TEAM, TOKEN, FakeSlack


async def test_a_slash_command_over_socket_mode(db: Database, clock: ManualClock, fake: FakeSlack) -> None:
    fake.envelopes.append(
        {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": {
                "team_id": TEAM,
                "channel_id": "C0GENERAL",
                "user_id": "U0SAM",
                "user_name": "sam",
                "command": "/tac",
                "text": "open Robin",
                "response_url": fake.response_url(),
                "trigger_id": "1.2.3",
            },
        }
    )
    platform = SlackPlatform(web_client(TOKEN, base_url=fake.api_url))
    core = Core(db=db, clock=clock, platforms={"slack": platform})
    add_sencos(db, [("slack", "U0SAM")], clock=clock, added_by="tests")
    settings = Settings(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET="s", SLACK_APP_TOKEN=APP_TOKEN, SLACK_API_URL=fake.api_url
    )
    app = make_app(core, plugins=[slack_plugin(settings)])
    async with TestClient(TestServer(app)):
        await asyncio.wait_for(fake.socket_acked.wait(), timeout=10)  # acked, so the work has started
        await app[BACKGROUND].drain()
    assert fake.socket_acks[0]["envelope_id"] == "env-1"
    assert fake.channel_named("tac-0001") is not None
    assert "Opened case" in fake.texts(fake.responses)
