"""Apply Alembic migrations shipped inside the package (works from any directory, installed or not)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(target: Engine | Connection, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default: the newest)."""
    cfg = alembic_config()
    if isinstance(target, Engine):
        with target.begin() as conn:
            if conn.dialect.name == "postgresql":  # a migration may take longer than one request's bound
                conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    else:
        cfg.attributes["connection"] = target
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
