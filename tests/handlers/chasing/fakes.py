"""Fake chat platforms for delivery tests: one that records to a file (shared by processes), one that
rate-limits, one that dies mid-send or stops right after a send for the test to kill it there; a mailer
that can die the same ways."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from email.message import EmailMessage
from multiprocessing.synchronize import Event
from pathlib import Path

from handlers.outside.mailer import Mailer
from handlers.platform import RateLimited
from handlers.replies import Reply


class FilePlatform:
    """Appends one line per direct message to a file: deliveries from several processes, counted.

    ``die_on_send``: the process exits before its first send. ``stop_after`` (n, event): right after the
    n-th delivery, before the caller can mark it, set the event and stop there (the test kills us).
    """

    name = "fake"

    def __init__(
        self, path: Path, *, die_on_send: bool = False, stop_after: tuple[int, Event] | None = None
    ) -> None:
        self.path, self.die_on_send, self.stop_after, self.calls = path, die_on_send, stop_after, 0

    async def direct_message(self, *, workspace: str, user_id: str, reply: Reply) -> None:
        if self.die_on_send:
            os._exit(9)  # the process is killed between claim and mark
        self.calls += 1
        line = f"{os.getpid()}\t{user_id}\t{reply.summary}\n".encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        if self.stop_after is not None and self.calls == self.stop_after[0]:
            self.stop_after[1].set()  # delivered, not yet marked: the window a SIGKILL lands in
            await asyncio.Event().wait()  # held here until killed


@dataclass
class ListPlatform:
    """Records in memory; raises ``RateLimited`` on the calls listed in ``limit_on`` (1-based)."""

    name: str = "fake"
    sent: list[tuple[str, str]] = field(default_factory=list)
    limit_on: dict[int, float] = field(default_factory=dict)
    calls: int = 0

    async def direct_message(self, *, workspace: str, user_id: str, reply: Reply) -> None:
        self.calls += 1
        if self.calls in self.limit_on:
            raise RateLimited(retry_after=self.limit_on.pop(self.calls))
        self.sent.append((user_id, reply.summary))


class StoppingMailer:
    """A real mailer (SMTP) that can die as ``FilePlatform`` does: ``die_on_send`` exits before the first
    send; ``stop_after`` (n, event) holds right after the n-th e-mail the server accepted, unmarked."""

    def __init__(
        self, inner: Mailer, *, die_on_send: bool = False, stop_after: tuple[int, Event] | None = None
    ) -> None:
        self.inner, self.die_on_send, self.stop_after, self.calls = inner, die_on_send, stop_after, 0

    async def send(self, message: EmailMessage) -> None:
        if self.die_on_send:
            os._exit(9)
        await self.inner.send(message)
        self.calls += 1
        if self.stop_after is not None and self.calls == self.stop_after[0]:
            self.stop_after[1].set()
            await asyncio.Event().wait()


def summaries(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.split("\t", 2)[2] for line in path.read_text().splitlines()]
