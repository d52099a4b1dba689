"""The platform seam: the one small protocol through which the core reaches a chat platform, and the
errors a platform raises when it refuses."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from contextvars import ContextVar
from typing import Protocol, TypeVar

from handlers.errors import TacBotError
from handlers.replies import Reply


class PlatformError(TacBotError):
    """Slack or Teams refused or failed; the message says what happened and what to do."""


class RateLimited(PlatformError):
    """The platform said "too many requests" (HTTP 429); nothing was delivered. Retry after a pause."""

    def __init__(
        self, message: str = "The chat platform asked us to slow down.", *, retry_after: float = 1.0
    ) -> None:
        super().__init__(message, hint="Try again in a moment.")
        self.retry_after = retry_after


class NoAnswer(PlatformError):
    """The platform did not answer within the call's budget: it may or may not have delivered."""


T = TypeVar("T")
_DEADLINE: ContextVar[float | None] = ContextVar("platform_call_deadline", default=None)


def time_left() -> float | None:
    """Seconds the platform call under way may still take (``within``), or None when it has no budget.

    A platform's own retries consult it: Slack's 429 handler waits out a Retry-After only if it fits.
    """
    deadline = _DEADLINE.get()
    return None if deadline is None else deadline - time.monotonic()


async def within(seconds: float, call: Awaitable[T]) -> T:
    """Await one platform call, its retries and waits included, for at most ``seconds``.

    Retries that would not fit are not made (the platform raises ``RateLimited`` instead); a call still
    running when the time is up is cancelled and ``NoAnswer`` raised.
    """
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        async with asyncio.timeout(seconds):
            return await call
    except TimeoutError:
        raise NoAnswer("The chat platform did not answer in time.", hint="Try again later.") from None
    finally:
        _DEADLINE.reset(token)


class ChatPlatform(Protocol):
    """Implemented by ``bot.console``, ``bot.slack`` and ``bot.teams``.

    Methods raise ``PlatformError`` with a user-safe message when the platform refuses.
    """

    name: str

    async def create_private_room(self, *, workspace: str, name: str, topic: str) -> str:
        """Create a private room called ``name`` (or a suffixed name if taken); return its id."""
        ...

    async def add_members(self, *, workspace: str, room_id: str, user_ids: list[str]) -> None: ...

    async def remove_member(self, *, workspace: str, room_id: str, user_id: str) -> None: ...

    async def archive_room(self, *, workspace: str, room_id: str) -> None: ...

    async def set_topic(self, *, workspace: str, room_id: str, topic: str) -> None:
        """The room's topic (Slack) or description (a Teams channel); rooms without one ignore it."""
        ...

    async def unarchive_room(self, *, workspace: str, room_id: str) -> None:
        """Bring an archived room back (`reopen`); ``PlatformError`` where the platform cannot."""
        ...

    async def post(self, *, workspace: str, room_id: str, reply: Reply) -> None: ...

    async def direct_message(self, *, workspace: str, user_id: str, reply: Reply) -> None: ...

    async def upload_file(
        self, *, workspace: str, room_id: str, filename: str, content: bytes, title: str
    ) -> None:
        """Post a file (an exported plan) to a room. Slack: the files upload API; console: a local file."""
        ...

    async def user_name(self, *, workspace: str, user_id: str) -> str | None:
        """The person's display name, or None when there is no such user in the workspace."""
        ...
