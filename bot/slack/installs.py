"""Slack across workspaces: slack_sdk's SQLAlchemy installation and state stores on our database, with
every token sealed by ``TACBOT_DATA_KEY``, seen from the event loop through a thread pool of their own.

The stores' tables are ours (``storage.models.slack``, created by our migration). Their ``engine`` is
our ``Database``: each read or write is one of its bounded transactions (``Busy`` when the database
does not answer; the tests' rolled-back transaction). Their work runs on two threads of its own,
never on the event loop and never on the database workers, which may be the ones waiting for a Slack
call that needs a token.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from sqlalchemy import Connection, Engine, and_, desc

from storage.crypto import DataCipher, DataKeyError
from storage.engine import Database

log = logging.getLogger(__name__)
T = TypeVar("T")

SEALED = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token", "incoming_webhook_url")
STATE_SECONDS = 600  # an install link's state is good once, for ten minutes
TOKEN_SECONDS = 60.0  # how long a workspace's bot token is kept in memory before it is read again
ROTATE_MINUTES = 120  # a rotating token is refreshed this long before it expires (Bolt's default)


class _Through:
    """The two things slack_sdk's SQLAlchemy stores ask of an engine, served by our ``Database``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        with self._db.transaction() as session:
            yield session.connection()

    connect = begin


class SealedInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store, with each token encrypted before it is written and decrypted when read."""

    def __init__(self, *, client_id: str, db: Database, cipher: DataCipher) -> None:
        super().__init__(client_id=client_id, engine=cast(Engine, _Through(db)), logger=log)
        self._cipher = cipher

    def _is_sealed(self, value: str) -> bool:
        try:
            self._cipher.decrypt(value)
        except DataKeyError:
            return False
        return True

    def _seal(self, value: str | None) -> str | None:
        """``save`` hands its bot to ``save_bot``, already sealed: a value is never sealed twice."""
        if value is None or self._is_sealed(value):
            return value
        return self._cipher.encrypt(value)

    def _open(self, value: str | None) -> str | None:
        return None if value is None else self._cipher.decrypt(value)

    def save(self, installation: Installation) -> None:
        sealed = copy.copy(installation)
        for name in SEALED:
            setattr(sealed, name, self._seal(getattr(installation, name)))
        super().save(sealed)

    def save_bot(self, bot: Bot) -> None:
        sealed = copy.copy(bot)
        sealed.bot_token = self._seal(bot.bot_token)  # type: ignore[assignment]
        sealed.bot_refresh_token = self._seal(bot.bot_refresh_token)
        super().save_bot(sealed)

    def build_bot_entity(self, row: Any) -> Bot:  # type: ignore[override]
        bot = SQLAlchemyInstallationStore.build_bot_entity(row)
        bot.bot_token = self._open(bot.bot_token)  # type: ignore[assignment]
        bot.bot_refresh_token = self._open(bot.bot_refresh_token)
        return bot

    def build_installation_entity(self, row: Any) -> Installation:  # type: ignore[override]
        installation = SQLAlchemyInstallationStore.build_installation_entity(row)
        for name in SEALED:
            setattr(installation, name, self._open(getattr(installation, name)))
        return installation

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """The bot rows go, and the bot token kept beside each installation of that workspace too."""
        super().delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        c = self.installations.c
        with self.engine.begin() as conn:
            conn.execute(
                self.installations.update()
                .where(
                    and_(
                        c.client_id == self.client_id, c.enterprise_id == enterprise_id, c.team_id == team_id
                    )
                )
                .values(bot_token=None, bot_refresh_token=None, bot_token_expires_at=None)
            )

    def find_team_bot(self, team_id: str) -> Bot | None:
        """The latest bot with a token in workspace ``team_id`` (inside an Enterprise Grid org or not)."""
        c = self.bots.c
        query = (
            self.bots.select()
            .where(and_(c.client_id == self.client_id, c.team_id == team_id, c.bot_token.is_not(None)))
            .order_by(desc(c.installed_at))
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else self.build_bot_entity(row)


class StateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's state store on our database; issuing a state sweeps those past their time."""

    def __init__(self, *, db: Database, expiration_seconds: int = STATE_SECONDS) -> None:
        super().__init__(expiration_seconds=expiration_seconds, engine=cast(Engine, _Through(db)), logger=log)

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state: str = super().issue(*args, **kwargs)
        now = datetime.now(UTC).replace(tzinfo=None)
        with self.engine.begin() as conn:
            conn.execute(self.oauth_states.delete().where(self.oauth_states.c.expire_at < now))
        return state


