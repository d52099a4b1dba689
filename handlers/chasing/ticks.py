"""What the clock runs (``scheduler.ticker``, wired by ``bot.ticker``): send what is due; the weekly digest.

Both log and swallow their errors: a failed pass is tried again at the next tick, and the clock keeps
ticking.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from handlers.chasing.delivery import RunStats, run_due
from handlers.chasing.digest import queue_digests
from handlers.core import Core
from scheduler.calendar import SchoolCalendar

log = logging.getLogger(__name__)


OnTick = Callable[[RunStats], None]


async def tick(core: Core, on_tick: OnTick | None = None) -> RunStats | None:
    """One pass of "send what is due" at the core's current time; errors are logged, never raised.
    ``on_tick`` is told what the pass did (the server counts it for its metrics)."""
    try:
        stats = await run_due(core, now=core.clock.now())
    except Exception:
        log.exception("sending due reminders failed; the next tick will try again")
        return None
    if on_tick is not None:
        on_tick(stats)
    if stats.claimed:
        log.info(
            "reminders: %s sent, %s cancelled, %s held, %s failed",
            stats.sent,
            stats.cancelled,
            stats.held,
            stats.failed,
        )
    return stats


async def weekly_digest(core: Core, on_tick: OnTick | None = None) -> int:
    """Queue each SENCO's digest for this week (once, by its key), then send what is due."""
    try:
        with core.db.transaction() as s:
            queued = queue_digests(s, cal=SchoolCalendar(tz=core.tz, hours=core.hours), now=core.clock.now())
    except Exception:
        log.exception("queueing the weekly digest failed")
        return 0
    await tick(core, on_tick)
    return queued
