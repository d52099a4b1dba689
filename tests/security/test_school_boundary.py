"""Issue 16: a school is a boundary. Two schools on one deployment (two console workspaces), each with its
own SENCO and cases; for every chat command (derived from ``USAGES``, so a new command without a case
here fails) someone of school B naming a case of school A, or typing in A's room, gets exactly the answer
they would get for a case that does not exist, nothing in the database changes and nobody of school A
is sent anything. The same for every button carrying another school's ids."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import date

import pytest
from sqlalchemy import MetaData, select

from bot.console.forms import form_request_ids
from bot.console.platform import ConsolePlatform
from bot.console.render import render
from bot.console.session import ConsoleBot, console_actor, to_command
from handlers.clock import ManualClock
from handlers.confirm import split_confirm
from handlers.core import Core
from handlers.directory.load import parse_directory, store_directory
from handlers.dispatch import handle, handle_interaction
from handlers.grammar.usage import USAGES
from handlers.home import overview
from handlers.model import Actor, Interaction
from scheduler.calendar import add_holiday
from storage.crypto import DataCipher, new_key
from storage.engine import Database
from storage.models import (
    Action,
    Case,
    Concern,
    FamilyUpdate,
    InputRequest,
    Priority,
    Review,
)
from storage.repo import people
from tests.bot.console.test_concerns import ANSWERS as CONCERN
from tests.handlers.governance.seed import ASH, ROBIN, seed_case

Row = tuple[tuple[str, str], ...]
A, B = "console", "console-b"  # two schools on one platform: two workspaces
A_PEOPLE = {"sam", "tom", "anna", "jo"}  # sam: SENCO of A; dee: the deployment's DSL (TACBOT_DSL)
B_SENCO, B_MEMBER = "lee", "priya"  # lee: SENCO of B and key worker of its TAC-0001; priya: on its team
# Who asks in school B's workspace: its own people, and people of school A there too (A's SENCO and key
# worker, A's EP who is on B's team as well, A's teacher who owns A's actions and raised A's concern).
ASKERS = (B_SENCO, B_MEMBER, "sam", "anna", "tom")
THEIRS, NOBODYS = "TAC-0002", "TAC-0099"  # A's second case (B has only a TAC-0001); no school's
A_ROOM, NO_ROOM, B_ROOM = ASH.room, "not-a-case-room", "tac-0001-2"
DSL = "dee"
MARKERS = (ROBIN.marker, ASH.marker, ROBIN.alias, ASH.alias, ROBIN.name, ASH.name)

# Per command (USAGES' names), what someone of school B types about a case (the case is named or implied
# by the room): each must be refused exactly as for a case that does not exist.
ABOUT_A_CASE: dict[str, tuple[str, ...]] = {
    "alias": ("alias Kit T",),
    "consent": ('consent given by "Lee Chan" scope all', f'consent withdrawn by "Parent of {ASH.marker}"'),
    "invite": ("invite @dan social-worker", "invite @tom class-teacher champion"),
    "remove": ("remove @tom", "remove @anna"),
    "team": ("team",),
    "request": ("request ep-advice from @anna", "request teacher-input from team due 15/12"),
    "inputs": ("inputs", "input 1"),
    "share": ("share input 1", 'share input 1 reason "for the review"'),
    "pupil": ("pupil details",),
    "audit": ("audit", "audit page 2"),
    "outcome": (
        'outcome add "Reads aloud"',
        'outcome measure 1 "A book a week"',
        'outcome edit 1 "Reads aloud daily"',
        "outcome remove 1",
    ),
    "action": (
        'action add "Phonics" owner @dan due in 3 weeks',
        "action done 1",
        "action due 1 30/10",
        'action edit 1 what "Phonics daily"',
        "action remove 1",
    ),
    "review": (
        "review",
        'review on 15/12 at 14:30 where "Room 2"',
        "review poll 20/10 14:30, 22/10 09:00",
        "review pick 1",
        "review cancel",
        'review record decided "Carry on"',
        "review record",
    ),
    "purpose": ("purpose", 'purpose "Reads with confidence"'),
    "plan": ("plan", "plan export"),
    "status": ("status",),
    "refer": ('refer salt reason "Speech"', "referral 1 sent", "referral 1 waiting 6 weeks", "referrals"),
    "update": ("update family", "update family send"),
    "close": ('close reason "Moved away"', "close confirm"),
    "reopen": ("reopen",),
    "handover": ("handover @dan",),
}
# Commands about no case, or about the school as a whole: school B's answer shows nothing of school A.
SCHOOLWIDE: dict[str, tuple[str, ...]] = {
    "help": ("help", "help invite"),
    "forms": ("forms",),
    "cases": ("cases",),
    "define": ("define provision",),
    "services": ("services", "service salt"),
    "priority": ("priorities",),
    "concern": ("concerns", "concern 1"),
    "open": ("open Kit2 year 3",),
}


def test_every_command_has_a_boundary_case() -> None:
    """A command added to USAGES without a case in this file fails here."""
    names = {u.name for u in USAGES}
    assert names == set(ABOUT_A_CASE) | set(SCHOOLWIDE), names ^ (set(ABOUT_A_CASE) | set(SCHOOLWIDE))
    assert not set(ABOUT_A_CASE) & set(SCHOOLWIDE)


@dataclass
class Schools:
    bot: ConsoleBot
    a: int
    b: int

    @property
    def db(self) -> Database:
        return self.bot.core.db

    async def run(self, workspace: str, who: str, words: str, *, room: str | None = None) -> str:
        """``words`` typed by ``who`` of the school ``workspace`` (in ``room``, a room name, or a DM)."""
        command = to_command(who, words, room_id=self.bot.room_id(room))
        command = replace(command, actor=replace(command.actor, workspace=workspace))
        return render(await handle(self.bot.core, command))

    async def press(self, workspace: str, who: str, action: str, value: str, **inputs: str) -> str:
        actor = replace(console_actor(who), workspace=workspace)
        interaction = Interaction(actor=actor, action=action, value=value, inputs=inputs)
        return render(await handle_interaction(self.bot.core, interaction))


@pytest.fixture
async def schools(db: Database, clock: ManualClock) -> AsyncIterator[Schools]:
    platform = ConsolePlatform()
    core = Core(
        db=db,
        clock=clock,
        platforms={"console": platform},
        dsls=(("console", "dee"),),  # TACBOT_DSL: of every school (per school: test_dsls.py)
        cipher=DataCipher(new_key()),
    )
    now = clock.now()
    with db.transaction() as s:
        ids = {}
        for workspace, senco in ((A, "sam"), (B, B_SENCO)):
            school = people.get_or_create_school(s, platform="console", external_id=workspace, now=now)
            person = people.get_or_create_person(
                s, platform="console", external_id=senco, display_name="", now=now
            )
            people.add_senco(s, person=person, school_id=school.id, added_by="tests", now=now)
            ids[workspace] = school.id
    bot = ConsoleBot(core=core, platform=platform)
    two = Schools(bot, ids[A], ids[B])
    await seed_case(bot, ROBIN)  # A's TAC-0001, with everything a case can hold
    await seed_case(bot, ASH)  # A's TAC-0002: the case school B names
    assert "Added" in await bot.exec("sam", '/tac priority add "Speech and language in Reception"')
    await bot.exec("tom", "/tac concern")  # a safeguarding concern of school A, raised to the DSL
    key = form_request_ids([bot.replies[-1][1]])[0]
    assert "is with the Designated" in await bot.fill_form("tom", key, CONCERN), "the concern was not raised"
    opened = await two.run(B, B_SENCO, "/tac open Kit year 2")
    assert "TAC-0001" in opened, opened  # each school numbers its own cases
    await two.run(B, B_SENCO, '/tac consent given by "Pat Kit" scope all', room=B_ROOM)
    invited = await two.run(B, B_SENCO, f"/tac invite @{B_MEMBER} speech-and-language-therapist", room=B_ROOM)
    assert "Invited @priya" in invited, invited
    # A trust's EP works for both schools: on A's teams and on B's (one person, as on Slack Enterprise Grid).
    assert "Invited @anna" in await two.run(
        B, B_SENCO, "/tac invite @anna educational-psychologist", room=B_ROOM
    )
    for who in (
        B_MEMBER,
        DSL,
        "tom",
    ):  # everyone who asks below is known (a first command records the person)
        await two.run(B, who, "/tac cases")
    yield two


def snapshot(db: Database) -> dict[str, set[Row]]:
    """Every row of every table (but Alembic's), as (column, value as text) pairs."""
    with db.transaction() as s:
        meta = MetaData()
        meta.reflect(bind=s.connection())
        return {
            name: {tuple(zip(row._fields, map(str, row), strict=True)) for row in s.execute(select(table))}
            for name, table in meta.tables.items()
            if name != "alembic_version"
        }


def changes(before: dict[str, set[Row]], after: dict[str, set[Row]]) -> dict[str, object]:
    return {
        name: {"gone": before.get(name, set()) - rows, "new": rows - before.get(name, set())}
        for name, rows in after.items()
        if rows != before.get(name)
    }


def only_of_school(changed: dict[str, object], school_id: int) -> bool:
    """Whether every row added, changed or removed is the school's own (its ``school_id``)."""
    rows = [row for diff in changed.values() for part in diff.values() for row in part]  # type: ignore[attr-defined]
    return all(dict(row).get("school_id") == str(school_id) for row in rows)


def named(words: str, ref: str) -> str:
    """The command with ``case <ref>`` added (before a trailing `confirm`)."""
    rest, confirm = split_confirm(words)
    return f"/tac {rest} case {ref}" + (" confirm" if confirm else "")


def shows_nothing_of_a(answer: str, *, typed: bool = True) -> bool:
    """No alias, marker or name of school A's pupils (nor A's reference, unless the asker typed it)."""
    return (typed or THEIRS not in answer) and not any(m in answer for m in MARKERS)


async def test_naming_another_schools_case_is_answered_as_for_no_case(schools: Schools) -> None:
    before, sent = snapshot(schools.db), len(schools.bot.platform.deliveries)
    for who in ASKERS:
        for name, commands in ABOUT_A_CASE.items():
            for words in commands:
                theirs = await schools.run(B, who, named(words, THEIRS))
                nobodys = await schools.run(B, who, named(words, NOBODYS))
                assert theirs == nobodys.replace(NOBODYS, THEIRS), (who, words, theirs, nobodys)
                assert "can't find" in theirs, (who, words, theirs)
                in_their_room = await schools.run(B, who, f"/tac {words}", room=A_ROOM)
                in_no_case_room = await schools.run(B, who, f"/tac {words}", room=NO_ROOM)
                assert in_their_room == in_no_case_room, (who, words, in_their_room, in_no_case_room)
                assert shows_nothing_of_a(theirs + in_their_room), (who, words)
            assert not changes(before, snapshot(schools.db)), (who, name)
    assert len(schools.bot.platform.deliveries) == sent  # nobody, of either school, was sent anything


async def test_commands_about_no_case_show_nothing_of_another_school(schools: Schools) -> None:
    before, sent = snapshot(schools.db), len(schools.bot.platform.deliveries)
    for who in (*ASKERS, DSL):
        for name, commands in SCHOOLWIDE.items():
            if name == "open":
                continue
            for words in commands:
                for room in (None, A_ROOM):
                    answer = await schools.run(B, who, f"/tac {words}", room=room)
                    assert shows_nothing_of_a(answer, typed=False), (who, words, answer)
                    changed = changes(before, snapshot(schools.db))  # e.g. the DSL's listing, audited
                    assert only_of_school(changed, schools.b), (who, words, changed)
    # The DSL, in school B, reads none of school A's concerns: as for a concern that does not exist.
    nobodys = await schools.run(B, DSL, "/tac concern 99")
    assert await schools.run(B, DSL, "/tac concern 1") == nobodys.replace("99", "1")
    assert "(None raised.)" in await schools.run(B, DSL, "/tac concerns")
    assert "Safeguarding concern 1" in await schools.run(A, DSL, "/tac concern 1")
    # B's SENCO opens B's second case: TAC-0002 of school B; school A's cases are untouched.
    assert "TAC-0002" in await schools.run(B, B_SENCO, "/tac open Kit2 year 3")
    after = snapshot(schools.db)
    with schools.db.transaction() as s:
        a_cases = {(c.reference, c.alias) for c in s.scalars(select(Case).where(Case.school_id == schools.a))}
        b_cases = {(c.reference, c.alias) for c in s.scalars(select(Case).where(Case.school_id == schools.b))}
    assert a_cases == {("TAC-0001", ROBIN.alias), ("TAC-0002", ASH.alias)}
    assert b_cases == {("TAC-0001", "Kit"), ("TAC-0002", "Kit2")}
    assert changes(before, after)  # B's own new case
    new = schools.bot.platform.deliveries[sent:]
    assert not any(d.user in A_PEOPLE for d in new), [d.user for d in new]
    assert not any(d.room in ("tac-0001", "tac-0002") for d in new), [d.room for d in new]


async def test_each_senco_lists_only_their_own_school(schools: Schools) -> None:
    sam_cases = await schools.run(A, "sam", "/tac cases")
    lee_cases = await schools.run(B, B_SENCO, "/tac cases")
    assert "TAC-0001" in sam_cases and THEIRS in sam_cases and "Kit" not in sam_cases
    assert "TAC-0001" in lee_cases and "Kit" in lee_cases and shows_nothing_of_a(lee_cases), lee_cases
    status = await schools.run(B, B_SENCO, "/tac status")  # in a DM: B's only case
    assert "Kit" in status and shows_nothing_of_a(status), status
    home_a = render(await overview(schools.bot.core, Actor("console", A, "sam")))
    home_b = render(await overview(schools.bot.core, Actor("console", B, B_SENCO)))
    assert ROBIN.alias in home_a and ASH.alias in home_a and "Kit" not in home_a
    assert "Kit" in home_b and shows_nothing_of_a(home_b), home_b
    # Someone on A's team has no case in school B (their membership is A's).
    assert "not on any open case" in await schools.run(B, "tom", "/tac cases")


@dataclass(frozen=True)
class Press:
    action: str
    theirs: str  # the value carrying school A's id
    nobodys: str  # the same with an id that does not exist
    inputs: tuple[tuple[str, str], ...] = ()


def _a_ids(schools: Schools) -> dict[str, int]:
    with schools.db.transaction() as s:

        def first(model: type, *where: object) -> int:
            return int(s.scalars(select(model.id).where(*where).order_by(model.id)).first())  # type: ignore[attr-defined]

        a_case = first(Case, Case.school_id == schools.a, Case.reference == THEIRS)
        return {
            "action": first(Action, Action.case_id == a_case),
            "request": first(InputRequest, InputRequest.case_id == a_case),
            "review": first(Review, Review.case_id == a_case),
            "family": first(FamilyUpdate, FamilyUpdate.case_id == a_case),
            "priority": first(Priority, Priority.school_id == schools.a),
            "concern": first(Concern, Concern.school_id == schools.a),
        }


async def test_buttons_carrying_another_schools_ids_are_refused_as_for_none(schools: Schools) -> None:
    ids, gone = _a_ids(schools), "999999"
    presses = [
        *(
            Press(f"chaser.{verb}", f"{kind}:{ids[key]}", f"{kind}:{gone}", inputs)
            for kind, key in (("action", "action"), ("input_request", "request"))
            for verb, inputs in (
                ("done", ()),
                ("later", (("date", "30/10"),)),
                ("blocked", (("reason", "no time"),)),
            )
        ),
        *(Press(f"poll.{a}", f"{ids['review']}:1", f"{gone}:1") for a in ("can", "cannot", "maybe")),
        Press("form.open", str(ids["request"]), gone),
        Press("form.draft", str(ids["request"]), gone, (("strengths", "x"),)),
        Press("form.submit", str(ids["request"]), gone, (("strengths", "x"),)),
        Press("form.open", f"family-{ids['family']}", f"family-{gone}"),
        Press("form.submit", f"family-{ids['family']}", f"family-{gone}", (("text", "x"),)),
        Press("family.send", str(ids["family"]), gone),
        Press("form.open", f"concern-{ids['concern']}", f"concern-{gone}"),
        Press("priority.offer", str(ids["priority"]), gone, (("offer", "Talk Boost"),)),
        Press("concern.ack", str(ids["concern"]), gone),
        Press("confirm.run", f'close reason "x" case {THEIRS}', f'close reason "x" case {NOBODYS}'),
        Press("confirm.run", f"action remove 1 case {THEIRS}", f"action remove 1 case {NOBODYS}"),
        Press("case.status", THEIRS, NOBODYS),
        Press("case.plan", THEIRS, NOBODYS),
    ]
    before, sent = snapshot(schools.db), len(schools.bot.platform.deliveries)
    for who in (*ASKERS, DSL):
        for p in presses:
            theirs = await schools.press(B, who, p.action, p.theirs, **dict(p.inputs))
            nobodys = await schools.press(B, who, p.action, p.nobodys, **dict(p.inputs))
            assert theirs == nobodys.replace(NOBODYS, THEIRS), (who, p, theirs, nobodys)
            assert shows_nothing_of_a(theirs), (who, p, theirs)
            assert not changes(before, snapshot(schools.db)), (who, p)
    assert len(schools.bot.platform.deliveries) == sent


async def test_holidays_services_and_priorities_are_each_schools_own(
    schools: Schools, clock: ManualClock
) -> None:
    with schools.db.transaction() as s:  # school A's half term; the deployment's example directory
        add_holiday(
            s,
            first_day=date(2026, 10, 26),
            last_day=date(2026, 10, 30),
            name="Half term",
            school_id=schools.a,
            now=clock.now(),
        )
        store_directory(
            s,
            school_id=schools.b,
            entries=parse_directory(B_SERVICES, name="b.yaml"),
            now=clock.now(),
            by="tests",
        )
    asked = await schools.run(A, "sam", "/tac review on 28/10 at 10:00", room=ROBIN.room)
    assert "shut" in asked and "holidays" in asked, asked
    fixed = await schools.run(B, B_SENCO, "/tac review on 28/10 at 10:00", room=B_ROOM)
    assert "shut" not in fixed, fixed  # A's holiday is not B's
    b_services = await schools.run(B, B_SENCO, "/tac services")
    assert "Oakfield Speech Clinic" in b_services and "NHS Children's Speech" not in b_services
    a_services = await schools.run(A, "sam", "/tac services")
    assert "Oakfield Speech Clinic" not in a_services and "NHS Children's Speech" in a_services
    assert "Speech and language in Reception" in await schools.run(A, "sam", "/tac priorities")
    assert "Speech and language in Reception" not in await schools.run(B, B_SENCO, "/tac priorities")


B_SERVICES = """
services:
  - id: speech
    name: Oakfield Speech Clinic
    scope: health
    roles: [speech-and-language-therapist]
    remit: Speech and language therapy.
    eligibility: Pupils of the school.
    how_to_refer: Ask at reception.
    typical_wait_weeks: 4
    cost: Free.
    beyond_casework: Staff training.
"""
