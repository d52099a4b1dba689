"""Graph tokens through MSAL's client-credentials flow, against a local token endpoint."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests

from bot.teams.graph import msal_token_provider
from handlers.platform import PlatformError

AUTHORITY = "https://login.tacbot.test/"


class LocalSession(requests.Session):
    """MSAL insists on an https authority: send its requests to the local server instead."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        return super().request(method, str(url).replace(AUTHORITY, self.base), *args, **kwargs)


@pytest.fixture
def entra() -> Iterator[tuple[str, list[dict[str, list[str]]]]]:
    requests_seen: list[dict[str, list[str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def _json(self, body: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # the tenant's OpenID configuration
            tenant = self.path.split("/")[1]
            self._json(
                {
                    "token_endpoint": f"{AUTHORITY}{tenant}/oauth2/v2.0/token",
                    "authorization_endpoint": f"{AUTHORITY}{tenant}/oauth2/v2.0/authorize",
                    "issuer": f"{AUTHORITY}{tenant}/v2.0",
                }
            )

        def do_POST(self) -> None:
            form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            requests_seen.append(form)
            if form.get("client_secret") != ["app-secret"]:
                self._json({"error": "invalid_client", "error_description": "bad secret"}, status=401)
                return
            self._json({"access_token": "graph-token-1", "token_type": "Bearer", "expires_in": 3600})

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", requests_seen
    server.shutdown()


async def test_client_credentials_for_graph(entra: tuple[str, list[dict[str, list[str]]]]) -> None:
    base, seen = entra
    provide = msal_token_provider(
        authority=AUTHORITY,
        tenant_id="tenant-1",
        client_id="app-1",
        secret="app-secret",
        http_client=LocalSession(base),
    )
    assert await provide() == "graph-token-1"
    assert await provide() == "graph-token-1"  # cached by MSAL
    assert len(seen) == 1
    assert seen[0]["grant_type"] == ["client_credentials"]
    assert seen[0]["scope"] == ["https://graph.microsoft.com/.default"]


async def test_a_refused_sign_in_is_a_user_safe_error(entra: tuple[str, list[dict[str, list[str]]]]) -> None:
    base, _ = entra
    provide = msal_token_provider(
        authority=AUTHORITY,
        tenant_id="tenant-1",
        client_id="app-1",
        secret="wrong",
        http_client=LocalSession(base),
    )
    with pytest.raises(PlatformError, match="refused TAC Bot's sign-in"):
        await provide()
