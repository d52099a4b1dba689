"""What reaching people outside the workspace needs: the public address, the link signer, the mailer."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.outside.links import LinkSigner
from handlers.outside.mailer import Mailer


class MailConfigError(ValueError):
    """An unsafe e-mail set-up, refused at start with ``TACBOT_ENV=production``."""


@dataclass(frozen=True)
class Outside:
    public_url: str  # TACBOT_PUBLIC_URL, without a trailing slash
    links: LinkSigner
    mailer: Mailer | None  # None: e-mail is off (no TACBOT_SMTP_HOST)
    mail_from: str = "TAC Bot <tacbot@localhost>"
    slack_connect: bool = False  # TACBOT_SLACK_CONNECT: also invite them into the Slack room

    def link(self, *, person_id: int, case_id: int, path: str = "") -> str:
        """A fresh personal link to the portal (``path``: a page under it, e.g. ``/chaser/action/3``)."""
        token = self.links.make(person_id=person_id, case_id=case_id)
        return f"{self.public_url}/portal/{token}{path}"
