"""Issue 12 item 2: a locked or restarted database never holds up the event loop.

These run against a real database of their own (not the tests' rolled-back transaction), because the
point is what happens when another connection holds a lock: SQLite's write lock, or PostgreSQL's
ACCESS EXCLUSIVE lock on the tables a command needs, each held for 10 s.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import psycopg
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bot.app import add_sencos
from bot.server import make_app
from bot.settings import Settings
from bot.slack.client import web_client
from bot.slack.platform import SlackPlatform
from bot.slack.plugin import BACKGROUND, slack_plugin
from bot.ticker import ticker_for
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.offload import BUSY
from scheduler.ticker import RUN_DUE
from storage import migrate
from storage.engine import Database
from storage.models import Case, FormSubmission
from tests.bot.console.test_forms import EP
from tests.bot.slack.conftest import PEOPLE
from tests.bot.slack.test_forms import _state
from tests.bot.slack.test_forms_http import ep_requested, open_form
from tests.conftest import create_database, drop_database, postgres_unreachable, spec
from tests.fakes.slack_api import TOKEN, FakeSlack
from tests.fakes.slack_driver import SECRET, SlackDriver, view_payload

HOLD_SECONDS = 10.0
ACK_LIMIT = 3.0  # Slack gives up after 3 s


def fresh_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database of this test's own, that other connections can lock (or drop)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'locked.db'}"
        return
    found = create_database()
    if found is None:
        postgres_unreachable()
        return
    url, name = found
    yield url
    drop_database(name)


@pytest.fixture
def own_url(backend: str, tmp_path: Path) -> Iterator[str]:
    yield from fresh_database(backend, tmp_path)


@pytest.fixture
def own_postgres_url(tmp_path: Path) -> Iterator[str]:
    yield from fresh_database("postgres", tmp_path)


@asynccontextmanager
async def serving(url: str, clock: ManualClock) -> AsyncIterator[SlackDriver]:
    """`tacbot serve` with Slack on ``url`` (migrated), against a fake Slack."""
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    server = FakeSlack(spec("slack_web_openapi_v2.json"))
    server.users.update(PEOPLE)
    await server.start()

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(0)

    platform = SlackPlatform(web_client(TOKEN, base_url=server.api_url, sleep=sleep))
    core = Core(db=db, clock=clock, platforms={"slack": platform})
    add_sencos(db, [("slack", "U0SAM")], clock=clock, added_by="tests")
    settings = Settings(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=server.api_url)
    app = make_app(core, plugins=[slack_plugin(settings)])
    try:
        async with TestClient(TestServer(app)) as client:
            yield SlackDriver(client=client, fake=server, background=app[BACKGROUND])
    finally:
        await server.stop()


class Lock:
    """Another connection holding the lock a command needs, for ``HOLD_SECONDS``, in a thread."""

    def __init__(self, url: str) -> None:
        self.url, self.taken, self.release = url, threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        parsed = make_url(self.url)
        if parsed.get_backend_name() == "sqlite":
            conn = sqlite3.connect(str(parsed.database), isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")
        else:
            conn = psycopg.connect(parsed.set(drivername="postgresql").render_as_string(hide_password=False))
            conn.execute("LOCK TABLE schools, people IN ACCESS EXCLUSIVE MODE")
        self.taken.set()
        self.release.wait(HOLD_SECONDS)
        conn.rollback()
        conn.close()

    def __enter__(self) -> Lock:
        self.thread.start()
        assert self.taken.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join()


def since(start: float) -> float:
    return time.monotonic() - start


def cases(db: Database) -> int:
    with db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(Case)) or 0)


async def test_a_locked_database_holds_up_no_ack_no_health_check_and_changes_nothing(
    own_url: str, clock: ManualClock
) -> None:
    async with serving(own_url, clock) as slack:
        db = slack.core.db
        _, button = await ep_requested(slack)  # a case, with Anna asked for a form
        view = await open_form(slack, "U0ANNA", button)
        assert view is not None
        before = cases(db)
        with Lock(own_url):
            locked = time.monotonic()
            start = time.monotonic()
            assert await slack.command("U0SAM", "open Ash", settle=False) == 200
            assert since(start) < ACK_LIMIT, since(start)
            start = time.monotonic()
            assert await slack.command("U0TOM", "help", settle=False) == 200
            assert since(start) < ACK_LIMIT, since(start)  # today: acknowledged once the lock went, 10 s
            # the clock's pass waits on the lock in a worker thread, not on the loop
            ticking = asyncio.ensure_future(ticker_for(slack.core, tz=slack.core.tz).get_job(RUN_DUE).func())
            start = time.monotonic()
            assert (await slack.client.get("/healthz")).status == 200
            assert since(start) < 1.0, since(start)
            start = time.monotonic()
            await slack.client.get("/readyz")
            assert since(start) < 2.5, since(start)
            payload = view_payload("U0ANNA", view, _state(view, EP), kind="view_submission")
            start = time.monotonic()
            status, body = await slack.post(
                urllib.parse.urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
            )
            assert status == 200 and since(start) < ACK_LIMIT, since(start)
            assert BUSY in body  # the modal stays open, says why, and keeps what was typed
            await asyncio.wait_for(ticking, HOLD_SECONDS)
            await slack.background.drain()  # the commands end by themselves, within the statement bound
            assert since(locked) < HOLD_SECONDS
        assert BUSY in slack.replies()  # `open Ash` could not get its data in time: it said so
        assert cases(db) == before and slack.fake.channel_named("tac-0002") is None
        with db.transaction() as s:
            assert s.scalars(select(FormSubmission)).all() == []
        assert await slack.command("U0SAM", "open Ash") == 200  # the lock gone, the same command works
        assert cases(db) == before + 1


async def test_after_the_server_drops_every_connection_the_next_request_succeeds(
    own_postgres_url: str, clock: ManualClock
) -> None:
    url = own_postgres_url
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    async with serving(url, clock) as slack:
        for n in range(4):  # load: commands in flight when the server drops every connection
            await slack.command("U0SAM", f"open Pupil{n}", settle=False)
        with psycopg.connect(plain, autocommit=True) as admin:
            killed = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (make_url(url).database,),
            ).fetchone()
        assert killed is not None and killed[0] >= 1
        await slack.background.drain()
        assert await slack.command("U0SAM", "open Robin") == 200
        assert "Opened case" in slack.fake.texts(slack.fake.responses[-1:])
        assert (await slack.client.get("/readyz")).status == 200
        with slack.core.db.transaction() as s:
            assert s.scalar(text("SELECT 1")) == 1