class Worker:
    """Two threads for the stores' database work, awaited from the event loop."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tacbot-slack-installs")

    async def run(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, work)

    def close(self) -> None:
        self._pool.shutdown(wait=False)


class Installations(AsyncInstallationStore):
    """The installation store Bolt sees: the sealed store, off the event loop. Whatever is saved or
    deleted for a workspace is also forgotten by the tokens kept in memory (``forget``)."""

    def __init__(self, store: SealedInstallationStore, *, worker: Worker) -> None:
        self.store, self.worker = store, worker
        self.forgetters: list[Callable[[str | None], None]] = []

    @property
    def logger(self) -> logging.Logger:
        return log

    def _forget(self, team_id: str | None) -> None:
        for forget in self.forgetters:
            forget(team_id)

    async def async_save(self, installation: Installation) -> None:
        await self.worker.run(lambda: self.store.save(installation))
        self._forget(installation.team_id)

    async def async_save_bot(self, bot: Bot) -> None:
        await self.worker.run(lambda: self.store.save_bot(bot))
        self._forget(bot.team_id)

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        return await self.worker.run(
            lambda: self.store.find_bot(
                enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
            )
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await self.worker.run(
            lambda: self.store.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            )
        )

    async def async_find_team_bot(self, team_id: str) -> Bot | None:
        return await self.worker.run(lambda: self.store.find_team_bot(team_id))

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.worker.run(lambda: self.store.delete_bot(enterprise_id=enterprise_id, team_id=team_id))
        self._forget(team_id)
        log.info("Slack: a workspace's bot token was revoked; its token is deleted")

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self.worker.run(
            lambda: self.store.delete_installation(
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
            )
        )
        self._forget(team_id)


class States(AsyncOAuthStateStore):
    """The OAuth state store Bolt sees: slack_sdk's, off the event loop."""

    def __init__(self, store: StateStore, *, worker: Worker) -> None:
        self.store, self.worker = store, worker

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await self.worker.run(lambda: self.store.issue())

    async def async_consume(self, state: str) -> bool:
        return await self.worker.run(lambda: bool(self.store.consume(state)))


@dataclass
class _Kept:
    token: str | None
    until: float


class WorkspaceTokens:
    """Each workspace's bot token for outgoing calls (reminders included): read from the installation
    store, kept ``TOKEN_SECONDS`` (never past the time to rotate it), and refreshed first when it is a
    rotating token close to its expiry. A workspace that is not installed (or was uninstalled) has none.
    """

    def __init__(
        self,
        installations: Installations,
        *,
        rotator: AsyncTokenRotator | None,
        rotate_minutes: int = ROTATE_MINUTES,
        keep_seconds: float = TOKEN_SECONDS,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.installations, self.rotator = installations, rotator
        self.rotate_minutes, self.keep_seconds, self.now = rotate_minutes, keep_seconds, now
        self._kept: dict[str, _Kept] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        installations.forgetters.append(self.forget)

    def forget(self, team_id: str | None) -> None:
        if team_id is None:
            self._kept.clear()
        else:
            self._kept.pop(team_id, None)

    async def bot_token(self, workspace: str) -> str | None:
        kept = self._kept.get(workspace)
        if kept is not None and kept.until > self.now():
            return kept.token
        async with self._locks.setdefault(workspace, asyncio.Lock()):
            kept = self._kept.get(workspace)
            if kept is not None and kept.until > self.now():
                return kept.token
            bot = await self.installations.async_find_team_bot(workspace)
            if bot is not None and bot.bot_refresh_token is not None and self.rotator is not None:
                refreshed = await self.rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=self.rotate_minutes
                )
                if refreshed is not None:
                    await self.installations.async_save_bot(refreshed)
                    bot = refreshed
            until = self.now() + self.keep_seconds
            if bot is not None and bot.bot_token_expires_at is not None:
                until = min(until, bot.bot_token_expires_at - self.rotate_minutes * 60)
            token = None if bot is None else bot.bot_token
            self._kept[workspace] = _Kept(token=token, until=until)
            return token
