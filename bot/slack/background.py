"""Work started after Slack's ack: tracked so shutdown (and tests) can wait for it to finish."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class Background:
    """A set of running tasks; ``spawn`` never blocks the ack, ``drain`` waits for all of them.

    At most ``limit`` run at once: under a burst the event loop keeps answering Slack (acks) first,
    and the queued work follows as fast as the database and Slack allow.
    """

    def __init__(self, *, limit: int = 4) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._gate = asyncio.Semaphore(limit)

    def spawn(self, work: Coroutine[Any, Any, None], *, name: str) -> None:
        task = asyncio.get_running_loop().create_task(self._guard(work, name), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guard(self, work: Coroutine[Any, Any, None], name: str) -> None:
        async with self._gate:
            try:
                await work
            except Exception:
                log.exception("background work failed: %s", name)

    async def drain(self) -> None:
        """Wait until no task is running (tasks may start others)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    def __len__(self) -> int:
        return len(self._tasks)
