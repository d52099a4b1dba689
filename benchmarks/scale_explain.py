"""Which statements scan a big table: each statement a command ran is explained on the grown database
(SQLite ``EXPLAIN QUERY PLAN``, PostgreSQL ``EXPLAIN``; neither executes it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from storage.engine import Database

BIG = (
    "cases",
    "memberships",
    "actions",
    "outcomes",
    "reminders",
    "people",
    "audit_events",
    "rooms",
    "consents",
)
SQLITE_SCAN = re.compile(r"\bSCAN (\w+)(?! USING)")
POSTGRES_SCAN = re.compile(r"Seq Scan on (\w+)")


@contextmanager
def recorded(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """The statements run inside the block, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if not many and statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "WITH")):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


LARGE = 5_000  # rows: a smaller table is read whole by PostgreSQL's choice, index or not


def scans(db: Database, statements: list[tuple[str, Any]]) -> set[str]:
    """The big tables (over ``LARGE`` rows) some statement reads in full."""
    found: set[str] = set()
    postgres = db.engine.dialect.name == "postgresql"
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        sizes = {}
        for table in BIG:
            cursor.execute(f"SELECT count(*) FROM {table}")
            sizes[table] = cursor.fetchone()[0]
        for statement, parameters in statements:
            cursor.execute(("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + statement, parameters)
            plan = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
            for table in (POSTGRES_SCAN if postgres else SQLITE_SCAN).findall(plan):
                if sizes.get(table, 0) > LARGE:
                    found.add(table)
        cursor.close()
    finally:
        raw.rollback()
        raw.close()
    return found


def database_ms(db: Database, statements: list[tuple[str, Any]]) -> float | None:
    """PostgreSQL: the server's own execution time for the statements (``EXPLAIN ANALYZE``, each rolled
    back), which the load on the machine disturbs far less than wall time; None on SQLite."""
    if db.engine.dialect.name != "postgresql":
        return None
    total = 0.0
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in statements:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
            total += float(cursor.fetchone()[0][0]["Execution Time"])
            raw.rollback()
        cursor.close()
    finally:
        raw.rollback()
        raw.close()
    return total
