"""The clock ticks plain callables: no core, no use case; jobs in memory, coalesced, never overlapping."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from scheduler.ticker import DIGEST, GRACE, RUN_DUE, make_ticker

LONDON = ZoneInfo("Europe/London")


async def test_the_ticker_runs_the_callables_it_is_handed() -> None:
    calls: list[str] = []

    async def tick() -> None:
        calls.append("tick")

    async def weekly() -> None:
        calls.append("weekly")

    first = datetime(2026, 9, 14, 9, 0, tzinfo=LONDON)
    sched = make_ticker(tz=LONDON, tick=tick, weekly=weekly, first_run=first)
    sched.start(paused=True)
    try:
        run, digest = sched.get_job(RUN_DUE), sched.get_job(DIGEST)
        assert (run.func, digest.func) == (tick, weekly)
        assert run.args == () and digest.args == ()  # nothing of ours but the callables
        assert run.next_run_time == first
        assert run.trigger.interval == timedelta(seconds=30)
        assert (digest.coalesce, digest.max_instances, digest.misfire_grace_time) == (True, 1, GRACE)
        await run.func()
        await digest.func()
        assert calls == ["tick", "weekly"]
    finally:
        sched.shutdown(wait=False)
