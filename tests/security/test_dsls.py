"""Issue 16: the Designated Safeguarding Leads per school. `tacbot dsl add|list|remove` (audited); a DSL of
school A receives A's concerns, reads A's audit trails and gets A's retention list, never B's; the DSLs of
every school (``TACBOT_DSL``, or named without ``--school``) get both."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.console.forms import fill_in, form_request_ids
from bot.console.platform import ConsolePlatform
from bot.console.render import render
from bot.console.session import console_actor, to_command
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.dispatch import handle
from handlers.governance.erasure import notify_retention
from handlers.model import Actor
from storage.crypto import DataCipher, new_key
from storage.engine import Database
from storage.models import AuditEvent, Case, Dsl
from storage.repo import people
from tests.bot.console.test_concerns import ANSWERS as CONCERN

A, B = "oak", "elm"  # two schools on one platform: two workspaces
DSLS = {A: "ravi", B: "dan"}  # each school's own DSL, named with --school (console handles)
EVERYWHERE = "dee"  # TACBOT_DSL: a DSL of every school
TRUST = "anna"  # `tacbot dsl add` without --school: a DSL of every school too


@dataclass
class Two:
    core: Core
    platform: ConsolePlatform

    async def run(self, workspace: str, who: str, words: str, *, room: str | None = None) -> str:
        found = self.platform.room_by_name(room) if room else None
        command = to_command(who, words, room_id=found.id if found else None)
        command = replace(command, actor=replace(command.actor, workspace=workspace))
        return render(await handle(self.core, command))

    async def raise_concern(self, workspace: str, who: str) -> str:
        opened = await handle(
            self.core,
            replace(to_command(who, "/tac concern", room_id=None), actor=self.actor(workspace, who)),
        )
        key = form_request_ids([opened])[0]
        return await fill_in(self.core, self.actor(workspace, who), key, CONCERN)

    def actor(self, workspace: str, who: str) -> Actor:
        return replace(console_actor(who), workspace=workspace)

    def concern_dms(self, user: str) -> list[str]:
        return [d.text for d in self.platform.deliveries if d.user == user and "concern" in d.text.lower()]


@pytest.fixture
def two(db: Database, clock: ManualClock) -> Two:
    platform = ConsolePlatform()
    core = Core(
        db=db,
        clock=clock,
        platforms={"console": platform},
        dsls=(("console", EVERYWHERE),),
        cipher=DataCipher(new_key()),
    )
    now = clock.now()
    with db.transaction() as s:
        for workspace, senco in ((A, "sam"), (B, "lee")):
            school = people.get_or_create_school(s, platform="console", external_id=workspace, now=now)
            for handle_, role in ((senco, None), (DSLS[workspace], Dsl)):
                person = people.get_or_create_person(
                    s, platform="console", external_id=handle_, display_name="", now=now
                )
                if role is None:
                    people.add_senco(s, person=person, school_id=school.id, added_by="tests", now=now)
                else:
                    assert people.add_senco(
                        s, person=person, school_id=school.id, added_by="tests", now=now, role=Dsl
                    )
        trust = people.get_or_create_person(
            s, platform="console", external_id=TRUST, display_name="", now=now
        )
        assert people.add_senco(s, person=trust, school_id=None, added_by="tests", now=now, role=Dsl)
    return Two(core, platform)


async def test_a_schools_concern_reaches_its_own_dsls_and_those_of_every_school(two: Two) -> None:
    assert "is with the Designated" in await two.raise_concern(A, "tom")
    assert len(two.concern_dms(DSLS[A])) == 1 and not two.concern_dms(DSLS[B])
    assert len(two.concern_dms(EVERYWHERE)) == 1 and len(two.concern_dms(TRUST)) == 1
    assert "is with the Designated" in await two.raise_concern(B, "priya")
    assert len(two.concern_dms(DSLS[A])) == 1 and len(two.concern_dms(DSLS[B])) == 1
    assert len(two.concern_dms(EVERYWHERE)) == 2 and len(two.concern_dms(TRUST)) == 2
    # Each DSL reads their own school's concerns; in the other school they are no DSL.
    assert "Safeguarding concern 1" in await two.run(A, DSLS[A], "/tac concern 1")
    assert "Only the Designated Safeguarding Leads" in await two.run(B, DSLS[A], "/tac concern 1")
    assert "Only the Designated Safeguarding Leads" in await two.run(A, DSLS[B], "/tac concerns")
    assert "Safeguarding concern 1" in await two.run(B, TRUST, "/tac concern 1")


async def test_a_school_without_a_dsl_of_its_own_tells_the_raiser_to_go_in_person(
    two: Two, db: Database, clock: ManualClock
) -> None:
    two.core.dsls = ()
    with db.transaction() as s:
        trust = people.find_person(s, platform="console", external_id=TRUST)
        assert trust is not None
        assert people.remove_senco(
            s, person=trust, school_id=None, removed_by="tests", now=clock.now(), role=Dsl
        )
    assert "No Designated Safeguarding Lead" in await two.run("ash", "tom", "/tac concern")  # a third school
    assert "Write down your safeguarding concern" in await two.run(A, "tom", "/tac concern")


async def test_a_dsl_reads_the_audit_of_their_own_schools_cases_only(two: Two) -> None:
    assert "TAC-0001" in await two.run(A, "sam", "/tac open Robin")
    assert "TAC-0001" in await two.run(B, "lee", "/tac open Kit")
    assert "Audit trail" in await two.run(A, DSLS[A], "/tac audit case TAC-0001")
    refused = await two.run(B, DSLS[A], "/tac audit case TAC-0001")
    assert "Audit trail" not in refused and "Robin" not in refused and "Kit" not in refused
    assert "Audit trail" in await two.run(B, DSLS[B], "/tac audit case TAC-0001")
    assert "Audit trail" in await two.run(B, TRUST, "/tac audit case TAC-0001")
    assert "Audit trail" in await two.run(A, EVERYWHERE, "/tac audit case TAC-0001")


async def test_the_retention_list_goes_to_the_schools_own_dsls_and_sencos(
    two: Two, db: Database, clock: ManualClock
) -> None:
    assert "TAC-0001" in await two.run(A, "sam", "/tac open Robin")
    assert "TAC-0001" in await two.run(B, "lee", "/tac open Kit")
    with db.transaction() as s:  # only A's case is due: closed with no date of birth
        case = s.scalars(select(Case).where(Case.alias == "Robin")).one()
        case.status = "closed"
    await notify_retention(two.core, now=clock.now())
    told = {d.user for d in two.platform.deliveries if "retention check" in d.text}
    assert told == {"sam", DSLS[A], EVERYWHERE, TRUST}, told


def test_dsl_add_list_remove_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'dsls.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TACBOT_DSL", "teams:29:1dee")
    assert main(["dsl", "add", "slack:U0ADA", "--school", "slack:T1"]) == 0
    assert "slack:U0ADA is now a DSL of slack:T1." in capsys.readouterr().out
    assert main(["dsl", "add", "slack:U0ADA", "--school", "slack:T1"]) == 0
    assert "already a DSL of slack:T1" in capsys.readouterr().out
    assert main(["dsl", "add", "slack:U0TIA"]) == 0
    assert "slack:U0TIA is now a DSL of every school." in capsys.readouterr().out
    assert main(["dsl", "list"]) == 0
    out = capsys.readouterr().out
    assert "slack:U0ADA  slack:T1  added" in out and "slack:U0TIA  every school  added" in out
    assert "teams:29:1dee  every school  TACBOT_DSL" in out
    assert main(["dsl", "add", "slack:U0BEA", "--school", "slack:T2"]) == 0
    capsys.readouterr()
    assert main(["dsl", "list", "--school", "slack:T1"]) == 0
    listed = capsys.readouterr().out
    assert "slack:U0ADA" in listed and "slack:U0TIA" in listed and "slack:U0BEA" not in listed
    assert "teams:29:1dee" not in listed  # a Teams DSL is none in a Slack workspace
    assert main(["senco", "list"]) == 0  # a DSL is no SENCO
    assert "U0ADA" not in capsys.readouterr().out
    assert main(["dsl", "remove", "slack:U0TIA", "--school", "slack:T1"]) == 2
    assert "DSL of every school" in capsys.readouterr().err
    assert main(["dsl", "remove", "teams:29:1dee"]) == 2
    assert "through TACBOT_DSL" in capsys.readouterr().err
    assert main(["dsl", "remove", "slack:U0ADA", "--school", "slack:T1"]) == 0
    assert "slack:U0ADA is no longer a DSL of slack:T1." in capsys.readouterr().out
    assert main(["dsl", "remove", "slack:U0ADA"]) == 2
    assert "slack:U0ADA is not a DSL" in capsys.readouterr().err
    assert main(["dsl", "remove", "nonsense"]) == 2
    db = Database.from_url(url)
    with db.transaction() as s:
        actions = [(e.action, e.detail["by"]) for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    db.dispose()
    assert actions == [
        ("dsl.added", "tacbot dsl add"),
        ("dsl.added", "tacbot dsl add"),
        ("dsl.added", "tacbot dsl add"),
        ("dsl.removed", "tacbot dsl remove"),
    ]
