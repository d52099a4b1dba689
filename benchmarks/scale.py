"""Benchmark: does TAC Bot stay as fast for one SENCO when the deployment grows to 500 schools and
100,000 cases?

Run on demand (`make bench`, or ``.venv/bin/python benchmarks/scale.py [--quick]``), never in the tests.
On SQLite and (when reachable, ``TACBOT_BENCH_POSTGRES_URL``) PostgreSQL:

1. one measured school is built through the bot itself (the console: 10 cases, teams, outcomes,
   actions, chasers), then 499 more schools are seeded in bulk up to 1,000 cases in all;
2. ``status``, ``cases``, ``plan``, the App Home and one ``run_due`` pass (1,000 due chasers of the
   other schools) are timed for the measured SENCO;
3. the other schools grow to 100,000 cases (10,000 with ``--quick``) and everything is timed again.

The target: each latency within 1.2x between the two sizes (no query scans all cases). Then `tacbot
serve` is started on the big database and its memory read (target: under 200 MB), and a school
morning's chasers for all schools are set against the platforms' rate limits.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, event, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.scale_explain import database_ms, recorded, scans  # noqa: E402
from benchmarks.scale_seed import Filler, add_cases, add_due, add_schools  # noqa: E402
from bot.app import add_sencos  # noqa: E402
from bot.console.platform import ConsolePlatform  # noqa: E402
from bot.console.render import render  # noqa: E402
from bot.console.school import SCHOOL, SENCO  # noqa: E402
from bot.console.session import ConsoleBot, to_command  # noqa: E402
from handlers.chasing.delivery import run_due  # noqa: E402
from handlers.clock import ManualClock  # noqa: E402
from handlers.core import Core  # noqa: E402
from handlers.dispatch import handle  # noqa: E402
from handlers.home import overview  # noqa: E402
from handlers.model import Actor  # noqa: E402
from handlers.replies import Reply  # noqa: E402
from storage import migrate  # noqa: E402
from storage.engine import Database, normalise_url  # noqa: E402
from storage.models import Case, Reminder  # noqa: E402

# A Monday morning, later than any real clock: `tacbot serve` on the seeded database finds nothing due.
NOW = datetime(2030, 1, 14, 9, 30, tzinfo=UTC)
SCHOOLS = 500
SMALL = 1_000
MEASURED_CASES = 10
DUE = 1_000  # chasers due in the run_due pass measured, the same number at both sizes
PASSES = 4  # run_due passes timed at each size (after one to warm up)
TARGET_RATIO = 1.2
TARGET_MB = 200
# Slack: chat.postMessage about 1 message a second per conversation (bursts allowed); Web API Tier 3
# (50+ a minute) for conversations.open. Teams (Bot Framework, per bot per conversation): 7 a second,
# 60 per 30 s, 1,800 an hour. Each chaser is one DM to one person: a conversation of its own.
SLACK_PER_CONVERSATION_PER_S = 1.0
SLACK_OPENS_PER_MINUTE = 50
TEAMS_PER_CONVERSATION_PER_HOUR = 1_800


class ZeroPlatform:
    """The filler schools' platform: delivers instantly and counts."""

    name = "fake"

    def __init__(self) -> None:
        self.sent = 0

    async def direct_message(self, *, workspace: str, user_id: str, reply: Reply) -> None:
        self.sent += 1


class Statements:
    def __init__(self, db: Database) -> None:
        self.n = 0
        event.listen(db.engine, "before_cursor_execute", self.count)

    def count(self, *args: Any) -> None:
        self.n += 1


@dataclass
class Timing:
    best_ms: float  # the fastest of the timed runs: others are slowed by whatever else the machine does
    statements: int
    scans: frozenset[str] = frozenset()
    database_ms: float | None = None  # PostgreSQL's own execution time for the statements


async def build_measured_school(core: Core, console: ConsolePlatform) -> None:
    """The SENCO's own school, through the bot: 10 cases with teams, outcomes, actions and chasers."""
    bot = ConsoleBot(core=core, platform=console)
    add_sencos(core.db, [("console", SENCO)], clock=core.clock, added_by="bench")
    for n in range(1, MEASURED_CASES + 1):
        ref = f"tac-{n:04d}"
        await bot.exec(SENCO, f"/tac open Pupil{n} year 4")
        await bot.exec(SENCO, '/tac consent given by "Jo Taylor" scope all', room=ref)
        await bot.exec(SENCO, "/tac invite @tom class-teacher", room=ref)
        await bot.exec(SENCO, "/tac invite @anna educational-psychologist", room=ref)
        await bot.exec(SENCO, '/tac outcome add "Reads a short book aloud by July"', room=ref)
        for what, due in (
            ("Phonics group", "in 1 week"),
            ("Reading log", "in 3 weeks"),
            ("EP visit", "in 6 weeks"),
        ):
            reply = await bot.exec(
                SENCO, f'/tac action add "{what}" owner @tom due {due} outcome 1', room=ref
            )
            assert "Added action" in reply, reply


