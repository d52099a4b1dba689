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
    from bot.portal.web import portal_plugin
    from bot.teams.endpoint import teams_plugin

    plugins: list[Plugin] = [notices_plugin(settings), portal_plugin()]
    plugins.append(teams_plugin(settings))  # TeamsConfigError: an unsafe Teams set-up
    if scheduler:
        from bot.ticker import ticker_plugin

        plugins.append(ticker_plugin(settings))
    if settings.slack_enabled:
        from bot.slack.plugin import slack_plugin

        plugins.append(slack_plugin(settings))
    else:
        log.info(
            "Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (one workspace), or SLACK_CLIENT_ID, "
            "SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET (many, installed through OAuth), to turn it on."
        )
    return plugins


ROUTE_NOTES = {
    "/healthz": "liveness, never touches the database",
    "/readyz": "the database answers (within 2 s)",
    "/slack/events": "Slack, every request's signature checked",
    "/slack/install": "public: starts a Slack install (a one-time state)",
    "/slack/oauth_redirect": "public: finishes a Slack install (its state checked once)",
    "/privacy": "the privacy notice, public",
    "/terms": "the terms of use, public",
    "/metrics": "Prometheus metrics: keep it private to your monitoring",
    "/portal": "the portal for members outside the workspace, each link signed and expiring",
}


def exposure(app: web.Application, settings: Settings) -> str:
    """Exactly what this server answers, route by route, and what each checks (the start-up line)."""
    from bot.teams.config import TeamsConfig

    notes = {**ROUTE_NOTES, "/api/messages": TeamsConfig.from_settings(settings).describe()}
    routes = sorted(
        {(r.resource.canonical, r.method) for r in app.router.routes() if r.resource and r.method != "HEAD"}
    )
    parts = [
        f"{method} {path} ({notes.get(path, 'no check')})"
        for path, method in routes
        if not path.startswith("/portal/")
    ]
    if any(path.startswith("/portal/") for path, _ in routes):
        parts.append(f"GET and POST /portal/<link>/... ({notes['/portal']})")
    if not settings.teams_enabled:
        parts.append("Teams off (no /api/messages: set MICROSOFT_APP_ID)")
    if settings.slack_enabled and settings.slack_app_token is not None:
        parts.append("Slack over Socket Mode too (an outgoing connection)")
    return "Exposed: " + "; ".join(parts) + "."


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

    problem = settings.slack_problem()
    if problem:
        log.error("%s", problem)
        return 2
    try:
        plugins = plugins_for(settings, scheduler=scheduler)
    except TeamsConfigError as exc:
        log.error("%s", exc)
        return 2
    core = build_core(settings)
    log_capacity(core.db, settings)
    app = make_app(core, plugins=plugins)
    log.info("TAC Bot listening on %s:%s. %s", settings.host, settings.port, exposure(app, settings))
    web.run_app(app, host=settings.host, port=settings.port, print=None)
    return 0
