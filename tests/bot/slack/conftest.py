"""Slack end to end: TAC Bot's aiohttp server with the Slack plug-in, and a fake Slack Web API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
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
from tests.conftest import spec
from tests.fakes.slack_api import TOKEN, FakeSlack
from tests.fakes.slack_driver import SECRET, SlackDriver

PEOPLE = {"U0SAM": "Sam", "U0TOM": "Tom", "U0ANNA": "Anna", "U0PRIYA": "Priya", "U0JO": "Jo"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack(spec("slack_web_openapi_v2.json"))
    server.users.update(PEOPLE)
    await server.start()
    yield server
    await server.stop()
    assert server.problems == []


@pytest.fixture
def slept() -> list[float]:
    return []


@pytest.fixture
async def slack(
    db: Database, clock: ManualClock, fake: FakeSlack, slept: list[float]
) -> AsyncIterator[SlackDriver]:
    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        await asyncio.sleep(0)

    platform = SlackPlatform(web_client(TOKEN, base_url=fake.api_url, sleep=sleep))
    core = Core(db=db, clock=clock, platforms={"slack": platform})
    add_sencos(db, [("slack", "U0SAM")], clock=clock, added_by="tests")
    settings = Settings(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.api_url)
    app = make_app(core, plugins=[slack_plugin(settings)])
    async with TestClient(TestServer(app)) as client:
        yield SlackDriver(client=client, fake=fake, background=app[BACKGROUND])
