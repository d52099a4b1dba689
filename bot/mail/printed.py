"""A mailer that shows each e-mail instead of sending it: the console and the demo, with no SMTP."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage


class PrintedMailer:
    def __init__(self, show: Callable[[str], None]) -> None:
        self._show = show
        self.sent: list[EmailMessage] = []

    async def send(self, message: EmailMessage) -> None:
        self.sent.append(message)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        self._show(f"[e-mail to {message['To']}] {message['Subject']}\n{text}")
