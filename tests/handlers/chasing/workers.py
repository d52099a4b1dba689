"""Entry points for the multi-process delivery tests (importable by spawned processes)."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path

from aiohttp import web
from sqlalchemy import func, select

from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.core import Core
from storage.engine import Database
from storage.models import Reminder
from tests.handlers.chasing.fakes import FilePlatform


def run_due_process(
    url: str,
    path: str,
    now_iso: str,
    batch: int,
    die: bool,
    start: Barrier | None,
    stop_after: tuple[int, Event] | None = None,
) -> None:
    """One worker: wait for the start signal, run one pass of run_due, exit (``FilePlatform`` for the
    ways it can die)."""
    now = datetime.fromisoformat(now_iso)
    db = Database.from_url(url)
    platform = FilePlatform(Path(path), die_on_send=die, stop_after=stop_after)
    core = Core(db=db, clock=ManualClock(now), platforms={"fake": platform})  # type: ignore[dict-item]
    if start is not None:
        start.wait(60)  # all processes begin together
    try:
        asyncio.run(run_due(core, now=now, batch_size=batch))
    finally:
        db.dispose()


def run_due_mail_process(
    url: str,
    smtp_port: int,
    now_iso: str,
    batch: int,
    die: bool,
    start: Barrier | None,
    stop_after: tuple[int, Event] | None = None,
) -> None:
    """One worker sending e-mails through the test's SMTP server (on ``smtp_port``): one pass of run_due."""
    from bot.mail.smtp import SmtpMailer
    from handlers.outside.config import Outside
    from handlers.outside.links import LinkSigner
    from tests.handlers.chasing.fakes import StoppingMailer

    now = datetime.fromisoformat(now_iso)
    clock = ManualClock(now)
    db = Database.from_url(url)
    smtp = SmtpMailer(host="127.0.0.1", port=smtp_port, username=None, password=None, starttls=False)
    outside = Outside(
        public_url="https://tac.school.example",
        links=LinkSigner(b"k" * 32, clock=clock, days=14),
        mailer=StoppingMailer(smtp, die_on_send=die, stop_after=stop_after),
    )
    platform = FilePlatform(Path(os.devnull))
    core = Core(db=db, clock=clock, platforms={"fake": platform}, outside=outside)  # type: ignore[dict-item]
    if start is not None:
        start.wait(60)
    try:
        asyncio.run(run_due(core, now=now, batch_size=batch))
    finally:
        db.dispose()


def run_due_cli_process(url: str, path: str, now_iso: str, start: Barrier) -> None:
    """`tacbot reminders run-due --now ...` on ``url``, delivering to the shared file."""
    from bot.cli_reminders import run_due_command
    from bot.settings import Settings

    platform = FilePlatform(Path(path))
    start.wait(60)
    run_due_command(Settings(DATABASE_URL=url), now_iso, platforms={"fake": platform})  # type: ignore[dict-item]


def serve_process(url: str, path: str, now_iso: str, start: Barrier) -> None:
    """A `tacbot serve` instance with its reminder clock (first tick at once), listening on a free port,
    until nothing is left to send; then it stops as `serve` does."""
    from bot.server import make_app
    from bot.settings import Settings
    from bot.ticker import ticker_plugin

    now = datetime.fromisoformat(now_iso)
    db = Database.from_url(url)
    core = Core(db=db, clock=ManualClock(now), platforms={"fake": FilePlatform(Path(path))})  # type: ignore[dict-item]
    app = make_app(core, plugins=[ticker_plugin(Settings(DATABASE_URL=url))])
    start.wait(60)
    asyncio.run(_serve_until_done(app, url))


async def _serve_until_done(app: web.Application, url: str) -> None:
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    watcher = Database.from_url(url)
    try:
        async with asyncio.timeout(90):
            # Other processes drain the queue too: their progress is only visible in the database.
            while _left_to_send(watcher):  # noqa: ASYNC110
                await asyncio.sleep(0.2)
    finally:
        watcher.dispose()
        await runner.cleanup()


def _left_to_send(db: Database) -> int:
    with db.transaction() as s:
        return int(
            s.scalar(
                select(func.count()).select_from(Reminder).where(Reminder.state.in_(("pending", "claimed")))
            )
            or 0
        )
