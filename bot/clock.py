"""The reminder clock as a plug-in of `tacbot serve`: started with the aiohttp app, stopped with it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime

from aiohttp import web

from bot.server import CORE, Plugin
from bot.settings import Settings
from scheduler.clock import make_scheduler

log = logging.getLogger(__name__)


def clock_plugin(settings: Settings) -> Plugin:
    """Start APScheduler on the app's event loop at startup (one pass at once: catch-up), stop at cleanup."""

    def plug(app: web.Application) -> None:
        async def run(app: web.Application) -> AsyncIterator[None]:
            core = app[CORE]
            # The first pass runs at once: what was missed while we were down goes out now, once.
            sched = make_scheduler(core, tz=settings.tz, first_run=datetime.now(settings.tz))
            # APScheduler logs every run at INFO: every 30 s is noise; our tick logs what it sent.
            logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
            sched.start()
            log.info(
                "Reminder clock started (%s, every 30 s; weekly digest Monday 08:00).", settings.timezone
            )
            yield
            sched.shutdown(wait=False)

        app.cleanup_ctx.append(run)

    return plug
