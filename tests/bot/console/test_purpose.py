"""`purpose`: the team's agreed purpose, on the room's topic and at the head of status, plan and pack."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.plan.export.content import build
from handlers.plan.snapshot import load
from handlers.reviews.pack import post_due_packs
from storage.models import AuditEvent, Case

pytestmark = pytest.mark.asyncio

PURPOSE = "Robin enjoys school and reads with confidence by the summer"


async def test_the_key_worker_sets_the_purpose_and_everyone_sees_it_first(bot: ConsoleBot) -> None:
    await bot.exec("sam", "/tac open Robin")
    await bot.exec("sam", "/tac invite @tom class-teacher", room="tac-0001")
    assert "no agreed purpose yet" in await bot.exec("tom", "/tac purpose", room="tac-0001")
    answer = await bot.exec("sam", f'/tac purpose "{PURPOSE}"', room="tac-0001")
    assert "is set and announced" in answer
    room = bot.platform.room_by_name("tac-0001")
    assert room is not None and room.topic == f"TAC-0001: {PURPOSE}"
    announced = bot.sent_to(room="tac-0001")[-1].text
    assert "set the team's purpose" in announced and PURPOSE in announced
    status = (await bot.exec("tom", "/tac status", room="tac-0001")).splitlines()
    assert PURPOSE in status[1] and "Our shared purpose" in status[1]
    plan = (await bot.exec("tom", "/tac plan", room="tac-0001")).splitlines()
    assert PURPOSE in plan[1]
    assert PURPOSE in await bot.exec("tom", "/tac purpose", room="tac-0001")

    await bot.exec("sam", '/tac purpose "Robin reads aloud to the class"', room="tac-0001")
    assert "changed the team's purpose" in bot.sent_to(room="tac-0001")[-1].text
    assert room.topic == "TAC-0001: Robin reads aloud to the class"
    with bot.core.db.transaction() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "case.purpose_set")).all()
        assert [e.detail["changed"] for e in events] == [False, True]
        assert all("Robin" not in str(e.detail) for e in events)  # audited without its words
        case = s.scalars(select(Case)).one()
        today = bot.core.clock.now().date()
        document = build(load(s, case=case, today=today, tz=bot.core.tz), produced=today)
    assert document.sections[0].title == "Our shared purpose"
    assert document.sections[0].paragraphs == ("Robin reads aloud to the class",)


async def test_bad_purposes_are_refused_and_change_nothing(bot: ConsoleBot) -> None:
    await bot.exec("sam", "/tac open Robin")
    await bot.exec("sam", "/tac invite @tom class-teacher", room="tac-0001")
    posted = len(bot.sent_to(room="tac-0001"))
    assert "Only the key worker" in await bot.exec("tom", '/tac purpose "Mine"', room="tac-0001")
    assert 'in "double quotes"' in await bot.exec("sam", "/tac purpose reads well", room="tac-0001")
    assert "the quotes are empty" in await bot.exec("sam", '/tac purpose ""', room="tac-0001")
    too_long = "x" * 241
    assert "at most 240 characters" in await bot.exec("sam", f'/tac purpose "{too_long}"', room="tac-0001")
    stranger = await bot.exec("dan", '/tac purpose "Hello" case TAC-0001')
    assert "can't find TAC-0001" in stranger and "Robin" not in stranger
    room = bot.platform.room_by_name("tac-0001")
    assert room is not None and room.topic == "TAC-0001: Team Around the Child"
    assert len(bot.sent_to(room="tac-0001")) == posted
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Case)).one().purpose is None


async def test_a_topic_the_platform_refuses_is_explained_and_the_purpose_kept(bot: ConsoleBot) -> None:
    await bot.exec("sam", "/tac open Robin")
    bot.platform.fail_next["set_topic"] = "The room's topic is locked."
    answer = await bot.exec("sam", f'/tac purpose "{PURPOSE}"', room="tac-0001")
    assert "could not be changed: The room's topic is locked." in answer
    assert PURPOSE in await bot.exec("sam", "/tac status", room="tac-0001")


async def test_the_review_pack_opens_with_the_purpose_once(bot: ConsoleBot, clock: ManualClock) -> None:
    await bot.exec("sam", "/tac open Robin")
    await bot.exec("sam", f'/tac purpose "{PURPOSE}"', room="tac-0001")
    await bot.exec("sam", "/tac review on 10/11/2026 at 09:00", room="tac-0001")
    clock.set(datetime(2026, 11, 3, 8, 0, tzinfo=ZoneInfo("Europe/London")))
    assert len(await post_due_packs(bot.core)) == 1
    pack = bot.sent_to(room="tac-0001")[-1].text.splitlines()
    assert "Pack for the review meeting" in pack[0] and PURPOSE in pack[1]
    assert sum(PURPOSE in line for line in pack) == 1
