"""The clock: APScheduler's ``AsyncIOScheduler`` only ticks; every reminder lives in our own table.

Jobs are in memory (the default ``MemoryJobStore``), re-added at every start, never pickled, and hold
nothing of value: losing them loses nothing. ``coalesce`` plus a generous ``misfire_grace_time`` mean that
after downtime the missed ticks run once, and ``max_instances=1`` that a slow pass is never overlapped
by the next one in this process (other processes are kept apart by the queue's claims).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from handlers.core import Core
from scheduler.calendar import SchoolCalendar
from scheduler.delivery import RunStats, run_due
from scheduler.digest import queue_digests

log = logging.getLogger(__name__)

RUN_DUE = "reminders.run-due"
DIGEST = "reminders.weekly-digest"
TICK_SECONDS = 30
GRACE = 6 * 60 * 60  # a tick missed by up to 6 hours still runs (once)


async def tick(core: Core) -> RunStats | None:
    """One pass of "send what is due" at the core's current time; errors are logged, never raised."""
    try:
        stats = await run_due(core, now=core.clock.now())
    except Exception:
        log.exception("sending due reminders failed; the next tick will try again")
        return None
    if stats.claimed:
        log.info(
            "reminders: %s sent, %s cancelled, %s held, %s failed",
            stats.sent,
            stats.cancelled,
            stats.held,
            stats.failed,
        )
    return stats


async def weekly_digest(core: Core) -> int:
    """Queue each SENCO's digest for this week (once, by its key), then send what is due."""
    try:
        with core.db.transaction() as s:
            queued = queue_digests(s, cal=SchoolCalendar(tz=core.tz, hours=core.hours), now=core.clock.now())
    except Exception:
        log.exception("queueing the weekly digest failed")
        return 0
    await tick(core)
    return queued


def make_scheduler(core: Core, *, tz: ZoneInfo, first_run: datetime | None = None) -> AsyncIOScheduler:
    """The scheduler with its two jobs added (not started): run-due every 30 s, the digest Monday 08:00.

    ``first_run`` makes the first pass happen then (at start: catch up on what was missed, once).
    """
    sched = AsyncIOScheduler(timezone=tz)
    first: dict[str, Any] = {"next_run_time": first_run} if first_run is not None else {}
    sched.add_job(
        tick,
        IntervalTrigger(seconds=TICK_SECONDS, timezone=tz),
        args=[core],
        id=RUN_DUE,
        name="send due reminders",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=GRACE,
        replace_existing=True,
        **first,
    )
    sched.add_job(
        weekly_digest,
        CronTrigger(day_of_week="mon", hour=8, minute=0, timezone=tz),
        args=[core],
        id=DIGEST,
        name="the SENCO's weekly digest",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=GRACE,
        replace_existing=True,
    )
    return sched
