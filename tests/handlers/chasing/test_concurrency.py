"""Several OS processes sending at once against one database: every reminder exactly once, none lost.
Also a process killed between claim and mark: its rows are taken back once the lease expires; and one
killed (SIGKILL) after a send and before its mark: that one message, and only it, goes twice."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from handlers.chasing.delivery import LEASE
from storage.engine import Database
from storage.models import Reminder
from tests.handlers.chasing.fakes import summaries
from tests.handlers.chasing.seed import seed_due
from tests.handlers.chasing.workers import run_due_process

NOW = datetime(2026, 9, 14, 9, 0, tzinfo=UTC)
SPAWN = multiprocessing.get_context("spawn")


def together(n: int, target: Callable[..., None], *args: object) -> list[int]:
    """``n`` processes running ``target(*args, start)``, started at once (a barrier); their exit codes."""
    start = SPAWN.Barrier(n)
    procs = [SPAWN.Process(target=target, args=(*args, start)) for _ in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    return [p.exitcode or 0 for p in procs]


def run_processes(url: str, out: Path, *, now: datetime, n: int, batch: int, die: bool = False) -> list[int]:
    return together(n, run_due_process, url, str(out), now.isoformat(), batch, die)


def seeded(url: str, *, cases: int, per_case: int) -> int:
    db = Database.from_url(url)
    total = seed_due(db, cases=cases, per_case=per_case, now=NOW)
    db.dispose()
    return total


def states(url: str) -> dict[str, int]:
    db = Database.from_url(url)
    with db.transaction() as s:
        found = dict(s.execute(select(Reminder.state, func.count()).group_by(Reminder.state)).all())
    db.dispose()
    return {str(k): int(v) for k, v in found.items()}


def test_four_processes_send_every_reminder_exactly_once(fresh_url: str, tmp_path: Path) -> None:
    total = seeded(fresh_url, cases=60, per_case=5)
    out = tmp_path / "deliveries.txt"
    assert run_processes(fresh_url, out, now=NOW, n=4, batch=7) == [0, 0, 0, 0]
    sent = summaries(out)
    counts = Counter(sent)
    assert len(sent) == total and max(counts.values()) == 1
    assert states(fresh_url) == {"sent": total}


def test_a_process_killed_between_claim_and_mark_is_taken_back_after_the_lease(
    fresh_url: str, tmp_path: Path
) -> None:
    total = seeded(fresh_url, cases=10, per_case=3)
    out = tmp_path / "deliveries.txt"
    assert run_processes(fresh_url, out, now=NOW, n=1, batch=12, die=True) == [9]  # killed mid-send
    assert states(fresh_url) == {"claimed": 12, "pending": total - 12}
    run_processes(fresh_url, out, now=NOW + timedelta(minutes=1), n=3, batch=5)  # lease still held
    assert len(summaries(out)) == total - 12
    run_processes(fresh_url, out, now=NOW + LEASE + timedelta(minutes=1), n=3, batch=5)  # taken back
    sent = summaries(out)
    assert len(sent) == total and max(Counter(sent).values()) == 1
    assert states(fresh_url) == {"sent": total}


def kill_after_send(url: str, out: Path, *, now: datetime, batch: int, nth: int) -> int:
    """A worker that stops right after its ``nth`` delivery, before marking it, is killed there (SIGKILL)."""
    delivered = SPAWN.Event()
    worker = SPAWN.Process(
        target=run_due_process, args=(url, str(out), now.isoformat(), batch, False, None, (nth, delivered))
    )
    worker.start()
    reached = delivered.wait(120)
    os.kill(worker.pid or 0, signal.SIGKILL)
    worker.join(60)
    assert reached, "the worker never got to its send"
    return worker.exitcode or 0


KILLS = (3, 1, 5, 2, 4)  # each worker is killed right after its n-th send of the pass


def test_each_sigkill_between_a_send_and_its_mark_repeats_exactly_that_one_message(
    fresh_url: str, tmp_path: Path
) -> None:
    """The at-least-once window, measured: over len(KILLS) kills, exactly one duplicate each."""
    total = seeded(fresh_url, cases=12, per_case=3)
    out = tmp_path / "deliveries.txt"
    now = NOW
    for nth in KILLS:
        assert kill_after_send(fresh_url, out, now=now, batch=8, nth=nth) == -signal.SIGKILL
        now += LEASE + timedelta(minutes=1)  # the killed worker's lease runs out
    assert run_processes(fresh_url, out, now=now, n=2, batch=8) == [0, 0]
    counts = Counter(summaries(out))
    assert len(counts) == total  # nothing lost
    assert sum(counts.values()) - total == len(KILLS)  # one duplicate per kill, no more
    assert states(fresh_url) == {"sent": total}
