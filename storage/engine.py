"""Engine set-up for SQLite (the embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

# Every statement, connection and pool checkout is bounded: a locked table or a dead server makes the
# work fail (``Busy``) within this many seconds instead of holding anyone up.
TIMEOUT_SECONDS = 5.0
# Connections in the pool, and threads that run database work off the event loop: the same number, so a
# worker never waits for a connection another worker holds.
POOL_SIZE = 5

# A moment (``time.monotonic()``) after which the current work must not commit: someone was already told
# "busy" (set by ``handlers.offload.off_loop`` for work that has to finish before an acknowledgement).
DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("db_deadline", default=None)


class Busy(Exception):
    """The database did not answer in time (a lock, a timeout, a lost connection): nothing was changed."""


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


def make_engine(
    url: str, *, timeout: float = TIMEOUT_SECONDS, pool: PoolSize | None = None, **kwargs: Any
) -> Engine:
    """Build an engine; SQLite gets WAL, a busy timeout, foreign keys and real transactions.

    ``timeout`` bounds each statement (SQLite's busy timeout; PostgreSQL's ``statement_timeout``), each
    connect and each wait for a pooled connection. ``hide_parameters``: a failed statement's error (and
    any log of it) shows the SQL, never the values, which are often what a person typed into a form."""
    url = normalise_url(url)
    if is_sqlite(url):
        memory = make_url(url).database in (None, "", ":memory:")
        pooling: dict[str, Any] = {} if memory else {"pool_size": POOL_SIZE, "max_overflow": 0}
        engine = create_engine(
            url,
            connect_args={"timeout": timeout, "check_same_thread": False},
            hide_parameters=True,
            **({"pool_timeout": timeout} if not memory else {}),
            **pooling,
            **kwargs,
        )
        _configure_sqlite(engine, busy_ms=int(timeout * 1000))
        return engine
    pool = pool or PoolSize()
    return create_engine(
        url,
        pool_pre_ping=True,  # a connection the server dropped (restart, pg_terminate_backend) is replaced
        pool_size=pool.size,
        max_overflow=pool.overflow,
        pool_timeout=pool.timeout,
        connect_args={
            "connect_timeout": max(1, round(timeout)),
            "options": f"-c statement_timeout={int(timeout * 1000)}",
        },
        hide_parameters=True,
        **kwargs,
    )


def _configure_sqlite(engine: Engine, *, busy_ms: int) -> None:
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (savepoints work then).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two writers never deadlock on lock upgrade.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _busy(error: BaseException) -> bool:
    """A lock wait, a statement or pool timeout, or a lost or refused connection: try again later."""
    return isinstance(error, sa_exc.OperationalError | sa_exc.TimeoutError) or (
        isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated
    )


def _workers(engine: Engine) -> ThreadPoolExecutor:
    """As many worker threads as the engine's pool can hand out connections."""
    size = getattr(engine.pool, "size", None)
    most = (size() + max(0, int(getattr(engine.pool, "_max_overflow", 0)))) if callable(size) else POOL_SIZE
    return ThreadPoolExecutor(max_workers=max(1, most), thread_name_prefix="tacbot-db")


class Database:
    """An engine plus a session factory; ``transaction()`` is the unit of work.

    ``workers`` runs database work off the event loop (``handlers.offload``), one thread per pooled
    connection. A factory bound to a single connection (the tests' rolled-back transaction) is used by
    one thread at a time.
    """

    def __init__(self, engine: Engine, factory: sessionmaker[Session] | None = None) -> None:
        self.engine = engine
        self.sessions = factory or sessionmaker(engine, expire_on_commit=False)
        self.workers = _workers(self.engine)
        self._one_at_a_time = threading.RLock() if factory is not None else None

    @classmethod
    def from_url(cls, url: str, *, pool: PoolSize | None = None) -> Database:
        return cls(make_engine(url, pool=pool))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error. A database that
        does not answer in time raises ``Busy`` (nothing committed); so does work past its
        ``DEADLINE``, checked just before the commit."""
        try:
            with self._one_at_a_time or nullcontext(), self.sessions() as session, session.begin():
                yield session
                deadline = DEADLINE.get()
                if deadline is not None and time.monotonic() > deadline:
                    raise Busy("the answer was due before this work could finish")
        except (sa_exc.DBAPIError, sa_exc.TimeoutError) as error:
            if _busy(error):
                raise Busy(
                    type(error.orig).__name__ if isinstance(error, sa_exc.DBAPIError) else "pool"
                ) from error
            raise

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
        """Close the connections and let the worker threads go (new ones start if used again)."""
        self.workers.shutdown(wait=False)
        self.workers = _workers(self.engine)
        self.engine.dispose()
