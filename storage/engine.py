"""Engine set-up for SQLite (the embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Accept a PostgreSQL URL as pasted (``postgresql://`` or ``postgres://``) and use psycopg 3."""
    parsed = make_url(
        url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url
    )
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


@dataclass(frozen=True, slots=True)
class PoolSize:
    """Connections one process may hold on a server database: ``size`` kept open, ``overflow`` more
    at peaks, waiting ``timeout`` seconds for one when all are busy. Every ``serve`` instance and every
    ``run-due`` holds its own pool: (size + overflow) x processes must stay within ``max_connections``."""

    size: int = 5
    overflow: int = 5
    timeout: float = 10.0

    @property
    def most(self) -> int:
        return self.size + self.overflow


def make_engine(url: str, *, pool: PoolSize | None = None, **kwargs: Any) -> Engine:
    """Build an engine; SQLite gets WAL, a busy timeout, foreign keys and real transactions; a server
    database a pool of ``pool`` (SQLite's file locking, not a pool, is its limit)."""
    url = normalise_url(url)
    if is_sqlite(url):
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    pool = pool or PoolSize()
    return create_engine(
        url,
        pool_pre_ping=True,
        hide_parameters=True,  # a database error never quotes a row's values into a log
        pool_size=pool.size,
        max_overflow=pool.overflow,
        pool_timeout=pool.timeout,
        **kwargs,
    )


def _configure_sqlite(engine: Engine) -> None:
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (savepoints work then).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two writers never deadlock on lock upgrade.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An engine plus a session factory; ``transaction()`` is the unit of work."""

    def __init__(self, engine: Engine, factory: sessionmaker[Session] | None = None) -> None:
        self.engine = engine
        self.sessions = factory or sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, *, pool: PoolSize | None = None) -> Database:
        return cls(make_engine(url, pool=pool))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self.sessions() as session, session.begin():
            yield session

    def ping(self) -> bool:
        """Whether the database answers (a bare query, outside any transaction or lock)."""
        try:
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("SELECT 1")
                cursor.close()
            finally:
                raw.close()
        except Exception:
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()
