"""The platform seam: the one small protocol through which the core reaches a chat platform, and the
errors a platform raises when it refuses."""

from __future__ import annotations

from typing import Protocol

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
