"""Connection pools are sized by settings, and the server's connection limit says how many processes fit."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool

from bot.settings import Settings
from storage.capacity import Capacity, capacity
from storage.engine import PoolSize, make_engine


def test_processes_that_fit_the_connection_limit() -> None:
    budget = Capacity(pool=PoolSize(size=5, overflow=5), max_connections=100, reserved=3)
    assert budget.processes == 9  # (100 - 3) // 10
    assert "fits 9 processes" in budget.describe()
    assert Capacity(pool=PoolSize(size=50, overflow=60), max_connections=100, reserved=3).processes == 0


def test_the_settings_size_a_postgresql_pool(postgres_url: str) -> None:
    settings = Settings(TACBOT_DB_POOL_SIZE="3", TACBOT_DB_MAX_OVERFLOW="2", TACBOT_DB_POOL_TIMEOUT="4")
    engine = make_engine(postgres_url, pool=settings.pool)
    try:
        assert isinstance(engine.pool, QueuePool)
        assert (engine.pool.size(), engine.pool._max_overflow, engine.pool._timeout) == (3, 2, 4.0)
        found = capacity(engine, pool=settings.pool)
        assert found is not None and found.max_connections >= found.reserved >= 0
        assert found.processes == (found.max_connections - found.reserved) // 5
    finally:
        engine.dispose()


def test_sqlite_has_no_connection_limit(sqlite_engine: Engine) -> None:
    assert capacity(sqlite_engine, pool=PoolSize()) is None
