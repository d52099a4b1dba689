"""Two `serve` instances behind a load balancer on one database: a Slack event retried to the other
instance is handled once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from aiohttp.test_utils import TestClient, TestServer

from bot.server import make_app
from bot.settings import Settings
from bot.slack.client import web_client
from bot.slack.platform import SlackPlatform
from bot.slack.plugin import BACKGROUND, slack_plugin
from handlers.clock import ManualClock
from handlers.core import Core
from storage.engine import Database
from tests.conftest import DEFAULT_NOW
from tests.fakes.slack_api import TOKEN, FakeSlack
from tests.fakes.slack_driver import SECRET, SlackDriver

HOME = {"type": "app_home_opened", "user": "U0SAM", "channel": "D0SAM", "tab": "home", "event_ts": "1.2"}
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


@asynccontextmanager
async def instance(url: str, fake: FakeSlack) -> AsyncIterator[SlackDriver]:
    """One `serve` instance: its own database engine (pool), core and Bolt app, on the shared database."""
    platform = SlackPlatform(web_client(TOKEN, base_url=fake.api_url))
    core = Core(db=Database.from_url(url), clock=ManualClock(DEFAULT_NOW), platforms={"slack": platform})
    settings = Settings(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.api_url)
    app = make_app(core, plugins=[slack_plugin(settings)])
    async with TestClient(TestServer(app)) as client:
        yield SlackDriver(client=client, fake=fake, background=app[BACKGROUND])


async def test_a_retry_reaching_the_other_instance_is_handled_once(fresh_url: str, fake: FakeSlack) -> None:
    async with AsyncExitStack() as stack:
        one = await stack.enter_async_context(instance(fresh_url, fake))
        two = await stack.enter_async_context(instance(fresh_url, fake))
        assert await one.event(HOME, event_id="EvSame") == 200
        assert await two.event(HOME, event_id="EvSame", **RETRY) == 200
        assert len(fake.called("views.publish")) == 1
        # Both at once (the retry overtaking the first delivery): still once.
        statuses = await asyncio.gather(
            one.event(HOME, event_id="EvRace"), two.event(HOME, event_id="EvRace", **RETRY)
        )
        assert statuses == [200, 200] and len(fake.called("views.publish")) == 2
        assert await two.event({**HOME, "user": "U0TOM"}, event_id="EvOther") == 200  # a new event: handled
        assert len(fake.called("views.publish")) == 3
