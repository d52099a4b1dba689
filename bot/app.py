"""The composition root: builds the database, the core and the platforms from settings."""

from __future__ import annotations

import logging
import secrets

from bot.settings import Settings
from handlers.clock import Clock, SystemClock
from handlers.core import Core
from handlers.forms.library import FormLibrary
from handlers.outside.config import MailConfigError, Outside
from handlers.outside.links import LinkSigner, portal_secrets
from handlers.outside.mailer import Mailer
from handlers.platform import ChatPlatform
from storage import migrate
from storage.crypto import DataCipher, DataKeyError
from storage.engine import Database
from storage.repo import people

log = logging.getLogger(__name__)


def open_database(settings: Settings, *, upgrade: bool = True) -> Database:
    db = Database.from_url(settings.database_url, pool=settings.pool)
    if upgrade:
        migrate.upgrade(db.engine)
    return db


def add_sencos(db: Database, entries: list[tuple[str, str]], *, clock: Clock, added_by: str) -> list[str]:
    """Name each (platform, user id) a SENCO of every school (audited); returns those that were new."""
    added: list[str] = []
    now = clock.now()
    with db.transaction() as s:
        for platform, user_id in entries:
            person = people.get_or_create_person(
                s, platform=platform, external_id=user_id, display_name="", now=now
            )
            if people.add_senco(s, person=person, school_id=None, added_by=added_by, now=now):
                added.append(f"{platform}:{user_id}")
    return added


def build_platforms(
    settings: Settings, *, db: Database | None = None, clock: Clock | None = None
) -> dict[str, ChatPlatform]:
    """The console (printing what it is sent), plus every platform these settings turn on: Slack with
    its two variables; Teams (``Settings.teams_enabled``), which needs the database for its conversation
    references, when ``db`` is given."""
    import sys

    from bot.console.platform import ConsolePlatform
    from bot.console.repl import show_delivery

    platforms: dict[str, ChatPlatform] = {"console": ConsolePlatform(on_delivery=show_delivery(sys.stdout))}
    if settings.slack_enabled:
        from bot.slack.plugin import slack_platform

        if db is not None or not settings.slack_oauth:  # across workspaces, the tokens are in the database
            platforms["slack"] = slack_platform(settings, db=db)
    if db is not None and settings.teams_enabled:
        from bot.teams.factory import build_teams_platform

        platforms["teams"] = build_teams_platform(settings, db=db, clock=clock)
    return platforms


def build_core(
    settings: Settings,
    *,
    db: Database | None = None,
    clock: Clock | None = None,
    platforms: dict[str, ChatPlatform] | None = None,
    mailer: Mailer | None = None,
) -> Core:
    """Everything the handlers need. Tests pass their own database, clock and platforms.

    The forms are loaded first: a broken form raises ``FormDefinitionError`` before anything starts.
    """
    forms = FormLibrary.load(settings.forms_dir or None)
    clock = clock or SystemClock()
    db = db or open_database(settings)
    if settings.senco_ids:
        add_sencos(db, settings.senco_ids, clock=clock, added_by="TACBOT_SENCOS")
    if platforms is None:
        platforms = build_platforms(settings, db=db, clock=clock)
    return Core(
        db=db,
        clock=clock,
        tz=settings.tz,
        platforms=dict(platforms),
        hours=settings.hours,
        forms=forms,
        dsls=settings.dsl_ids,
        cipher=data_cipher(settings),
        outside=outside_for(settings, clock=clock, mailer=mailer),
    )


def outside_for(settings: Settings, *, clock: Clock, mailer: Mailer | None = None) -> Outside:
    """E-mail and the portal: links signed with a key derived from ``TACBOT_DATA_KEY`` (in development
    without one, a key of this process: its links stop working when it stops); the SMTP mailer of
    ``TACBOT_SMTP_HOST`` unless one is given (the console's printed mail); none: e-mail is off."""
    if settings.production and settings.smtp_host:
        if not (settings.public_url or "").startswith("https://"):
            raise MailConfigError(
                "TACBOT_ENV=production with e-mail on needs TACBOT_PUBLIC_URL, an https:// address: "
                "the personal links in e-mails start with it"
            )
        if not settings.smtp_starttls and settings.smtp_port != 465:
            raise MailConfigError(
                "TACBOT_ENV=production refuses TACBOT_SMTP_STARTTLS=false: e-mail would leave unencrypted"
            )
    key = settings.data_key.get_secret_value().strip() if settings.data_key is not None else ""
    keys = portal_secrets(key) if key else [secrets.token_bytes(32)]
    if mailer is None and settings.smtp_host:
        from bot.mail.smtp import SmtpMailer

        mailer = SmtpMailer(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_user or None,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            starttls=settings.smtp_starttls,
        )
    return Outside(
        public_url=settings.base_url,
        links=LinkSigner(keys, clock=clock, days=settings.link_days),
        mailer=mailer,
        mail_from=settings.mail_from or "TAC Bot <tacbot@localhost>",
        slack_connect=settings.slack_connect,
    )


def data_cipher(settings: Settings) -> DataCipher | None:
    """The cipher of ``TACBOT_DATA_KEY``; ``DataKeyError`` if it is malformed, or missing in production."""
    if settings.data_key is None or not settings.data_key.get_secret_value().strip():
        if settings.production:
            raise DataKeyError(
                "TACBOT_ENV=production but TACBOT_DATA_KEY is not set: pupil details and stored tokens "
                "must be encrypted (make a key with `tacbot data new-key`)"
            )
        return None
    return DataCipher(settings.data_key.get_secret_value())
