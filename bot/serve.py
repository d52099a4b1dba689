"""`tacbot serve`: migrate, build everything, and run the aiohttp server until stopped."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.app import build_core, build_platforms
from bot.server import Plugin, make_app
from bot.settings import Settings

log = logging.getLogger(__name__)


def plugins_for(settings: Settings, *, scheduler: bool) -> list[Plugin]:
    """The platform edges and the clock that this configuration turns on."""
    plugins: list[Plugin] = []
    if scheduler:
        from bot.clock import clock_plugin

        plugins.append(clock_plugin(settings))
    if not settings.slack_enabled:
        log.info("Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on.")
    return plugins


def serve(settings: Settings, *, scheduler: bool = True) -> int:
    core = build_core(settings, platforms=build_platforms(settings))
    app = make_app(core, plugins=plugins_for(settings, scheduler=scheduler))
    log.info("TAC Bot listening on %s:%s", settings.host, settings.port)
    web.run_app(app, host=settings.host, port=settings.port, print=None)
    return 0
