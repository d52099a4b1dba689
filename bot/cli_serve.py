"""`tacbot serve`: migrate, build everything, and run the aiohttp server until stopped."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.app import build_core
from bot.server import Plugin, make_app
from bot.settings import Settings
from storage.capacity import capacity
from storage.engine import Database

log = logging.getLogger(__name__)


def plugins_for(settings: Settings, *, scheduler: bool) -> list[Plugin]:
    """The platform edges and the clock that this configuration turns on."""
    from bot.notices import notices_plugin
    from bot.teams.endpoint import teams_plugin

    plugins: list[Plugin] = [notices_plugin(settings)]
    plugins.append(teams_plugin(settings))  # TeamsConfigError: production with no app id
    if scheduler:
        from bot.ticker import ticker_plugin

        plugins.append(ticker_plugin(settings))
    if settings.slack_enabled:
        from bot.slack.plugin import slack_plugin

        plugins.append(slack_plugin(settings))
    else:
        log.info("Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on.")
    return plugins


def log_capacity(db: Database, settings: Settings) -> None:
    """Say how many processes this pool size lets share the database (PostgreSQL), loudly if too few."""
    try:
        found = capacity(db.engine, pool=settings.pool)
    except Exception:
        log.warning("could not read the database's connection limit", exc_info=True)
        return
    if found is None:
        return
    if found.processes < 2:
        log.warning("%s: lower TACBOT_DB_POOL_SIZE / TACBOT_DB_MAX_OVERFLOW", found.describe())
    else:
        log.info("%s", found.describe())


def serve(settings: Settings, *, scheduler: bool = True) -> int:
    from bot.teams.config import TeamsConfigError

    try:
        plugins = plugins_for(settings, scheduler=scheduler)
    except TeamsConfigError as exc:
        log.error("%s", exc)
        return 2
    core = build_core(settings)
    log_capacity(core.db, settings)
    app = make_app(core, plugins=plugins)
    log.info("TAC Bot listening on %s:%s", settings.host, settings.port)
    web.run_app(app, host=settings.host, port=settings.port, print=None)
    return 0
