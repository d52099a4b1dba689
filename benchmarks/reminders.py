"""Benchmark: one run-due pass over 10,000 due reminders across 1,000 cases, to a zero-latency platform.

Run on demand (not part of the tests): ``.venv/bin/python benchmarks/reminders.py``. Uses a temporary
SQLite file and, when reachable, a temporary PostgreSQL database (``TACBOT_BENCH_POSTGRES_URL``, default
the local server as in the tests). Prints reminders/s and SQL statements per reminder for run_due and for
a naive baseline that selects, sends and marks one reminder at a time.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.chasing import messages
from handlers.chasing.delivery import run_due
from handlers.chasing.kinds import Kind
from handlers.chasing.subjects import ActionSource
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.replies import Reply
from storage import migrate
from storage.engine import Database, normalise_url
from storage.models import Case, Membership, Person, Reminder, School
from tests.handlers.chasing.seed import seed_due

NOW = datetime(2026, 9, 14, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in London
CASES, PER_CASE = 1_000, 10


class ZeroPlatform:
    """Delivers instantly and counts."""

    name = "fake"

    def __init__(self) -> None:
        self.sent = 0

    async def direct_message(self, *, workspace: str, user_id: str, reply: Reply) -> None:
        self.sent += 1


@dataclass
class Result:
    reminders: int
    seconds: float
    statements: int
    batches: int = 0

    @property
    def rate(self) -> float:
        return self.reminders / self.seconds

    @property
    def per_reminder(self) -> float:
        return self.statements / self.reminders


class Counter:
    def __init__(self, db: Database) -> None:
        self.n = 0
        event.listen(db.engine, "before_cursor_execute", self.count)

    def count(self, *args: Any) -> None:
        self.n += 1


def reset(db: Database) -> None:
    with db.transaction() as s:
        s.execute(
            update(Reminder).values(
                state="pending", sent_at=None, claim_token=None, lease_until=None, attempts=0
            )
        )


async def fast(db: Database, counter: Counter) -> Result:
    platform = ZeroPlatform()
    core = Core(db=db, clock=ManualClock(NOW), platforms={"fake": platform})  # type: ignore[dict-item]
    start, before = time.perf_counter(), counter.n
    stats = await run_due(core, now=NOW)
    seconds, statements = time.perf_counter() - start, counter.n - before
    assert stats.sent == platform.sent == CASES * PER_CASE, stats
    return Result(stats.sent, seconds, statements, stats.batches)


async def naive(db: Database, counter: Counter) -> Result:
    """Select one due reminder, check it, send it, mark it; repeat."""
    platform = ZeroPlatform()
    start, before = time.perf_counter(), counter.n
    while True:
        with db.transaction() as s:
            r = s.scalars(
                select(Reminder)
                .where(Reminder.state == "pending", Reminder.due_at <= NOW)
                .order_by(Reminder.due_at, Reminder.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if r is None:
                break
            r.state = "claimed"
            case = s.get(Case, r.case_id)
            school = s.get(School, r.school_id)
            person = s.get(Person, r.recipient_id)
            member = s.scalar(
                select(Membership.id).where(
                    Membership.case_id == r.case_id, Membership.person_id == r.recipient_id
                )
            )
            subject = ActionSource().load(s, [r.subject_id])[r.subject_id]
            assert case and school and person and member
            body = messages.chaser(
                kind=Kind.ACTION, step=r.step, case=case, subject=subject, today=NOW.date()
            )
            rid = r.id
        await platform.direct_message(workspace=school.external_id, user_id=person.external_id, reply=body)
        with db.transaction() as s:
            s.execute(update(Reminder).where(Reminder.id == rid).values(state="sent", sent_at=NOW))
    seconds, statements = time.perf_counter() - start, counter.n - before
    assert platform.sent == CASES * PER_CASE
    return Result(platform.sent, seconds, statements)


def bench(label: str, url: str) -> None:
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    t = time.perf_counter()
    seed_due(db, cases=CASES, per_case=PER_CASE, now=NOW)
    seeded = time.perf_counter() - t
    print(f"\n{label}: seeded {CASES * PER_CASE:,} due reminders across {CASES:,} cases in {seeded:.1f} s")
    counter = Counter(db)
    results = {}
    results["run_due (batched)"] = asyncio.run(fast(db, counter))
    reset(db)
    results["naive (one at a time)"] = asyncio.run(naive(db, counter))
    for name, r in results.items():
        print(
            f"  {name:24} {r.reminders:,} sent in {r.seconds:6.2f} s = {r.rate:8,.0f} reminders/s, "
            f"{r.statements:,} SQL statements = {r.per_reminder:.2f} per reminder"
            + (f" ({r.statements / r.batches:.1f} per batch of up to 500)" if r.batches else "")
        )
    a, b = results["run_due (batched)"], results["naive (one at a time)"]
    print(f"  ratio: {a.rate / b.rate:.1f}x faster, {b.per_reminder / a.per_reminder:.1f}x fewer statements")
    db.dispose()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tacbot-bench-") as tmp:
        bench("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")
    server = normalise_url(
        os.environ.get("TACBOT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    name = f"tacbot_bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 2})
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        print(f"\nPostgreSQL: skipped ({type(exc).__name__}: not reachable)")
        return 0
    try:
        from sqlalchemy.engine import make_url

        bench("PostgreSQL", make_url(server).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
