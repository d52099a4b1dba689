"""Several OS processes sending at once against one database: every reminder exactly once, none lost.
Also a process killed between claim and mark: its rows are taken back once the lease expires."""

from __future__ import annotations

import multiprocessing
from collections import Counter
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


def run_processes(url: str, out: Path, *, now: datetime, n: int, batch: int, die: bool = False) -> list[int]:
    start = SPAWN.Barrier(n)
    procs = [
        SPAWN.Process(target=run_due_process, args=(url, str(out), now.isoformat(), batch, die, start))
        for _ in range(n)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    return [p.exitcode or 0 for p in procs]


def states(url: str) -> dict[str, int]:
    db = Database.from_url(url)
    with db.transaction() as s:
        found = dict(s.execute(select(Reminder.state, func.count()).group_by(Reminder.state)).all())
    db.dispose()
    return {str(k): int(v) for k, v in found.items()}


def test_four_processes_send_every_reminder_exactly_once(fresh_url: str, tmp_path: Path) -> None:
    db = Database.from_url(fresh_url)
    total = seed_due(db, cases=60, per_case=5, now=NOW)
    db.dispose()
    out = tmp_path / "deliveries.txt"
    assert run_processes(fresh_url, out, now=NOW, n=4, batch=7) == [0, 0, 0, 0]
    sent = summaries(out)
    counts = Counter(sent)
    assert len(sent) == total and max(counts.values()) == 1
    assert states(fresh_url) == {"sent": total}


def test_a_process_killed_between_claim_and_mark_is_taken_back_after_the_lease(
    fresh_url: str, tmp_path: Path
) -> None:
    db = Database.from_url(fresh_url)
    total = seed_due(db, cases=10, per_case=3, now=NOW)
    db.dispose()
    out = tmp_path / "deliveries.txt"
    assert run_processes(fresh_url, out, now=NOW, n=1, batch=12, die=True) == [9]  # killed mid-send
    assert states(fresh_url) == {"claimed": 12, "pending": total - 12}
    run_processes(fresh_url, out, now=NOW + timedelta(minutes=1), n=3, batch=5)  # lease still held
    assert len(summaries(out)) == total - 12
    run_processes(fresh_url, out, now=NOW + LEASE + timedelta(minutes=1), n=3, batch=5)  # taken back
    sent = summaries(out)
    assert len(sent) == total and max(Counter(sent).values()) == 1
    assert states(fresh_url) == {"sent": total}
