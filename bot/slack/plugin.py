"""Mount the Bolt app at POST /slack/events in the one aiohttp app (and Socket Mode when configured)."""

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
from bot.slack.platform import SlackPlatform
from bot.slack.respond import Http

log = logging.getLogger(__name__)

BOLT: web.AppKey[AsyncApp] = web.AppKey("slack_bolt", AsyncApp)
BACKGROUND: web.AppKey[Background] = web.AppKey("slack_background", Background)
PATH = "/slack/events"
SHUTDOWN_GRACE = 10.0  # seconds to let acked work finish when the server stops


def slack_platform(settings: Settings) -> SlackPlatform:
    """The Slack ChatPlatform for this configuration (SLACK_BOT_TOKEN, SLACK_API_URL)."""
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is not set")
    return SlackPlatform(
        web_client(settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)
    )


def slack_plugin(settings: Settings) -> Plugin:
    """A server plug-in: the Slack endpoint, Socket Mode if SLACK_APP_TOKEN is set, a clean shutdown."""
    if settings.slack_signing_secret is None:
        raise ValueError("SLACK_SIGNING_SECRET is not set")
    secret = settings.slack_signing_secret.get_secret_value()

    def install(app: web.Application) -> None:
        core = app[CORE]
        platform = core.platforms.get("slack")
        if not isinstance(platform, SlackPlatform):
            platform = slack_platform(settings)
            core.platforms["slack"] = platform
        background, http = Background(), Http()
        bolt = build_slack_app(
            core,
            client=platform.client,
            signing_secret=secret,
            background=background,
            seen=SeenEvents(db=core.db, clock=core.clock),
            http=http,
        )
        app[BOLT], app[BACKGROUND] = bolt, background
        app[METRICS].background.append(lambda: len(background))

        async def events(request: web.Request) -> web.Response:
            return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

        app.router.add_post(PATH, events)

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

        app.cleanup_ctx.append(lifecycle)

    return install
