"""Apply Alembic migrations shipped inside the package (works from any directory, installed or not)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


MIGRATION_LOCK = 7_163_228_000_001  # a PostgreSQL advisory lock id of TAC Bot's own


def upgrade(target: Engine | Connection, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default: the newest).

    On PostgreSQL the upgrade holds an advisory lock until it commits: several ``serve`` instances
    starting together migrate one after another, and those that come second find nothing to do.
    """
    cfg = alembic_config()
    if isinstance(target, Engine):
        with target.begin() as conn:
            if conn.dialect.name == "postgresql":  # a migration may take longer than one request's bound
                conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
            _lock(conn)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    else:
        _lock(target)
        cfg.attributes["connection"] = target
        command.upgrade(cfg, revision)


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK})


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
