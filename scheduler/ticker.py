"""The clock: APScheduler's ``AsyncIOScheduler`` only ticks; every reminder lives in our own table.

It runs plain callables handed to it by the composition root (``bot.ticker``): ``tick`` ("send what is
due") every 30 s and ``weekly`` on Monday at 08:00. Jobs are in memory (the default ``MemoryJobStore``),
re-added at every start, never pickled, and hold nothing of value: losing them loses nothing.
``coalesce`` plus a generous ``misfire_grace_time`` mean that after downtime the missed ticks run once,
and ``max_instances=1`` that a slow pass is never overlapped by the next one in this process (other
processes are kept apart by the queue's claims).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

RUN_DUE = "reminders.run-due"
DIGEST = "reminders.weekly-digest"
TICK_SECONDS = 30
GRACE = 6 * 60 * 60  # a tick missed by up to 6 hours still runs (once)

Job = Callable[[], Awaitable[object]]


def make_ticker(
    *, tz: ZoneInfo, tick: Job, weekly: Job, first_run: datetime | None = None
) -> AsyncIOScheduler:
    """The scheduler with its two jobs added (not started): ``tick`` every 30 s, ``weekly`` Monday 08:00.

    ``first_run`` makes the first tick happen then (at start: catch up on what was missed, once). The
    callables log and swallow their own errors: a failing pass must not stop the clock.
    """
    sched = AsyncIOScheduler(timezone=tz)
    first: dict[str, Any] = {"next_run_time": first_run} if first_run is not None else {}
    sched.add_job(
        tick,
        IntervalTrigger(seconds=TICK_SECONDS, timezone=tz),
        id=RUN_DUE,
        name="send due reminders",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=GRACE,
        replace_existing=True,
        **first,
    )
    sched.add_job(
        weekly,
        CronTrigger(day_of_week="mon", hour=8, minute=0, timezone=tz),
        id=DIGEST,
        name="the SENCO's weekly digest",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=GRACE,
        replace_existing=True,
    )
    return sched
