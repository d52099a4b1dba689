"""The aiohttp server of `tacbot serve`: health and metrics endpoints; Slack, Teams and the clock plug in."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from bot.metrics import Metrics, measure, metrics_endpoint
from handlers.core import Core

log = logging.getLogger(__name__)

CORE: web.AppKey[Core] = web.AppKey("core", Core)
METRICS: web.AppKey[Metrics] = web.AppKey("metrics", Metrics)

# A plug-in adds routes and start/stop hooks to the one aiohttp app (Slack, Teams, the scheduler).
Plugin = Callable[[web.Application], None]


READY_SECONDS = 2.0  # /readyz answers within this, whatever the database does


async def healthz(request: web.Request) -> web.Response:
    """The process answers: never touches the database."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """The database answers, asked from a database worker thread and given ``READY_SECONDS``."""
    core = request.app[CORE]
    asked = asyncio.get_running_loop().run_in_executor(core.db.workers, core.db.ping)
    try:
        if await asyncio.wait_for(asked, READY_SECONDS):
            return web.json_response({"status": "ready"})
        return web.json_response({"status": "database unreachable"}, status=503)
    except TimeoutError:
        return web.json_response({"status": "database busy"}, status=503)


def make_app(core: Core, *, plugins: list[Plugin] | None = None) -> web.Application:
    metrics = Metrics(core)
    app = web.Application(middlewares=[measure(metrics)])
    app[CORE], app[METRICS] = core, metrics
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_endpoint(metrics))
    for plugin in plugins or []:
        plugin(app)

    async def dispose(app: web.Application) -> AsyncIterator[None]:
        yield
        core.db.dispose()

    app.cleanup_ctx.append(dispose)
    return app
