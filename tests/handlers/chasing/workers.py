"""Entry points for the multi-process delivery tests (importable by spawned processes)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from multiprocessing.synchronize import Barrier
from pathlib import Path

from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.core import Core
from storage.engine import Database
from tests.handlers.chasing.fakes import FilePlatform


def run_due_process(url: str, path: str, now_iso: str, batch: int, die: bool, start: Barrier | None) -> None:
    """One worker: wait for the start signal, run one pass of run_due, exit."""
    now = datetime.fromisoformat(now_iso)
    db = Database.from_url(url)
    platform = FilePlatform(Path(path), die_on_send=die)
    core = Core(db=db, clock=ManualClock(now), platforms={"fake": platform})  # type: ignore[dict-item]
    if start is not None:
        start.wait(60)  # all processes begin together
    try:
        asyncio.run(run_due(core, now=now, batch_size=batch))
    finally:
        db.dispose()
