"""Issue 12 item 1: the Teams endpoint cannot be used to make the server send requests elsewhere.

`/api/messages` exists only with an app id or `TACBOT_TEAMS_EMULATOR`; the Emulator's mode answers only
loopback service URLs; with an app id only the token's service URL, and in production only Microsoft's
hosts. Refused activities store nothing and send nothing.
"""

from __future__ import annotations

import dataclasses

import pytest
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.schema import Activity
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, select

from bot.app import build_core
from bot.cli_serve import exposure, plugins_for
from bot.server import make_app
from bot.teams.service_urls import service_url_allowed
from handlers.clock import ManualClock
from handlers.platform import PlatformError
from handlers.replies import Reply
from storage.engine import Database
from storage.models import ConversationRef, Person, School
from tests.bot.teams.conftest import settings, start_harness, stop_harness
from tests.bot.teams.fakes import PEOPLE, FakeConnector, message
from tests.bot.teams.fixtures import APP_ID, TENANT
from tests.bot.teams.test_auth import OutboundFactory, token

ATTACKER_URLS = ("https://evil.example/", "http://169.254.169.254/latest/", "http://10.0.0.7:8080/")


def stored(db: Database) -> tuple[int, int, int]:
    with db.transaction() as s:
        return tuple(  # type: ignore[return-value]
            int(s.scalar(select(func.count()).select_from(model)) or 0)
            for model in (School, Person, ConversationRef)
        )


async def test_without_an_app_id_or_the_emulator_there_is_no_teams_endpoint(
    db: Database, clock: ManualClock
) -> None:
    config = settings()
    core = build_core(config, db=db, clock=clock)
    assert "teams" not in core.platforms
    app = make_app(core, plugins=plugins_for(config, scheduler=False))
    connector = FakeConnector()
    await connector.start()
    try:
        async with TestClient(TestServer(app)) as client:
            before = stored(db)
            response = await client.post(
                "/api/messages", json=message("sam", "open Robin", service_url=connector.url)
            )
            assert response.status in (404, 405)  # today: 201, a school, a person, and a reply sent
        assert connector.sent == [] and stored(db) == before
    finally:
        await connector.close()
    said = exposure(app, config)
    assert "/api/messages" not in said.split("Teams off")[0] and "Teams off" in said
    assert "GET /healthz" in said and "GET /readyz" in said


@pytest.mark.parametrize("url", ATTACKER_URLS)
async def test_the_emulator_mode_answers_only_loopback_service_urls(
    db: Database, clock: ManualClock, url: str
) -> None:
    h = await start_harness(db, clock, graph=False)
    try:
        before = stored(db)
        assert await h.post(message("sam", "open Robin", service_url=url)) == 403
        assert stored(db) == before and h.connector.sent == []
        assert "open" in await h.say("tom", "help")  # the Emulator on this machine still works
        said = exposure(h.client.server.app, settings(TACBOT_TEAMS_EMULATOR="true"))
        assert "POST /api/messages (Teams, UNAUTHENTICATED" in said and "loopback" in said
    finally:
        await stop_harness(h)


async def test_with_an_app_id_in_production_only_microsoft_hosts_are_answered(
    db: Database, clock: ManualClock, openid: str, signing_key: rsa.RSAPrivateKey
) -> None:
    h = await start_harness(
        db,
        clock,
        graph=False,
        credentials=OutboundFactory(app_id=APP_ID, password="app-secret"),
        MICROSOFT_APP_ID=APP_ID,
        MICROSOFT_APP_PASSWORD="app-secret",
        TACBOT_ENV="production",
        TACBOT_TEAMS_TENANTS=TENANT,
        TACBOT_TEAMS_SERVICE_URL="https://smba.trafficmanager.net/emea/",
    )
    try:
        before = stored(db)
        # a validly signed token, but for a service URL that is not Microsoft's (here the local fake)
        h.headers = {"Authorization": f"Bearer {token(signing_key, h.connector.url)}"}
        assert await h.post(message("sam", "open Robin", service_url=h.connector.url)) == 403
        assert stored(db) == before and h.connector.sent == []
    finally:
        await stop_harness(h)


async def test_a_stored_or_configured_service_url_elsewhere_is_never_sent_to(
    db: Database, clock: ManualClock
) -> None:
    h = await start_harness(db, clock, graph=False)
    try:
        h.platform.config = dataclasses.replace(h.platform.config, service_url="https://evil.example/")
        with pytest.raises(PlatformError):  # no reference yet: the configured default would be used
            await h.platform.direct_message(
                workspace=TENANT, user_id=PEOPLE["tom"].id, reply=Reply.text("hi")
            )
        # a reference stored before this check existed, pointing elsewhere
        planted = Activity().deserialize(message("tom", "hi", service_url="https://evil.example/"))
        h.platform.refs.remember(planted, now=clock.now())
        with pytest.raises(PlatformError):
            await h.platform.direct_message(
                workspace=TENANT, user_id=PEOPLE["tom"].id, reply=Reply.text("hi")
            )
        assert h.connector.sent == []
    finally:
        await stop_harness(h)


def test_the_service_url_rule() -> None:
    for url in ("https://smba.trafficmanager.net/emea/", "https://smba.infra.gcc.teams.microsoft.com/x/"):
        assert service_url_allowed(url, emulator=False, production=True)
    for url in (
        *ATTACKER_URLS,
        "http://smba.trafficmanager.net/emea/",
        "https://smba.trafficmanager.net.evil/",
    ):
        assert not service_url_allowed(url, emulator=False, production=True), url
    for url in ("http://localhost:3978/", "http://127.0.0.1:9/", "http://[::1]:80/"):
        assert service_url_allowed(url, emulator=True, production=False)
    for url in (*ATTACKER_URLS, "http://localhost.evil.example/", "file:///etc/passwd", ""):
        assert not service_url_allowed(url, emulator=True, production=False), url
