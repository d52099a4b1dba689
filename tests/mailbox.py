"""A real SMTP server on this machine (aiosmtpd) that keeps what it receives: the tests read the e-mails
TAC Bot sends to people outside the workspace, and follow their links."""

from __future__ import annotations

import email
import re
import socket
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Mailbox:
    host: str
    port: int
    received: list[EmailMessage] = field(default_factory=list)
    refuse: str | None = None  # e.g. "451 4.3.0 Try again later": every message is refused with it
    refused: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse is not None:
            self.refused += 1
            return self.refuse
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.received.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if address in m["X-Envelope-To"]]

    def per_outbox_row(self) -> Counter[int]:
        """How many times each queued e-mail (its ``X-TACBot-Mail`` header, the outbox row) arrived."""
        return Counter(int(m["X-TACBot-Mail"]) for m in self.received)


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


LINK = re.compile(r"https?://[^\s/]+/portal/[A-Za-z0-9_.\-]+(?:/chaser/[a-z_]+/\d+/[a-z]+|/form/\d+)?")


def links_in(message: EmailMessage) -> list[str]:
    return LINK.findall(text_of(message))


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox("127.0.0.1", free_port())
    controller = Controller(box, hostname=box.host, port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
