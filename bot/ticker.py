"""The reminder clock as a plug-in of `tacbot serve`: started with the aiohttp app, stopped with it.

The composition root hands the scheduler's clock (``scheduler.ticker``) the core's two callables: send
what is due (``handlers.chasing.ticks.tick``) and queue the weekly digest (``ticks.weekly_digest``); and
the weekly retention check (``handlers.governance.erasure.notify_retention``), Monday 07:30.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.server import CORE, METRICS, Plugin
from bot.settings import Settings
from handlers.chasing.ticks import OnTick, tick, weekly_digest
from handlers.core import Core
from handlers.governance.erasure import notify_retention
from handlers.offload import off_loop
from handlers.room_guard import reconcile_rooms
from scheduler.ticker import GRACE, make_ticker

log = logging.getLogger(__name__)


async def every_pass(core: Core, on_tick: OnTick | None = None) -> None:
    """Send what is due, then bring case rooms back in line with their teams (``room_guard``). Like the
    tick, errors are logged and the next pass tries again; after a failed tick (the database is
    probably unavailable) the rooms wait for the next pass too."""
    if await tick(core, on_tick) is None:
        return
    try:
        await reconcile_rooms(core)
    except Exception:
        log.exception("reconciling case rooms failed; the next tick will try again")


RETENTION = "governance.weekly-retention"


async def weekly_retention(core: Core) -> None:
    """The weekly retention check: the cases due for erasure, to the SENCOs and DSLs. Never raises."""
    try:
        await notify_retention(core, now=core.clock.now())
    except Exception:
        log.exception(
            "the weekly retention check failed; it runs again next week (or `tacbot retention run`)"
        )


def ticker_for(
    core: Core, *, tz: ZoneInfo, first_run: datetime | None = None, on_tick: OnTick | None = None
) -> AsyncIOScheduler:
    """The clock ticking this core: its jobs added (and the weekly retention check), not started.
    ``on_tick`` hears each pass's stats. Each job (the retention check too) runs off the event loop in a
    database worker thread (``handlers.offload``); its messages still go out on the server's loop."""
    sched = make_ticker(
        tz=tz,
        tick=partial(off_loop, core, partial(every_pass, on_tick=on_tick)),
        weekly=partial(off_loop, core, partial(weekly_digest, on_tick=on_tick)),
        first_run=first_run,
    )
    sched.add_job(
        partial(off_loop, core, weekly_retention),
        CronTrigger(day_of_week="mon", hour=7, minute=30, timezone=tz),
        id=RETENTION,
        name="the weekly retention check",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=GRACE,
        replace_existing=True,
    )
    return sched


def ticker_plugin(settings: Settings) -> Plugin:
    """Start APScheduler on the app's event loop at startup (one pass at once: catch-up), stop at cleanup."""

    def plug(app: web.Application) -> None:
        async def run(app: web.Application) -> AsyncIterator[None]:
            # The first pass runs at once: what was missed while we were down goes out now, once.
            sched = ticker_for(
                app[CORE],
                tz=settings.tz,
                first_run=datetime.now(settings.tz),
                on_tick=app[METRICS].record_run,
            )
            # APScheduler logs every run at INFO: every 30 s is noise; our tick logs what it sent.
            logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
            sched.start()
            log.info(
                "Reminder clock started (%s, every 30 s; weekly digest Monday 08:00; retention check "
                "Monday 07:30).",
                settings.timezone,
            )
            yield
            sched.shutdown(wait=False)

        app.cleanup_ctx.append(run)

    return plug
