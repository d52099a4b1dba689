"""The mailer of ``TACBOT_SMTP_*``: one SMTP conversation per message, through aiosmtplib (asyncio)."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from handlers.outside.mailer import MailRefused


class SmtpMailer:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        username: str | None,
        password: str | None,
        starttls: bool,
        timeout: float = 20.0,
    ) -> None:
        self._host, self._port = host, port
        self._username, self._password = username, password
        self._starttls, self._timeout = starttls, timeout

    async def send(self, message: EmailMessage) -> None:
        try:
            await aiosmtplib.send(
                message,
                hostname=self._host,
                port=self._port,
                username=self._username,
                password=self._password,
                use_tls=self._port == 465,  # implicit TLS ("SMTPS"); otherwise STARTTLS as configured
                start_tls=self._starttls if self._port != 465 else False,
                timeout=self._timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            # The server's answer names no one; the address is not logged.
            raise MailRefused(
                f"The mail server did not take the e-mail ({type(error).__name__}).",
                hint="It is tried again later.",
            ) from None