@dataclass
class Deployment:
    """One database at one size, with the measured school and the filler schools."""

    core: Core
    filler: Filler
    counter: Statements

    @property
    def zero(self) -> ZeroPlatform:
        platform = self.core.platforms["fake"]
        assert isinstance(platform, ZeroPlatform)
        return platform

    def operations(self) -> dict[str, Callable[[], Awaitable[str]]]:
        core = self.core
        sam = Actor(platform="console", workspace=SCHOOL, user_id=SENCO, display_name="Sam Okafor")

        def command(words: str) -> Callable[[], Awaitable[str]]:
            async def run() -> str:
                return render(await handle(core, to_command(SENCO, words, room_id=None)))

            return run

        async def home() -> str:
            return render(await overview(core, sam))

        return {
            "status": command("status case TAC-0005"),
            "cases": command("cases"),
            "plan": command("plan case TAC-0005"),
            "app home": home,
        }

    async def one_pass(self, tag: str) -> tuple[float, int, frozenset[str], float | None]:
        """One run_due pass over DUE chasers just queued: (seconds, statements, big tables scanned, the
        database's time for its queries, re-run on the next DUE chasers)."""
        add_due(self.core.db, self.filler, count=DUE, now=NOW, tag=tag)
        before, sent, start = self.counter.n, self.zero.sent, time.perf_counter()
        with recorded(self.core.db) as ran:
            stats = await run_due(self.core, now=NOW)
        elapsed, statements = time.perf_counter() - start, self.counter.n - before
        assert stats.sent == self.zero.sent - sent == DUE, (stats, self.zero.sent - sent)
        add_due(self.core.db, self.filler, count=DUE, now=NOW, tag=f"{tag}-explained")
        server = database_ms(self.core.db, ran)  # each statement rolled back: the rows stay due
        with self.core.db.transaction() as s:  # not for the next pass
            s.execute(delete(Reminder).where(Reminder.anchor == "", Reminder.key.like(f"%:{tag}-explained")))
        return elapsed, statements, frozenset(scans(self.core.db, ran)), server


async def run_once(deployment: Deployment, run: Callable[[], Awaitable[str]]) -> tuple[float, int]:
    before, start = deployment.counter.n, time.perf_counter()
    shown = await run()
    elapsed = time.perf_counter() - start
    assert "TAC-00" in shown, shown[:300]  # a real answer, not a refusal
    return elapsed, deployment.counter.n - before


async def measure(small: Deployment, large: Deployment, *, repeat: int) -> dict[str, tuple[Timing, Timing]]:
    """Each operation on both sizes in turn (small, large, large, small...), so that whatever else the
    machine is doing slows both alike; the fastest run of each counts."""
    results: dict[str, tuple[Timing, Timing]] = {}
    for name, run_small in small.operations().items():
        run_large = large.operations()[name]
        times: dict[int, list[float]] = {0: [], 1: []}
        statements = [0, 0]
        for i in range(repeat + 2):
            order = ((0, small, run_small), (1, large, run_large))
            for side, deployment, run in order if i % 2 == 0 else order[::-1]:
                elapsed, statements[side] = await run_once(deployment, run)
                if i >= 2:  # two warm-up runs each
                    times[side].append(elapsed)
        found, server = [], []
        for deployment, run in ((small, run_small), (large, run_large)):
            with recorded(deployment.core.db) as ran:
                await run()
            found.append(frozenset(scans(deployment.core.db, ran)))
            server.append(database_ms(deployment.core.db, ran))
        results[name] = tuple(  # type: ignore[assignment]
            Timing(min(times[i]) * 1000, statements[i], found[i], server[i]) for i in (0, 1)
        )
    passes: dict[int, list[tuple[float, int, frozenset[str], float | None]]] = {0: [], 1: []}
    for k in range(PASSES + 1):
        for side, deployment in ((0, small), (1, large)) if k % 2 == 0 else ((1, large), (0, small)):
            done = await deployment.one_pass(f"pass{k}")
            if k:  # the first pass of each warms the caches
                passes[side].append(done)
    results["run_due pass"] = tuple(  # type: ignore[assignment]
        Timing(
            best_ms=min(p[0] for p in passes[side]) * 1000,
            statements=passes[side][-1][1],
            scans=passes[side][-1][2],
            database_ms=passes[side][-1][3],
        )
        for side in (0, 1)
    )
    return results


