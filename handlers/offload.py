"""Database work never runs on the event loop: each piece of work runs in a worker thread.

The use cases are ``async`` but open their unit of work with a plain ``with core.db.transaction()``:
on the server's event loop a locked table would stop every other chat, the health check and Slack's
acknowledgements with it. ``off_loop`` runs a piece of work (a command, a button, a form) in one of the
database's worker threads (as many as pooled connections), on an event loop of its own; the platforms it
talks to are handed over so that their calls still run on the server's loop, where their HTTP sessions
live. Statements are bounded (``storage.engine.TIMEOUT_SECONDS``): a database that does not answer
raises ``Busy`` and the person is told to try again, with nothing changed.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from handlers.core import Core
from handlers.platform import ChatPlatform
from handlers.replies import Reply
from storage.engine import DEADLINE, Busy

T = TypeVar("T")
BUSY = "The database is busy, so nothing was changed: try again in a minute."

_IN_WORKER: contextvars.ContextVar[bool] = contextvars.ContextVar("in_db_worker", default=False)


def busy_reply() -> Reply:
    return dataclasses.replace(Reply.text(BUSY), refused=True)


class _OnServerLoop:
    """A platform seen from a worker thread: its coroutines are run on the server's loop and awaited."""

    def __init__(self, target: ChatPlatform, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if not inspect.iscoroutinefunction(attr):
            return attr

        async def on_server_loop(*args: Any, **kwargs: Any) -> Any:
            return await asyncio.wrap_future(
                asyncio.run_coroutine_threadsafe(attr(*args, **kwargs), self._loop)
            )

        return on_server_loop


async def off_loop(core: Core, work: Callable[[Core], Awaitable[T]], *, within: float | None = None) -> T:
    """``work(core)`` in a database worker thread. With ``within`` (seconds), work that has to finish
    before an acknowledgement: past it, ``Busy`` is raised here and the work cannot commit any more."""
    if _IN_WORKER.get():  # already off the loop (work that calls other work)
        return await work(core)
    loop = asyncio.get_running_loop()
    moved = dataclasses.replace(
        core,
        platforms={n: cast(ChatPlatform, _OnServerLoop(p, loop)) for n, p in core.platforms.items()},
    )
    deadline = None if within is None else time.monotonic() + within

    def run() -> T:
        _IN_WORKER.set(True)
        DEADLINE.set(deadline)
        return asyncio.run(work(moved))  # type: ignore[arg-type]

    future = loop.run_in_executor(core.db.workers, contextvars.copy_context().run, run)
    if within is None:
        return await future
    try:
        return await asyncio.wait_for(future, within)
    except TimeoutError:
        raise Busy(f"no answer within {within} s") from None
