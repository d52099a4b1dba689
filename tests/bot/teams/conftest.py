"""A TAC Bot serving Teams over HTTP, with Microsoft's services faked locally."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import ServiceClientCredentialsFactory

from bot.app import add_sencos
from bot.console.platform import ConsolePlatform
from bot.server import make_app
from bot.settings import Settings
from bot.teams.config import TeamsConfig
from bot.teams.endpoint import make_adapter, teams_plugin
from bot.teams.graph import GraphClient
from bot.teams.platform import TeamsPlatform
from bot.teams.refs import References
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.outside.config import Outside
from storage.engine import Database
from tests.bot.teams.fakes import PEOPLE, FakeConnector, FakeGraph, Sent, message, submit

CASE_CHANNEL = "19:sencasework@thread.tacv2"


@dataclass
class TeamsHarness:
    client: TestClient[Any, Any]
    connector: FakeConnector
    graph: FakeGraph | None
    core: Core
    platform: TeamsPlatform
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1789370000001))
    headers: dict[str, str] = field(default_factory=dict)

    async def post(self, activity: dict[str, Any]) -> int:
        response = await self.client.post(
            "/api/messages", json=activity, headers={"Content-Type": "application/json", **self.headers}
        )
        return response.status

    async def say(self, who: str, text: str, *, room: str | None = None) -> str:
        """Send a message as ``who``; return the text of the card the bot replied with."""
        activity = message(who, text, service_url=self.connector.url, room=room, n=self.ids)
        status = await self.post(activity)
        assert status in (200, 201), status
        replies = [s for s in self.connector.sent if s.reply_to == activity["id"]]
        assert replies, f"no reply to {text!r}"
        return replies[-1].text

    async def press(self, who: str, data: dict[str, Any]) -> str:
        activity = submit(who, data, service_url=self.connector.url)
        activity["id"] = str(next(self.ids))
        assert await self.post(activity) in (200, 201)
        return [s for s in self.connector.sent if s.reply_to == activity["id"]][-1].text

    def room_posts(self, room: str) -> list[Sent]:
        return self.connector.to(room)


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def start_harness(
    db: Database,
    clock: ManualClock,
    *,
    graph: bool,
    credentials: ServiceClientCredentialsFactory | None = None,
    outside: Outside | None = None,
    **values: str,
) -> TeamsHarness:
    connector = FakeConnector()
    await connector.start()
    fake_graph = FakeGraph() if graph else None
    graph_client = None
    if fake_graph is not None:
        await fake_graph.start()

        async def token() -> str:
            return "graph-token"  # what MSAL would return; the fake Graph checks it

        graph_client = GraphClient(base_url=fake_graph.url, token=token, team_id="team-oak-primary")
    if "MICROSOFT_APP_ID" not in values:  # unsigned activities: the Emulator's development mode
        values = {"TACBOT_TEAMS_EMULATOR": "true", **values}
    config_settings = settings(**{"TACBOT_TEAMS_SERVICE_URL": connector.url, **values})
    config = TeamsConfig.from_settings(config_settings)
    platform = TeamsPlatform(
        config=config,
        refs=References(db),
        adapter=make_adapter(config, credentials_factory=credentials),
        graph=graph_client,
        clock=clock,
    )
    core = Core(
        db=db, clock=clock, platforms={"console": ConsolePlatform(), "teams": platform}, outside=outside
    )
    add_sencos(db, [("teams", PEOPLE["sam"].id)], clock=clock, added_by="tests")
    client = TestClient(TestServer(make_app(core, plugins=[teams_plugin(config_settings)])))
    await client.start_server()
    return TeamsHarness(client=client, connector=connector, graph=fake_graph, core=core, platform=platform)


async def stop_harness(harness: TeamsHarness) -> None:
    await harness.client.close()
    await harness.connector.close()
    if harness.graph is not None:
        await harness.graph.close()
    assert harness.connector.invalid == [], "the bot sent an invalid Adaptive Card"


@pytest.fixture
async def teams(db: Database, clock: ManualClock) -> AsyncIterator[TeamsHarness]:
    """Case rooms as Graph private channels (no app id: `TACBOT_TEAMS_EMULATOR`, unauthenticated)."""
    harness = await start_harness(db, clock, graph=True)
    yield harness
    await stop_harness(harness)


@pytest.fixture
async def teams_threads(db: Database, clock: ManualClock) -> AsyncIterator[TeamsHarness]:
    """No Graph: case rooms are threads in one configured channel."""
    harness = await start_harness(db, clock, graph=False, TACBOT_TEAMS_CHANNEL_ID=CASE_CHANNEL)
    yield harness
    await stop_harness(harness)
