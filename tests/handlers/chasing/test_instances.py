"""Two `serve` instances (each with its reminder clock) and a `tacbot reminders run-due`, as three OS
processes on one database: every reminder goes out exactly once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from storage.engine import Database
from tests.handlers.chasing.fakes import summaries
from tests.handlers.chasing.seed import seed_due
from tests.handlers.chasing.test_concurrency import NOW, SPAWN, states
from tests.handlers.chasing.workers import run_due_cli_process, serve_process


def test_two_serve_clocks_and_a_run_due_deliver_each_reminder_once(fresh_url: str, tmp_path: Path) -> None:
    db = Database.from_url(fresh_url)
    total = seed_due(db, cases=300, per_case=5, now=NOW)  # three batches of 500: something to share
    db.dispose()
    out = tmp_path / "deliveries.txt"
    start = SPAWN.Barrier(3)
    args = (fresh_url, str(out), NOW.isoformat(), start)
    procs = [SPAWN.Process(target=serve_process, args=args) for _ in range(2)]
    procs.append(SPAWN.Process(target=run_due_cli_process, args=args))
    for p in procs:
        p.start()
    for p in procs:
        p.join(150)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    sent = summaries(out)
    assert len(sent) == total and max(Counter(sent).values()) == 1
    assert states(fresh_url) == {"sent": total}
