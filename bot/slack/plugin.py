"""Mount the Bolt app at POST /slack/events in the one aiohttp app (and Socket Mode when configured);
across workspaces, also GET /slack/install and GET /slack/oauth_redirect (Bolt's OAuth flow)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.server import CORE, METRICS, Plugin
from bot.settings import Settings
from bot.slack.background import Background
from bot.slack.bolt_app import build_slack_app
from bot.slack.client import web_client
from bot.slack.dedupe import SeenEvents
from bot.slack.installs import STATE_SECONDS, States, StateStore, WorkspaceTokens
from bot.slack.oauth import INSTALL_PATH, REDIRECT_PATH, ManyWorkspaces, many_workspaces, oauth_settings
from bot.slack.platform import SlackPlatform
from bot.slack.respond import Http
from storage.engine import Database

log = logging.getLogger(__name__)

BOLT: web.AppKey[AsyncApp] = web.AppKey("slack_bolt", AsyncApp)
BACKGROUND: web.AppKey[Background] = web.AppKey("slack_background", Background)
PATH = "/slack/events"
SHUTDOWN_GRACE = 10.0  # seconds to let acked work finish when the server stops


def slack_platform(settings: Settings, *, db: Database | None = None) -> SlackPlatform:
    """The Slack ChatPlatform for this configuration: SLACK_BOT_TOKEN's one workspace, or (installed
    through OAuth, which needs the database) each workspace with its own token; SLACK_API_URL."""
    if settings.slack_oauth:
        if db is None:
            raise ValueError("Slack across workspaces needs the database (its installations)")
        client = web_client(None, base_url=settings.slack_api_url)
        many = many_workspaces(settings, db, client=client)
        return SlackPlatform(client, tokens=many.tokens)
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is not set")
    return SlackPlatform(
        web_client(settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)
    )


def _many(platform: SlackPlatform, db: Database) -> ManyWorkspaces:
    """The installations behind the platform's tokens (one store, so a deletion is seen by both)."""
    tokens = platform.tokens
    if not isinstance(tokens, WorkspaceTokens):
        raise ValueError("the Slack platform was built for one workspace, but SLACK_CLIENT_ID is set")
    worker = tokens.installations.worker
    states = States(StateStore(db=db, expiration_seconds=STATE_SECONDS), worker=worker)
    return ManyWorkspaces(installations=tokens.installations, states=states, tokens=tokens, worker=worker)


def slack_plugin(settings: Settings) -> Plugin:
    """A server plug-in: the Slack endpoint, Socket Mode if SLACK_APP_TOKEN is set, a clean shutdown."""
    problem = settings.slack_problem()
    if problem:
        raise ValueError(problem)
    if settings.slack_signing_secret is None:
        raise ValueError("SLACK_SIGNING_SECRET is not set")
    secret = settings.slack_signing_secret.get_secret_value()

    def install(app: web.Application) -> None:
        core = app[CORE]
        platform = core.platforms.get("slack")
        if not isinstance(platform, SlackPlatform):
            platform = slack_platform(settings, db=core.db)
            core.platforms["slack"] = platform
        background, http = Background(), Http()
        many = _many(platform, core.db) if settings.slack_oauth else None
        bolt = build_slack_app(
            core,
            client=platform.client,
            signing_secret=secret,
            background=background,
            seen=SeenEvents(db=core.db, clock=core.clock),
            http=http,
            clients=platform.client_for,
            oauth=None if many is None else oauth_settings(settings, many, core),
        )
        app[BOLT], app[BACKGROUND] = bolt, background
        app[METRICS].background.append(lambda: len(background))

        async def events(request: web.Request) -> web.Response:
            return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

        app.router.add_post(PATH, events)
        if bolt.oauth_flow is not None:
            flow = bolt.oauth_flow

            async def start_install(request: web.Request) -> web.Response:
                return await to_aiohttp_response(
                    await flow.handle_installation(await to_bolt_request(request))
                )

            async def finish_install(request: web.Request) -> web.Response:
                return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

            app.router.add_get(INSTALL_PATH, start_install)
            app.router.add_get(REDIRECT_PATH, finish_install)

        async def lifecycle(app: web.Application) -> AsyncIterator[None]:
            http.session = platform.client.session = aiohttp.ClientSession()  # reuse connections
            socket: AsyncSocketModeHandler | None = None
            if settings.slack_app_token is not None:
                socket = AsyncSocketModeHandler(bolt, settings.slack_app_token.get_secret_value())
                await socket.connect_async()  # type: ignore[no-untyped-call]
                log.info("Slack: Socket Mode connected")
            else:
                log.info("Slack: listening for signed requests at POST %s", PATH)
            yield
            if socket is not None:
                await socket.close_async()  # type: ignore[no-untyped-call]
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SHUTDOWN_GRACE):
                    await background.drain()
            await http.session.close()
            http.session = platform.client.session = None
            if many is not None:
                many.worker.close()

        app.cleanup_ctx.append(lifecycle)

    return install
