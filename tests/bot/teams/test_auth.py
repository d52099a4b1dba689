"""JWT validation on /api/messages (a locally served OpenID configuration and key), the tenant
allow-list, and the production refusal."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from botframework.connector.auth import (
    ChannelValidation,
    MicrosoftAppCredentials,
    PasswordServiceClientCredentialFactory,
)
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import select

from bot.cli_serve import serve
from bot.teams.config import TeamsConfigError
from bot.teams.endpoint import teams_plugin
from handlers.clock import ManualClock
from storage.engine import Database
from storage.models import AuditEvent
from tests.bot.teams.conftest import TeamsHarness, settings, start_harness, stop_harness
from tests.bot.teams.fakes import message
from tests.bot.teams.fixtures import APP_ID, TENANT

ISSUER = "https://api.botframework.com"
KID = "tacbot-test-key"


class OutboundCredentials(MicrosoftAppCredentials):  # type: ignore[misc]
    """The token the bot sends to the Bot Connector; tests need no Microsoft sign-in."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return "outbound-token"


class OutboundFactory(PasswordServiceClientCredentialFactory):  # type: ignore[misc]
    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Any:
        return OutboundCredentials(app_id, self.password, None, oauth_scope)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return _key()


@pytest.fixture
def openid(signing_key: rsa.RSAPrivateKey, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """OpenID metadata and a JWKS served on 127.0.0.1 (in a thread: botframework fetches it with
    blocking ``requests``), with botframework's channel validation pointed at it."""
    jwk = json.loads(RSAAlgorithm.to_jwk(signing_key.public_key()))
    jwk.update(kid=KID, use="sig", endorsements=["msteams"])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            body = (
                {
                    "issuer": ISSUER,
                    "jwks_uri": f"{base}/keys",
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
                if self.path == "/openid"
                else {"keys": [jwk]}
            )
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/openid"
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", url)
    yield url
    server.shutdown()


@pytest.fixture
async def secured(db: Database, clock: ManualClock, openid: str) -> AsyncIterator[TeamsHarness]:
    harness = await start_harness(
        db,
        clock,
        graph=False,
        credentials=OutboundFactory(app_id=APP_ID, password="app-secret"),
        MICROSOFT_APP_ID=APP_ID,
        MICROSOFT_APP_PASSWORD="app-secret",
    )
    yield harness
    await stop_harness(harness)


def token(key: rsa.RSAPrivateKey, service_url: str, *, kid: str = KID, **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "aud": APP_ID,
        "nbf": now - 10,
        "exp": now + 600,
        "serviceurl": service_url,
        **claims,
    }
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


async def _post(h: TeamsHarness, bearer: str | None) -> int:
    h.headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    return await h.post(message("tom", "help", service_url=h.connector.url))


async def test_a_valid_token_is_accepted_and_the_reply_carries_the_bots_token(
    secured: TeamsHarness, signing_key: rsa.RSAPrivateKey
) -> None:
    assert await _post(secured, token(signing_key, secured.connector.url)) == 201
    (reply,) = secured.connector.sent
    assert reply.auth == "Bearer outbound-token" and "open" in reply.text


async def test_no_token_while_an_app_id_is_set_is_401(secured: TeamsHarness) -> None:
    assert await _post(secured, None) == 401
    assert secured.connector.sent == []


@pytest.mark.parametrize(
    "case",
    [
        "unknown key",
        "unknown kid",
        "wrong audience",
        "wrong issuer",
        "expired",
        "other service url",
        "garbage",
    ],
)
async def test_bad_tokens_are_401(secured: TeamsHarness, signing_key: rsa.RSAPrivateKey, case: str) -> None:
    url = secured.connector.url
    bad = {
        "unknown key": lambda: token(_key(), url),
        "unknown kid": lambda: token(_key(), url, kid="someone-else"),
        "wrong audience": lambda: token(signing_key, url, aud="another-bot"),
        "wrong issuer": lambda: token(signing_key, url, iss="https://evil.example"),
        "expired": lambda: token(signing_key, url, exp=int(time.time()) - 3600, nbf=int(time.time()) - 7200),
        "other service url": lambda: token(signing_key, "https://evil.example/"),
        "garbage": lambda: "not.a.jwt",
    }[case]()
    assert await _post(secured, bad) == 401
    assert secured.connector.sent == []


async def test_non_json_is_refused(secured: TeamsHarness) -> None:
    response = await secured.client.post(
        "/api/messages", data="hello", headers={"Content-Type": "text/plain"}
    )
    assert response.status == 415


async def test_tenants_outside_the_allow_list_are_ignored_and_audited(
    db: Database, clock: ManualClock
) -> None:
    h = await start_harness(
        db, clock, graph=False, TACBOT_TEAMS_TENANTS="11111111-2222-3333-4444-555555555555"
    )
    try:
        assert await h.post(message("sam", "open Robin", service_url=h.connector.url)) == 201
        assert h.connector.sent == []
        with db.transaction() as s:
            events = [e for e in s.scalars(select(AuditEvent)) if e.action == "teams.tenant_refused"]
        assert len(events) == 1 and events[0].detail["tenant"] == TENANT
    finally:
        await stop_harness(h)
    allowed = await start_harness(db, clock, graph=False, TACBOT_TEAMS_TENANTS=f"other, {TENANT.upper()}")
    try:
        assert "open" in await allowed.say("tom", "help")
    finally:
        await stop_harness(allowed)


def test_production_refuses_every_unsafe_teams_set_up(caplog: pytest.LogCaptureFixture) -> None:
    prod = {"TACBOT_ENV": "production", "MICROSOFT_APP_ID": APP_ID, "TACBOT_TEAMS_TENANTS": TENANT}
    for unsafe, words in (
        ({"TACBOT_ENV": "production", "TACBOT_TEAMS_EMULATOR": "true"}, "refused with TACBOT_ENV=production"),
        ({"TACBOT_TEAMS_EMULATOR": "true", "MICROSOFT_APP_ID": APP_ID}, "both set"),
        ({**prod, "TACBOT_TEAMS_TENANTS": ""}, "TACBOT_TEAMS_TENANTS is empty"),
        ({**prod, "TACBOT_TEAMS_SERVICE_URL": "https://evil.example/"}, "not a Microsoft Bot Connector"),
    ):
        with pytest.raises(TeamsConfigError, match=words):
            teams_plugin(settings(**unsafe))
    db_url = {"DATABASE_URL": "sqlite:///:memory:"}
    assert serve(settings(TACBOT_ENV="production", TACBOT_TEAMS_EMULATOR="true", **db_url)) == 2
    teams_plugin(settings(**prod))
    teams_plugin(settings(TACBOT_ENV="production"))  # Slack only: Teams is simply off
    caplog.clear()
    teams_plugin(settings(TACBOT_TEAMS_EMULATOR="true"))
    assert "WITHOUT AUTHENTICATION" in caplog.text and "loopback" in caplog.text
