"""A local fake of the Slack Web API (and of response_url webhooks), on 127.0.0.1.

It answers like Slack (``{"ok": false, "error": ...}`` bodies, ``name_taken``, 429 with Retry-After),
records every call, and checks each one against Slack's published OpenAPI spec and Block Kit limits:
anything wrong lands in ``problems``, which tests assert is empty.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import secrets
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.fakes.blockkit import check_blocks, check_view, mrkdwn_in, pings
from tests.fakes.slack_files import File, FileUploads

TOKEN = "xoxb-test-token"
TEAM = "T0001"
BOT_USER = "UBOT0001"

# Arguments Slack's documentation marks required where the 2021 spec lists none (its known gaps).
ALSO_REQUIRED = {
    "conversations.create": ["name"],
    "conversations.invite": ["channel", "users"],
    "conversations.kick": ["channel", "user"],
    "conversations.archive": ["channel"],
    "conversations.unarchive": ["channel"],
    "conversations.setTopic": ["channel", "topic"],
    "conversations.setPurpose": ["channel", "purpose"],
    "conversations.open": ["users"],
    "users.info": ["user"],
}

# Every Web API method the bot may call, and the bot scopes Slack requires for it (private channels;
# several separated by spaces); the fake flags any other method, so the manifest's scopes stay complete.
NEEDS: dict[str, str | None] = {
    "auth.test": None,
    "conversations.create": "groups:write",
    "conversations.invite": "groups:write",
    "conversations.kick": "groups:write",
    "conversations.archive": "groups:write",
    "conversations.unarchive": "groups:write",
    "conversations.setTopic": "groups:write",
    "conversations.setPurpose": "groups:write",
    "conversations.open": "im:write",
    "conversations.inviteShared": "conversations.connect:write",
    "chat.postMessage": "chat:write",
    "users.info": "users:read users:read.email",  # profile.email needs users:read.email too
    "views.open": None,
    "views.update": None,
    "views.publish": None,
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "apps.connections.open": None,  # Socket Mode, with the app-level token (connections:write)
    "oauth.v2.access": None,  # installs and token rotation: the app's client id and secret, no token
}


def scopes_needed() -> list[str]:
    """Every bot scope the methods in ``NEEDS`` require, sorted."""
    return sorted({scope for scopes in NEEDS.values() if scopes for scope in scopes.split()})


CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret"
AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
APP_TOKEN = "xapp-test-token"
# Methods newer than the 2021 spec (its README lists this gap): checked against the arguments Slack's
# documentation marks required (docs.slack.dev/reference/methods/<method>), not against the spec.
NEWER_THAN_SPEC: dict[str, list[str]] = {
    "apps.connections.open": [],
    "files.getUploadURLExternal": ["filename", "length"],
    "files.completeUploadExternal": ["files"],
    "conversations.inviteShared": ["channel"],
}
# The optional arguments those methods document: anything else is flagged.
NEWER_OPTIONAL: dict[str, set[str]] = {
    "apps.connections.open": set(),
    "files.getUploadURLExternal": {"alt_txt", "snippet_type"},
    "files.completeUploadExternal": {"channel_id", "channels", "initial_comment", "thread_ts", "blocks"},
    "conversations.inviteShared": {"emails", "user_ids", "external_limited"},
}


@dataclass
class Channel:
    id: str
    name: str
    private: bool
    members: set[str] = field(default_factory=set)
    team: str = TEAM
    archived: bool = False
    topic: str = ""
    purpose: str = ""


@dataclass(frozen=True, slots=True)
class Call:
    method: str
    args: dict[str, Any]
    team: str = ""  # the workspace whose token made the call


@dataclass
class Grant:
    """An install the fake Slack approved: ``code`` exchanged once by oauth.v2.access."""

    team: str
    team_name: str
    user: str
    scope: str
    redirect_uri: str | None


class FakeSlack(FileUploads):
    def __init__(self, spec: Path | None) -> None:
        """``spec=None`` skips the spec checks (the benchmark, where only speed matters)."""
        self.spec = json.loads(spec.read_text("utf-8"))["paths"] if spec else None
        self.calls: list[Call] = []  # answered ok
        self.attempts: list[Call] = []  # every request, 429s and errors included
        self.problems: list[str] = []
        self.responses: list[dict[str, Any]] = []  # what was sent to response_url webhooks
        self.channels: dict[str, Channel] = {}
        self.users: dict[str, str] = {}  # id -> display name
        self.connect = False  # a paid plan: Slack Connect invitations are accepted
        self.shared_invites: list[tuple[str, str]] = []  # Slack Connect: (channel, invited address)
        self.outsiders: dict[str, tuple[str, str]] = {}  # Slack Connect members: id -> (their team, e-mail)
        self.fail_next: dict[str, list[str]] = {}  # method -> error codes to answer, in turn
        self.rate_limited = 0  # the next N Web API calls (any method) get 429
        self.envelopes: list[dict[str, Any]] = []  # Socket Mode: sent to the app once it connects
        self.socket_acks: list[dict[str, Any]] = []
        self.socket_acked = asyncio.Event()
        self.hold: asyncio.Event | None = None  # while set and not yet fired, Web API calls wait
        self.retry_after = "1"
        self.files: dict[str, File] = {}
        self._answered: dict[str, asyncio.Event] = {}
        self._ids = itertools.count(1)
        self.base_url = ""
        self._runner: web.AppRunner | None = None
        # OAuth: the workspaces' tokens (token -> team), codes waiting for oauth.v2.access, refresh tokens
        self.tokens: dict[str, str] = {TOKEN: TEAM}
        self.codes: dict[str, Grant] = {}
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> team
        self.rotation_seconds: int | None = None  # set: installs hand out rotating tokens lasting this
        self.team_names: dict[str, str] = {TEAM: "Riverside Primary"}
        self._team = TEAM  # the workspace of the call being answered

    # -- running -------------------------------------------------------------------------------
    async def start(self, port: int = 0) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{token}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/link", self._socket)
        app.router.add_get("/stats", self._stats)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self) -> str:
        return f"{self.base_url}/respond/{next(self._ids)}"

    # -- reading what happened -----------------------------------------------------------------
    def called(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def posts_to(self, channel: str) -> list[dict[str, Any]]:
        return [a for a in self.called("chat.postMessage") if a["channel"] == channel]

    def channel_named(self, name: str, *, team: str | None = None) -> Channel | None:
        return next(
            (c for c in self.channels.values() if c.name == name and (team is None or c.team == team)), None
        )

    def token_of(self, team: str) -> str | None:
        """The workspace's current bot token (the newest one handed out)."""
        return next((t for t, owner in reversed(self.tokens.items()) if owner == team), None)

    # -- OAuth: what Slack's authorize page does once a person approves the install ---------------
    def approve(self, authorize_url: str, *, team: str, team_name: str, user: str) -> str:
        """Approve an install at Slack's authorize URL (the app's client id and scopes checked): the
        ``code`` Slack would send back to the redirect URL with the same ``state``."""
        parsed = urllib.parse.urlsplit(authorize_url)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        if f"{parsed.scheme}://{parsed.netloc}{parsed.path}" != AUTHORIZE_URL:
            self.problems.append(f"install sent to {authorize_url}, not {AUTHORIZE_URL}")
        if query.get("client_id") != CLIENT_ID:
            self.problems.append(f"install asked for client_id {query.get('client_id')}")
        if not query.get("state"):
            self.problems.append("install without a state")
        code = f"code-{secrets.token_hex(8)}"
        self.team_names[team] = team_name
        self.codes[code] = Grant(
            team=team,
            team_name=team_name,
            user=user,
            scope=query.get("scope", ""),
            redirect_uri=query.get("redirect_uri"),
        )
        return code

    def _issue_token(self, team: str) -> dict[str, Any]:
        """A new bot token for ``team``; rotating (with a refresh token and its lifetime) when set."""
        if self.rotation_seconds is None:
            token = f"xoxb-{team}-{secrets.token_hex(12)}"
            self.tokens[token] = team
            return {"access_token": token}
        token = f"xoxe.xoxb-1-{team}-{secrets.token_hex(24)}"
        refresh = f"xoxe-1-{team}-{secrets.token_hex(24)}"
        self.tokens[token] = team
        self.refresh_tokens[refresh] = team
        return {"access_token": token, "refresh_token": refresh, "expires_in": self.rotation_seconds}

    def revoke(self, team: str) -> None:
        """Slack forgets every token of ``team`` (an uninstall, or tokens revoked)."""
        self.tokens = {t: owner for t, owner in self.tokens.items() if owner != team}
        self.refresh_tokens = {t: owner for t, owner in self.refresh_tokens.items() if owner != team}

    def _client_ok(self, request: web.Request, args: dict[str, Any]) -> bool:
        """oauth.v2.access authenticates the app: HTTP Basic (what slack_sdk sends) or form fields."""
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            given = base64.b64decode(header[6:]).decode()
            return given == f"{CLIENT_ID}:{CLIENT_SECRET}"
        return args.get("client_id") == CLIENT_ID and args.get("client_secret") == CLIENT_SECRET

    def _oauth_v2_access(self, request: web.Request, args: dict[str, Any]) -> dict[str, Any]:
        """Slack's oauth.v2.access wire format: an install's code, or a refresh token (rotation)."""
        if not self._client_ok(request, args):
            return {"ok": False, "error": "invalid_client_id"}
        if args.get("grant_type") == "refresh_token":
            team = self.refresh_tokens.pop(str(args.get("refresh_token")), None)
            if team is None:
                return {"ok": False, "error": "invalid_refresh_token"}
            old = [t for t, owner in self.tokens.items() if owner == team]
            issued = self._issue_token(team)
            for token in old:  # the token it replaces stops working
                self.tokens.pop(token, None)
            return {
                "ok": True,
                "app_id": "A0001",
                "token_type": "bot",
                "scope": ",".join([*scopes_needed(), "commands"]),
                "bot_user_id": BOT_USER,
                "team": {"id": team, "name": self.team_names.get(team, team)},
                "enterprise": None,
                "is_enterprise_install": False,
                **issued,
            }
        grant = self.codes.pop(str(args.get("code")), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        if grant.redirect_uri is not None and args.get("redirect_uri") != grant.redirect_uri:
            return {"ok": False, "error": "bad_redirect_uri"}
        return {
            "ok": True,
            "app_id": "A0001",
            "authed_user": {"id": grant.user},
            "scope": grant.scope,
            "token_type": "bot",
            "bot_user_id": BOT_USER,
            "team": {"id": grant.team, "name": grant.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
            **self._issue_token(grant.team),
        }

    def texts(self, messages: list[dict[str, Any]]) -> str:
        """All the visible text of some messages, for assertions."""
        out = []
        for m in messages:
            out.append(str(m.get("text", "")))
            out.append(json.dumps(m.get("blocks", [])))
        return "\n".join(out)

    # -- the server ----------------------------------------------------------------------------
    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update(dict(await request.post()))
        for key in ("blocks", "view"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    def _check_spec(self, method: str, args: dict[str, Any], auth: str) -> None:
        if self.spec is None:
            return
        operations = self.spec.get(f"/{method}")
        if operations is None and method in NEWER_THAN_SPEC:
            self._check_newer(method, args)
            return
        if operations is None:
            self.problems.append(f"{method}: not a Slack Web API method")
            return
        if method not in NEEDS:
            self.problems.append(f"{method}: called, but the manifest's scopes were not checked for it")
        required = {
            p["name"] for op in operations.values() for p in op.get("parameters", []) if p.get("required")
        } | set(ALSO_REQUIRED.get(method, []))
        if "token" in required and auth.removeprefix("Bearer ") in self.tokens:
            required.discard("token")
        if method == "oauth.v2.access" and args.get("grant_type") == "refresh_token":
            required.discard("code")  # a refresh needs no code (docs.slack.dev: token rotation)
        missing = sorted(required - set(args))
        if missing:
            self.problems.append(f"{method}: missing required {missing}")
        for bad in ("link_names", "parse"):
            if bad in args and str(args[bad]).lower() not in ("", "none", "false", "0"):
                self.problems.append(f"{method}: sets {bad}={args[bad]}")

    def _check_newer(self, method: str, args: dict[str, Any]) -> None:
        known = set(NEWER_THAN_SPEC[method]) | NEWER_OPTIONAL[method] | {"token"}
        missing = sorted(set(NEWER_THAN_SPEC[method]) - set(args))
        if missing:
            self.problems.append(f"{method}: missing required {missing}")
        unknown = sorted(set(args) - known)
        if unknown:
            self.problems.append(f"{method}: arguments Slack does not document {unknown}")

    def answered(self, method: str) -> asyncio.Event:
        """Set once ``method`` has been answered ok (to wait for work that follows an ack)."""
        return self._answered.setdefault(method, asyncio.Event())

    def _check_content(self, method: str, args: dict[str, Any]) -> None:
        if self.spec is None:
            return
        if "blocks" in args:
            self.problems += [f"{method}: {p}" for p in check_blocks(args["blocks"])]
        if "view" in args:
            self.problems += [f"{method}: {p}" for p in check_view(args["view"])]
        # a modal's plain_text (labels, a draft's initial values) is shown as typed: only mrkdwn pings
        dumped = json.dumps(
            {k: args.get(k) for k in ("text", "blocks", "topic")} | {"view": mrkdwn_in(args.get("view"))}
        )
        if pings(dumped):
            self.problems.append(f"{method}: would ping: {dumped[:200]}")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        auth = request.headers.get("Authorization", "")
        team = self.tokens.get(auth.removeprefix("Bearer "), "")
        call = Call(method, args, team)
        self.attempts.append(call)
        if self.hold is not None:
            await self.hold.wait()
        self._check_spec(method, args, auth)
        self._check_content(method, args)
        if self.rate_limited > 0:
            self.rate_limited -= 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": self.retry_after}
            )
        if method == "oauth.v2.access":
            body = self._oauth_v2_access(request, args)
            if body.get("ok"):
                self.calls.append(call)
            return web.json_response(body)
        if method == "apps.connections.open":
            if auth != f"Bearer {APP_TOKEN}":
                return web.json_response({"ok": False, "error": "not_authed"})
        elif not team:
            return web.json_response({"ok": False, "error": "invalid_auth" if auth else "not_authed"})
        queued = self.fail_next.get(method)
        if queued:
            return web.json_response({"ok": False, "error": queued.pop(0)})
        self._team = team or TEAM
        try:
            body = getattr(self, "_" + method.replace(".", "_"))(args)
        except KeyError as missing:
            return web.json_response({"ok": False, "error": f"invalid_arguments: {missing}"})
        if body.get("ok"):
            self.calls.append(call)
            self.answered(method).set()
        return web.json_response(body)

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response({"calls": len(self.calls), "responses": len(self.responses)})

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        self._check_content("response_url", body)
        self.responses.append(body)
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, deliver the queued envelopes, collect the app's acks."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}})
        for envelope in self.envelopes:
            await ws.send_json(envelope)
        async for message in ws:
            if message.type == web.WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
                self.socket_acked.set()
        return ws

    # -- methods -------------------------------------------------------------------------------
    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": self.base_url.replace("http://", "ws://") + "/link"}

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://riverside.slack.com/",
            "team": self.team_names.get(self._team, self._team),
            "user": "tacbot",
            "team_id": self._team,
            "user_id": BOT_USER,
            "bot_id": "B0001",
            "is_enterprise_install": False,
        }

    def _channel(self, args: dict[str, Any]) -> Channel | dict[str, Any]:
        channel = self.channels.get(str(args["channel"]))
        if channel is None or channel.team != self._team:  # another workspace's channel is not there
            return {"ok": False, "error": "channel_not_found"}
        if channel.archived:
            return {"ok": False, "error": "is_archived"}
        if BOT_USER not in channel.members:
            return {"ok": False, "error": "not_in_channel"}
        return channel

    def _conversations_create(self, args: dict[str, Any]) -> dict[str, Any]:
        name = str(args["name"])
        if self.channel_named(name, team=self._team) is not None:
            return {"ok": False, "error": "name_taken"}
        cid = f"C{next(self._ids):08d}"
        private = str(args.get("is_private")).lower() in ("true", "1")
        self.channels[cid] = Channel(id=cid, name=name, private=private, members={BOT_USER}, team=self._team)
        return {"ok": True, "channel": {"id": cid, "name": name, "is_private": private, "is_channel": True}}

    def _conversations_setTopic(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        if isinstance(channel, dict):
            return channel
        channel.topic = str(args["topic"])
        return {"ok": True, "channel": {"id": channel.id, "topic": {"value": channel.topic}}}

    def _conversations_setPurpose(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        if isinstance(channel, dict):
            return channel
        channel.purpose = str(args["purpose"])
        return {"ok": True, "channel": {"id": channel.id, "purpose": {"value": channel.purpose}}}

    def _conversations_invite(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        if isinstance(channel, dict):
            return channel
        users = str(args["users"]).split(",")
        for user in users:
            if user not in self.users:
                return {"ok": False, "error": "user_not_found"}
            if user in channel.members:
                return {"ok": False, "error": "already_in_channel"}
        channel.members.update(users)
        return {"ok": True, "channel": {"id": channel.id, "name": channel.name}}

    def _conversations_inviteShared(self, args: dict[str, Any]) -> dict[str, Any]:
        """Slack Connect: refused (``not_paid``) unless the workspace is on a paid plan (``connect``)."""
        channel = self._channel(args)
        if not isinstance(channel, Channel):
            return channel
        if not self.connect:
            return {"ok": False, "error": "not_paid"}
        emails = args.get("emails") or []
        for email in [emails] if isinstance(emails, str) else emails:
            self.shared_invites.append((channel.id, str(email)))
        return {"ok": True, "invite_id": f"I0{len(self.calls):04d}", "is_legacy_shared_channel": False}

    def _conversations_kick(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        if isinstance(channel, dict):
            return channel
        if args["user"] not in channel.members:
            return {"ok": False, "error": "not_in_channel"}
        channel.members.discard(str(args["user"]))
        return {"ok": True}

    def _conversations_archive(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(args["channel"]))
        if channel is None or channel.team != self._team:
            return {"ok": False, "error": "channel_not_found"}
        if channel.archived:
            return {"ok": False, "error": "already_archived"}
        channel.archived = True
        return {"ok": True}

    def _conversations_unarchive(self, args: dict[str, Any]) -> dict[str, Any]:
        """Slack's documentation: bot tokens (xoxb-) cannot currently unarchive conversations."""
        return {"ok": False, "error": "not_allowed_token_type"}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args["users"])
        if user not in self.users:
            return {"ok": False, "error": "user_not_found"}
        cid = f"D{user}"
        self.channels.setdefault(
            cid, Channel(id=cid, name=cid, private=True, members={BOT_USER, user}, team=self._team)
        )
        return {"ok": True, "channel": {"id": cid}}

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        if isinstance(channel, dict):
            return channel
        return {"ok": True, "channel": channel.id, "ts": f"{next(self._ids)}.000100"}

    def accept_shared_invite(self, channel: str, *, user: str, team: str, email: str, name: str) -> None:
        """Someone invited by e-mail through Slack Connect accepts, from their own workspace ``team``: they
        are in the channel (the caller then sends the ``member_joined_channel`` Slack sends)."""
        self.users[user] = name
        self.outsiders[user] = (team, email)
        self.channels[channel].members.add(user)

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        """A user object as Slack gives it: for a Slack Connect member, their own workspace's ``team_id``
        (and ``profile.team``), and ``profile.email`` (with ``users:read.email``) where their organisation
        shows it."""
        user = str(args["user"])
        if user not in self.users:
            return {"ok": False, "error": "user_not_found"}
        name = self.users[user]
        team, email = self.outsiders.get(user, (self._team, f"{name.split()[0].lower()}@riverside.sch.uk"))
        return {
            "ok": True,
            "user": {
                "id": user,
                "team_id": team,
                "name": name.lower(),
                "real_name": name,
                "deleted": False,
                "is_bot": False,
                "is_restricted": False,
                "is_stranger": False,
                "profile": {
                    "display_name": name,
                    "real_name": name,
                    "email": email,
                    "team": team,
                },
            },
        }

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": f"V{next(self._ids)}", **args["view"]}}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": f"V{next(self._ids)}", **args["view"]}}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("view_id") and not args.get("external_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": args.get("view_id"), **args["view"]}}
