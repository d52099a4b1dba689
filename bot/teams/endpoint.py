"""``POST /api/messages`` in the one aiohttp app: JWT check first, then botbuilder's CloudAdapter."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.auth import ServiceClientCredentialsFactory

from bot.server import CORE, Plugin
from bot.settings import Settings
from bot.teams.bot import TacTeamsBot
from bot.teams.config import TeamsConfig
from bot.teams.platform import TeamsPlatform
from bot.teams.service_urls import host_of, same_service_url

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def make_adapter(
    config: TeamsConfig, *, credentials_factory: ServiceClientCredentialsFactory | None = None
) -> CloudAdapter:
    """The CloudAdapter with configuration-based Bot Framework authentication (JWT validation on)."""
    auth = ConfigurationBotFrameworkAuthentication(
        config.botframework(), credentials_factory=credentials_factory
    )
    adapter = CloudAdapter(auth)

    async def on_error(context: TurnContext, error: Exception) -> None:
        log.error("Teams turn failed: %s", type(error).__name__, exc_info=error)

    adapter.on_turn_error = on_error
    return adapter


def _service_url_refusal(config: TeamsConfig, result: Any, activity: Activity) -> web.Response | None:
    """With an app id the service URL must be the one the validated token carries (401 otherwise);
    in every mode it must be one the bot may send to (403: loopback for the Emulator, Microsoft's
    hosts in production). Refused here, nothing is stored and nothing is sent."""
    if config.authenticated:
        identity = getattr(result, "claims_identity", None)
        claim = identity.get_claim_value("serviceurl") if identity is not None else None
        if not same_service_url(claim, activity.service_url):
            log.warning("Teams request refused: its service URL is not the one in its token")
            return web.Response(status=401)
    if not config.may_send_to(activity.service_url):
        log.warning(
            "Teams request refused: service URL host %r is not allowed", host_of(activity.service_url)
        )
        return web.Response(status=403)
    return None


def messages_handler(adapter: CloudAdapter, bot: TacTeamsBot) -> Handler:
    """Authenticate every request before the bot sees it: any failure of the token is a 401, a
    service URL the bot may not send to a 401 or 403."""
    config = bot.platform.config

    async def messages(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.Response(status=415)
        try:
            activity = Activity().deserialize(await request.json())
        except ValueError:
            return web.Response(status=400)
        if not activity.type:
            return web.Response(status=400)
        header = request.headers.get("Authorization", "")
        try:
            result = await adapter.bot_framework_authentication.authenticate_request(activity, header)
        except Exception as exc:  # PermissionError, PyJWT errors, unknown signing key...
            log.warning("Teams request refused (%s)", type(exc).__name__)
            return web.Response(status=401)
        refusal = _service_url_refusal(config, result, activity)
        if refusal is not None:
            return refusal
        response = await adapter.process_activity(result, activity, bot.on_turn)
        if response is not None:
            body = response.body  # ActivityHandler already serialised it to plain JSON; a Model if not
            plain = body is None or isinstance(body, dict | list | str | int | float | bool)
            return web.json_response(data=body if plain else serializer_helper(body), status=response.status)
        return web.Response(status=201)

    return messages


def teams_plugin(settings: Settings) -> Plugin:
    """Mount `/api/messages` when Teams is on (an app id, or the Emulator in development); raises
    ``TeamsConfigError`` for what is unsafe (``TeamsConfig.check``)."""
    config = TeamsConfig.from_settings(settings)
    config.check()

    def plug(app: web.Application) -> None:
        if not config.enabled:
            return  # no route at all: an unauthenticated endpoint is never mounted by default
        core = app[CORE]
        platform = core.platforms.get("teams")
        if not isinstance(platform, TeamsPlatform):
            raise RuntimeError("the Teams plugin needs core.platforms['teams'] (bot.app.build_platforms)")
        bot = TacTeamsBot(core=core, platform=platform)
        app.router.add_post("/api/messages", messages_handler(platform.adapter, bot))

    return plug
