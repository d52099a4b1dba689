"""The e-mail seam: ``bot.mail.SmtpMailer`` sends through SMTP; tests use a local aiosmtpd server."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Protocol

from handlers.platform import PlatformError


class MailRefused(PlatformError):
    """The mail server refused or did not answer; the e-mail stays queued and is tried again."""


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Deliver one message to its ``To`` address; ``MailRefused`` when the server would not."""
        ...
