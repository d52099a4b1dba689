"""Issue 12 item 7: the SENCO role per school; `tacbot senco add|list|remove`, audited; the migration
moves the SENCOs named before it to their platform's schools."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.cli import main
from bot.console.platform import ConsolePlatform
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.dispatch import handle
from handlers.model import Actor, Command
from storage import migrate
from storage.engine import Database
from storage.models import AuditEvent, Senco
from storage.repo import people
from tests.conftest import create_database, drop_database, postgres_unreachable


async def opens(core: Core, user: str, workspace: str) -> bool:
    actor = Actor(platform="console", workspace=workspace, user_id=user, display_name=user)
    reply = await handle(core, Command(actor=actor, text="open Robin"))
    return not reply.refused


async def test_a_senco_of_one_school_is_no_senco_in_another(db: Database, clock: ManualClock) -> None:
    core = Core(db=db, clock=clock, platforms={"console": ConsolePlatform()})
    now = clock.now()
    with db.transaction() as s:
        school = people.get_or_create_school(s, platform="console", external_id="oak", now=now)
        person = people.get_or_create_person(
            s, platform="console", external_id="kim", display_name="", now=now
        )
        assert people.add_senco(s, person=person, school_id=school.id, added_by="tests", now=now)
        assert not people.add_senco(s, person=person, school_id=school.id, added_by="tests", now=now)
    assert await opens(core, "kim", "oak")
    assert not await opens(core, "kim", "elm")  # today: a SENCO anywhere is a SENCO everywhere
    with db.transaction() as s:
        person = people.find_person(s, platform="console", external_id="kim")
        assert person is not None
        assert people.remove_senco(s, person=person, school_id=None, removed_by="tests", now=now) == 1
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert not await opens(core, "kim", "oak")
    assert actions.count("senco.added") == 1 and actions.count("senco.removed") == 1


def test_senco_add_list_remove_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'sencos.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["senco", "add", "slack:U0SAM", "--school", "slack:T1"]) == 0
    assert "slack:U0SAM is now a SENCO of slack:T1." in capsys.readouterr().out
    assert main(["senco", "add", "slack:U0SAM", "--school", "slack:T1"]) == 0
    assert "already a SENCO of slack:T1" in capsys.readouterr().out
    assert main(["senco", "add", "teams:29:1ann"]) == 0
    assert main(["senco", "list"]) == 0
    out = capsys.readouterr().out
    assert "slack:U0SAM  slack:T1  added" in out and "teams:29:1ann  every school  added" in out
    assert main(["senco", "list", "--school", "slack:T1"]) == 0
    assert "slack:U0SAM" in (listed := capsys.readouterr().out) and "teams:29:1ann" in listed
    assert main(["senco", "remove", "teams:29:1ann", "--school", "slack:T1"]) == 2
    assert "SENCO of every school" in capsys.readouterr().err
    assert main(["senco", "remove", "slack:U0SAM", "--school", "slack:T1"]) == 0
    assert "slack:U0SAM is no longer a SENCO of slack:T1." in capsys.readouterr().out
    assert main(["senco", "remove", "slack:U0SAM"]) == 2
    assert "slack:U0SAM is not a SENCO" in capsys.readouterr().err
    assert main(["senco", "remove", "nonsense"]) == 2
    assert main(["senco", "list"]) == 0
    assert "slack:U0SAM" not in capsys.readouterr().out
    db = Database.from_url(url)
    with db.transaction() as s:
        actions = [(e.action, e.detail["by"]) for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    db.dispose()
    assert actions == [
        ("senco.added", "tacbot senco add"),
        ("senco.added", "tacbot senco add"),
        ("senco.removed", "tacbot senco remove"),
    ]


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'moved.db'}"
        return
    found = create_database()
    if found is None:
        postgres_unreachable()
        return
    url, name = found
    yield url
    drop_database(name)


def test_the_migration_moves_existing_sencos_to_their_platforms_schools(fresh_url: str) -> None:
    db = Database.from_url(fresh_url)
    try:
        migrate.upgrade(db.engine, "0006")
        at = datetime(2026, 9, 1, tzinfo=UTC)
        with db.engine.begin() as conn:
            for n, (platform, ext) in enumerate([("slack", "T1"), ("slack", "T2"), ("teams", "tenant")], 1):
                conn.execute(
                    text(
                        "INSERT INTO schools (id, platform, external_id, name, case_seq, created_at) "
                        "VALUES (:id, :p, :e, '', 0, :at)"
                    ),
                    {"id": n, "p": platform, "e": ext, "at": at},
                )
            for n, (platform, ext) in enumerate([("slack", "U0SAM"), ("console", "sam")], 1):
                conn.execute(
                    text(
                        "INSERT INTO people (id, platform, external_id, display_name, created_at) "
                        "VALUES (:id, :p, :e, '', :at)"
                    ),
                    {"id": n, "p": platform, "e": ext, "at": at},
                )
                conn.execute(
                    text("INSERT INTO sencos (person_id, added_at, added_by) VALUES (:id, :at, 'env')"),
                    {"id": n, "at": at},
                )
        migrate.upgrade(db.engine)
        with db.transaction() as s:
            rows = sorted((r.person_id, r.school_id, r.added_by) for r in s.scalars(select(Senco)))
            assert rows == [(1, 1, "env"), (1, 2, "env"), (2, None, "env")]
            assert people.is_senco(s, person_id=1, school_id=2)
            assert not people.is_senco(s, person_id=1, school_id=3)  # a Slack SENCO is none in Teams
    finally:
        db.dispose()