def morning(db: Database) -> tuple[int, int, int]:
    """The busiest school morning's chasers: (all schools, the busiest school, the busiest person)."""
    with db.transaction() as s:
        day = func.date(Reminder.due_at)
        busiest_day = s.execute(
            select(day, func.count())
            .where(Reminder.state == "pending")
            .group_by(day)
            .order_by(func.count().desc())
        ).first()
        assert busiest_day is not None
        when = busiest_day[0]
        per_school = s.execute(
            select(func.count())
            .where(Reminder.state == "pending", day == when)
            .group_by(Reminder.school_id)
            .order_by(func.count().desc())
        ).first()
        per_person = s.execute(
            select(func.count())
            .where(Reminder.state == "pending", day == when)
            .group_by(Reminder.recipient_id)
            .order_by(func.count().desc())
        ).first()
    return (
        int(busiest_day[1]),
        int(per_school[0] if per_school else 0),
        int(per_person[0] if per_person else 0),
    )


def serve_memory(url: str) -> tuple[float, float]:
    """Start `tacbot serve` on the database, scrape it a few times, let its clock tick: (RSS, peak) MB."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port), "HOST": "127.0.0.1", "TACBOT_SENCOS": ""}
    for var in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "MICROSOFT_APP_ID", "TACBOT_ENV"):
        env.pop(var, None)
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "tacbot"), "serve"],
        env=env,
        cwd=tempfile.gettempdir(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/readyz", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("tacbot serve did not start") from None
                time.sleep(0.5)
        for _ in range(5):
            urllib.request.urlopen(f"{base}/metrics", timeout=30).read()
        time.sleep(3)  # the clock's first pass (at start) over the big queue
        status = Path(f"/proc/{proc.pid}/status").read_text()
        fields = {
            line.split(":")[0]: line.split()[1] for line in status.splitlines() if line.startswith("Vm")
        }
        return int(fields["VmRSS"]) / 1024, int(fields["VmHWM"]) / 1024
    finally:
        proc.terminate()
        proc.wait(30)


def server(timing: Timing) -> str:
    return "-" if timing.database_ms is None else f"{timing.database_ms:.1f} ms"


def deploy(url: str, *, cases: int) -> Deployment:
    """A new database: the measured school built through the bot, then filler schools up to ``cases``."""
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    console = ConsolePlatform()
    clock = ManualClock(NOW - timedelta(days=14))
    core = Core(db=db, clock=clock, platforms={"console": console, "fake": ZeroPlatform()})  # type: ignore[dict-item]
    asyncio.run(build_measured_school(core, console))
    clock.set(NOW)
    asyncio.run(run_due(core, now=NOW))  # the measured school's own chasers due by now go out first
    filler = add_schools(db, schools=SCHOOLS - 1, now=NOW)
    left = cases - MEASURED_CASES
    while left > 0:  # in slices, so that no transaction holds a million rows
        step = min(left, 20_000)
        add_cases(db, filler, cases=step, now=NOW, morning=NOW.date())
        left -= step
    analyse(db)
    return Deployment(core=core, filler=filler, counter=Statements(db))


def bench(label: str, urls: tuple[str, str], *, large: int, repeat: int) -> dict[str, Any]:
    start = time.perf_counter()
    small_one = deploy(urls[0], cases=SMALL)
    big_one = deploy(urls[1], cases=large)
    with big_one.core.db.transaction() as s:
        total = s.scalar(select(func.count()).select_from(Case))
        reminders = s.scalar(select(func.count()).select_from(Reminder))
    print(
        f"\n{label}: {SCHOOLS} schools with {SMALL:,} cases, and with {total:,} cases "
        f"({reminders:,} reminders), "
        f"seeded in {time.perf_counter() - start:.0f} s"
    )
    results = asyncio.run(measure(small_one, big_one, repeat=repeat))
    print(
        f"  {'':14} {f'{SMALL:,} cases':>16} {f'{large:,} cases':>16} {'ratio':>7}  "
        "statements, database time (PostgreSQL), big tables scanned"
    )
    ratios, server_ratios = {}, {}
    for name, (a, b) in results.items():
        ratios[name] = b.best_ms / a.best_ms
        if a.database_ms and b.database_ms is not None:
            server_ratios[name] = b.database_ms / a.database_ms
        flag = "ok" if ratios[name] <= TARGET_RATIO else f"OVER {TARGET_RATIO}x"
        print(
            f"  {name:14} {a.best_ms:13.1f} ms {b.best_ms:13.1f} ms {ratios[name]:6.2f}x  "
            f"{a.statements} -> {b.statements}, {server(a)} -> {server(b)}, "
            f"{', '.join(sorted(b.scans)) or 'none'}  {flag}"
        )
    db = big_one.core.db
    all_day, per_school, per_person = morning(db)
    rss, peak = serve_memory(str(db.engine.url.render_as_string(hide_password=False)))
    print(
        f"  tacbot serve on {large:,} cases: {rss:.0f} MB resident, peak {peak:.0f} MB "
        f"(target < {TARGET_MB} MB)"
    )
    send_s = results["run_due pass"][1].best_ms / 1000 / DUE * all_day
    print(
        f"  busiest morning: {all_day:,} chasers for all schools, at most {per_school} in one school and "
        f"{per_person} to one person; sent in {send_s:.1f} s at the measured pass rate (instant platform)"
    )
    open_minutes = per_school / SLACK_OPENS_PER_MINUTE
    print(
        f"  rate limits: per workspace, the busiest school's {per_school} DMs need {per_school} "
        f"conversations.open (Tier 3, {SLACK_OPENS_PER_MINUTE}+ a minute: {open_minutes:.1f} min) and one "
        f"chat.postMessage each in its own conversation ({SLACK_PER_CONVERSATION_PER_S:g}/s each); the "
        f"busiest person's {per_person} stay under Teams' {TEAMS_PER_CONVERSATION_PER_HOUR:,} an hour per "
        f"conversation. All {all_day:,} in ONE workspace would take "
        f"{all_day / SLACK_OPENS_PER_MINUTE:.0f} min at Tier 3's floor; a 429 pauses and retries."
    )
    small_one.core.db.dispose()
    db.dispose()
    return {"ratios": ratios, "server": server_ratios, "rss": rss, "peak": peak}


def analyse(db: Database) -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would soon do on its own."""
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def postgres_databases() -> tuple[tuple[str, str], Callable[[], None]] | None:
    """Two new databases on the PostgreSQL server (the small and the large deployment)."""
    server = normalise_url(
        os.environ.get("TACBOT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    names = [f"tacbot_scale_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    try:
        admin = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 2})
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        print(f"\nPostgreSQL: skipped ({type(exc).__name__}: not reachable)")
        return None

    def drop() -> None:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    url = make_url(server)
    small, large = (url.set(database=name).render_as_string(hide_password=False) for name in names)
    return (small, large), drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="grow to 10,000 cases instead of 100,000")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each command (the best counts)")
    parser.add_argument("--only", choices=("sqlite", "postgres"), help="one database only")
    args = parser.parse_args(argv)
    large = 10_000 if args.quick else 100_000
    results: dict[str, dict[str, Any]] = {}
    if args.only != "postgres":
        with tempfile.TemporaryDirectory(prefix="tacbot-scale-") as tmp:
            urls = (f"sqlite:///{Path(tmp) / 'small.db'}", f"sqlite:///{Path(tmp) / 'large.db'}")
            results["SQLite"] = bench("SQLite", urls, large=large, repeat=args.repeat)
    if args.only != "sqlite":
        found = postgres_databases()
        if found is not None:
            pair, drop = found
            try:
                results["PostgreSQL"] = bench("PostgreSQL", pair, large=large, repeat=args.repeat)
            finally:
                drop()
    worst = max(r for res in results.values() for r in res["ratios"].values())
    server = [r for res in results.values() for r in res["server"].values()]
    if server:
        print(f"\nworst ratio of PostgreSQL's own execution time: {max(server):.2f}x")
    heaviest = max(res["peak"] for res in results.values())
    met = worst <= TARGET_RATIO and heaviest < TARGET_MB
    print(
        f"\nworst ratio {worst:.2f}x (target {TARGET_RATIO}x); "
        f"serve peak {heaviest:.0f} MB (target {TARGET_MB} MB): "
        + ("targets met" if met else "TARGETS MISSED")
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
