"""The reminder clock: APScheduler jobs in memory, started and stopped with the server; the digest."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from apscheduler.jobstores.memory import MemoryJobStore

from bot.console.session import ConsoleBot
from bot.server import make_app
from bot.settings import Settings
from bot.ticker import ticker_for, ticker_plugin
from handlers.chasing.ticks import weekly_digest
from handlers.clock import ManualClock
from handlers.core import Core
from scheduler.ticker import DIGEST, RUN_DUE
from tests.handlers.chasing.helpers import LONDON, at, case_with_action


async def test_jobs_tick_every_30_seconds_and_digest_monday_8(core: Core) -> None:
    sched = ticker_for(core, tz=LONDON)
    sched.start(paused=True)
    try:
        run = sched.get_job(RUN_DUE)
        digest = sched.get_job(DIGEST)
        assert run.trigger.interval == timedelta(seconds=30)
        assert (run.coalesce, run.max_instances, run.misfire_grace_time) == (True, 1, 6 * 3600)
        assert digest.coalesce and digest.max_instances == 1
        fields = {f.name: str(f) for f in digest.trigger.fields}
        assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("mon", "8", "0")
        assert isinstance(sched._jobstores["default"], MemoryJobStore)  # nothing pickled, nothing kept
    finally:
        sched.shutdown(wait=False)


async def test_the_retention_check_runs_weekly_on_monday_morning(core: Core) -> None:
    from bot.ticker import RETENTION

    sched = ticker_for(core, tz=LONDON)
    sched.start(paused=True)
    try:
        job = sched.get_job(RETENTION)
        fields = {f.name: str(f) for f in job.trigger.fields}
        assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("mon", "7", "30")
        assert job.coalesce and job.max_instances == 1
    finally:
        sched.shutdown(wait=False)


async def test_the_retention_check_runs_off_the_event_loop(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like the other clock jobs, its database work runs in a database worker thread (``off_loop``)."""
    from bot import ticker
    from bot.ticker import RETENTION

    threads: list[threading.Thread] = []

    async def notify(core: Core, *, now: datetime) -> None:
        threads.append(threading.current_thread())

    monkeypatch.setattr(ticker, "notify_retention", notify)
    sched = ticker_for(core, tz=LONDON)
    sched.start(paused=True)
    try:
        job = sched.get_job(RETENTION)
        await job.func(*job.args, **job.kwargs)
    finally:
        sched.shutdown(wait=False)
    assert threads and threads[0] is not threading.main_thread()


async def test_the_server_starts_and_stops_the_clock(core: Core) -> None:
    settings = Settings(DATABASE_URL="sqlite://", TACBOT_SENCOS="")
    async with TestClient(TestServer(make_app(core, plugins=[ticker_plugin(settings)]))) as client:
        assert (await client.get("/healthz")).status == 200


async def test_weekly_digest_once_per_week(bot: ConsoleBot, clock: ManualClock) -> None:
    await case_with_action(bot, due="2026-09-16")
    clock.set(at(2026, 9, 21, 8, 0))  # the next Monday 08:00: the action is overdue
    assert await weekly_digest(bot.core) == 1
    assert await weekly_digest(bot.core) == 1  # the same row (same week): not sent again
    digests = [d for d in bot.sent_to(user="sam") if "Your TAC week" in d.text]
    assert len(digests) == 1
    assert "TAC-0001 (Robin): 1 overdue" in digests[0].text and "Phonics" not in digests[0].text
    clock.set(at(2026, 9, 28, 8, 0))
    await weekly_digest(bot.core)
    assert len([d for d in bot.sent_to(user="sam") if "Your TAC week" in d.text]) == 2
