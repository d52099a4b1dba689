"""How many processes the database's connection limit allows for a pool size (logged at start)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from storage.engine import PoolSize


@dataclass(frozen=True, slots=True)
class Capacity:
    """The server's ``max_connections`` less those reserved for superusers, shared by every process."""

    pool: PoolSize
    max_connections: int
    reserved: int

    @property
    def processes(self) -> int:
        """How many processes (``serve`` instances plus ``run-due`` runs) fit at full overflow."""
        return max(0, (self.max_connections - self.reserved) // self.pool.most)

    def describe(self) -> str:
        return (
            f"database pool {self.pool.size} + {self.pool.overflow} overflow = {self.pool.most} connections "
            f"per process; max_connections {self.max_connections} ({self.reserved} reserved) fits "
            f"{self.processes} processes"
        )


def capacity(engine: Engine, *, pool: PoolSize) -> Capacity | None:
    """The server's limits for ``pool`` (PostgreSQL); None for SQLite, which has no connection limit."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        most = int(conn.execute(text("SHOW max_connections")).scalar_one())
        reserved = int(conn.execute(text("SHOW superuser_reserved_connections")).scalar_one())
    return Capacity(pool=pool, max_connections=most, reserved=reserved)
