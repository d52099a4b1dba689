"""Several `serve` instances starting together on one new PostgreSQL database all migrate it safely."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from storage import migrate
from storage.engine import make_engine
from tests.conftest import create_database, drop_database, postgres_unreachable


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    found = create_database()
    if found is None:
        postgres_unreachable()
        return
    url, name = found
    yield url
    drop_database(name)


@pytest.mark.postgres
def test_instances_starting_together_migrate_one_after_another(empty_postgres: str) -> None:
    start, errors = threading.Barrier(3), list[BaseException]()

    def instance() -> None:
        engine = make_engine(empty_postgres)
        try:
            start.wait(30)
            migrate.upgrade(engine)
        except BaseException as exc:  # recorded, asserted below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=instance) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    engine = make_engine(empty_postgres)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
