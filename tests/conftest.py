"""Shared fixtures: databases (SQLite and PostgreSQL, each test in a rolled-back transaction), a clock,
and the console bot that tests drive like a user."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from bot.app import add_sencos
from bot.console.platform import ConsolePlatform
from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.core import Core
from storage import migrate
from storage.engine import Database, make_engine, normalise_url

SPECS = Path(__file__).resolve().parent / "specs"
IN_CI = bool(os.environ.get("CI") or os.environ.get("TACBOT_REQUIRE_POSTGRES"))
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
pytest_plugins = ["tests.mailbox"]

DEFAULT_NOW = datetime(2026, 9, 14, 8, 30, tzinfo=UTC)  # the tests' clock: a Monday, 09:30 in London


def _server_url() -> str:
    """The PostgreSQL server the tests use: that of TACBOT_TEST_POSTGRES_URL, else the local default."""
    return normalise_url(os.environ.get("TACBOT_TEST_POSTGRES_URL") or DEFAULT_SERVER)


def create_database() -> tuple[str, str] | None:
    """A brand-new database on the test server, as (url, name); None when the server is unreachable."""
    base = make_url(_server_url())
    name = f"tacbot_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(
            base.set(database="postgres"), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 2}
        )
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception:
        return None
    return base.set(database=name).render_as_string(hide_password=False), name


def drop_database(name: str) -> None:
    admin = create_engine(make_url(_server_url()).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def postgres_unreachable() -> None:
    """Skip on a machine without PostgreSQL; fail in CI, where the PostgreSQL tests must run."""
    if IN_CI:
        pytest.fail("PostgreSQL is unreachable, and CI must run the PostgreSQL tests")
    pytest.skip("PostgreSQL is not reachable here (set TACBOT_TEST_POSTGRES_URL)")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    given = os.environ.get("TACBOT_TEST_POSTGRES_URL")
    if given:  # CI made this database fresh for the run
        yield given
        return
    found = create_database()
    if found is None:
        postgres_unreachable()
        return
    url, name = found
    yield url
    drop_database(name)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def engine(backend: str, request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue(f"{backend}_engine")  # type: ignore[no-any-return]


@pytest.fixture
def db(engine: Engine) -> Iterator[Database]:
    """A Database whose every transaction is a savepoint inside one outer transaction, rolled back."""
    connection = engine.connect()
    outer = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield Database(engine, factory)
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new migrated database that other processes and instances can see (a temp file, or a
    temp PostgreSQL database), for tests of several processes sharing one database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.db'}"
        created = None
    else:
        found = create_database()
        if found is None:
            postgres_unreachable()
            return
        url, created = found
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    db.dispose()
    yield url
    if created:
        drop_database(created)


@pytest.fixture
def clock() -> ManualClock:
    # Monday 14 September 2026, 09:30 in London.
    return ManualClock(DEFAULT_NOW)


@pytest.fixture
def console_platform() -> ConsolePlatform:
    return ConsolePlatform()


@pytest.fixture
def core(db: Database, clock: ManualClock, console_platform: ConsolePlatform) -> Core:
    core = Core(db=db, clock=clock, platforms={"console": console_platform})
    add_sencos(db, [("console", "sam")], clock=clock, added_by="tests")
    return core


@pytest.fixture
async def bot(core: Core, console_platform: ConsolePlatform) -> AsyncIterator[ConsoleBot]:
    yield ConsoleBot(core=core, platform=console_platform)


def spec(name: str) -> Path:
    """A published platform specification carried in tests/specs (see its README for the sources)."""
    path = SPECS / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: the tests carry their specifications in tests/specs")
    return path


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With TACBOT_FORBID_SKIPS set (CI), a skipped test fails the run: a fresh clone must run every test."""
    if not os.environ.get("TACBOT_FORBID_SKIPS") or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter is not None else 0
    if skipped:
        reporter.write_line(
            f"TACBOT_FORBID_SKIPS: {skipped} test(s) skipped; every test must run here", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
