"""Work started after Slack's ack: tracked so shutdown (and tests) can wait for it to finish."""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)

_SLOT: contextvars.ContextVar[asyncio.Semaphore | None] = contextvars.ContextVar("slot", default=None)


async def pause(seconds: float) -> None:
    """Sleep (e.g. for Slack's Retry-After) without holding a background slot meanwhile."""
    slot = _SLOT.get()
    if slot is None:
        await asyncio.sleep(seconds)
        return
    slot.release()
    try:
        await asyncio.sleep(seconds)
    finally:
        await slot.acquire()


class Background:
    """A set of running tasks; ``spawn`` never blocks the ack, ``drain`` waits for all of them.

    At most ``limit`` run at once: under a burst the event loop keeps answering Slack (acks) first,
    and the queued work follows as fast as the database and Slack allow. A job waiting out a rate
    limit (``pause``) gives its slot to the next one meanwhile.
    """

    def __init__(self, *, limit: int = 2) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._gate = asyncio.Semaphore(limit)

    def spawn(self, work: Coroutine[Any, Any, None], *, name: str, urgent: bool = False) -> None:
        """Run ``work`` after the ack; ``urgent`` skips the queue (a trigger id expires 3 s after a click)."""
        guarded = self._urgent(work, name) if urgent else self._guard(work, name)
        task = asyncio.get_running_loop().create_task(guarded, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guard(self, work: Coroutine[Any, Any, None], name: str) -> None:
        async with self._gate:
            _SLOT.set(self._gate)  # this task's own context: `pause` gives the slot up while it waits
            try:
                await work
            except Exception:
                log.exception("background work failed: %s", name)

    async def _urgent(self, work: Coroutine[Any, Any, None], name: str) -> None:
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
