"""Safeguarding never in the room: `concern` goes only to the DSLs, with a receipt to the raiser."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.console.session import ConsoleBot
from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.replies import Buttons
from storage.models import AuditEvent, Concern, Reminder

pytestmark = pytest.mark.asyncio
LONDON = ZoneInfo("Europe/London")

ANSWERS = {
    "child": "Robin, Year 4",
    "seen": "Robin said 'I don't want to go home tonight' and had a mark on his arm",
    "when": "Today 10:15, in the library",
    "at_risk": "Robin",
    "done": "Stayed with Robin, then came straight to the form",
}


@pytest.fixture(autouse=True)
def dsl(bot: ConsoleBot) -> None:
    bot.core.dsls = (("console", "dee"),)


async def team(bot: ConsoleBot) -> str:
    await bot.exec("sam", "/tac open Robin")
    await bot.exec("sam", "/tac invite @tom class-teacher", room="tac-0001")
    return "tac-0001"


def form_key(bot: ConsoleBot) -> str:
    _, reply = bot.replies[-1]
    return next(b for block in reply.blocks if isinstance(block, Buttons) for b in block.buttons).value


def reminders(bot: ConsoleBot) -> list[Reminder]:
    with bot.core.db.transaction() as s:
        return list(s.scalars(select(Reminder).order_by(Reminder.id)))


def audits(bot: ConsoleBot, prefix: str) -> list[AuditEvent]:
    with bot.core.db.transaction() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action.like(f"{prefix}%"))))


async def test_a_concern_reaches_only_the_dsl_and_the_raiser_gets_a_receipt(bot: ConsoleBot) -> None:
    room = await team(bot)
    posted = len(bot.sent_to(room=room))
    opened = await bot.exec("tom", "/tac concern", room=room)
    assert "goes only to the Designated Safeguarding Lead" in opened and ":form concern-" in opened
    assert bot.replies[-1][1].direct
    key = form_key(bot)
    receipt = await bot.fill_form("tom", key, ANSWERS)
    assert "Your concern (number 1) is with the Designated Safeguarding Lead" in receipt
    to_dsl = bot.sent_to(user="dee")[-1]
    assert "Safeguarding concern 1" in to_dsl.text and "I don't want to go home tonight" in to_dsl.text
    assert "Raised by @tom" in to_dsl.text and "TAC-0001 (Robin)" in to_dsl.text
    assert "Robin" not in to_dsl.reply.summary and "[Acknowledge]" in to_dsl.text
    assert len(bot.sent_to(room=room)) == posted  # the room never sees it
    assert not [d for d in bot.sent_to(user="tom") if "concern" in d.text.lower()]  # a receipt, no more
    assert not [d for d in bot.sent_to(user="sam") if "concern" in d.text.lower()]
    (raised,) = audits(bot, "concern.raised")
    assert raised.case_id is None and raised.detail == {
        "concern": 1,
        "why": "to the Designated Safeguarding Leads",
    }
    assert "Robin" not in str(raised.detail)

    ack = next(b for block in to_dsl.reply.blocks if isinstance(block, Buttons) for b in block.buttons)
    assert "That button no longer does anything" in await bot.press("tom", ack.action, ack.value)
    assert "You have acknowledged concern 1" in await bot.press("dee", ack.action, ack.value)
    assert "already acknowledged by @dee" in await bot.press("dee", ack.action, ack.value)
    with bot.core.db.transaction() as s:
        concern = s.scalars(select(Concern)).one()
        assert concern.state == "acknowledged" and concern.answers["child"] == "Robin, Year 4"

    listing = await bot.exec("dee", "/tac concerns")
    assert "Concern 1 by @tom" in listing and "acknowledged" in listing
    shown = await bot.exec("dee", "/tac concern 1")
    assert "I don't want to go home tonight" in shown and "Acknowledge" not in shown
    reads = audits(bot, "concern.read")
    assert len(reads) == 1 and "home" not in str(reads[0].detail)


async def test_nobody_else_reads_or_touches_a_concern(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("tom", "/tac concern", room=room)
    key = form_key(bot)
    assert "this form is not yours" in await bot.fill_form("sam", key, ANSWERS)
    assert "this form is not yours" in await bot.fill_form("tom", "concern-999", ANSWERS)
    assert "this form is not yours" in await bot.fill_form("tom", "concern-x", ANSWERS)
    await bot.fill_form("tom", key, ANSWERS)
    assert "already with the Designated Safeguarding Lead" in await bot.fill_form("tom", key, ANSWERS)
    for who in ("sam", "tom"):
        assert "Only the Designated Safeguarding Leads" in await bot.exec(who, "/tac concerns")
        assert "Only the Designated Safeguarding Leads" in await bot.exec(who, "/tac concern 1")
        assert "Only the Designated Safeguarding Leads" in await bot.exec(who, "/tac concern 99")
    assert "There is no concern 2" in await bot.exec("dee", "/tac concern 2")
    assert "is not a concern number" in await bot.exec("dee", "/tac concern two")
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Concern)).one().state == "raised"


async def test_missing_answers_are_refused_and_the_draft_is_kept(bot: ConsoleBot) -> None:
    await bot.exec("tom", "/tac concern")
    key = form_key(bot)
    answer = await bot.fill_form("tom", key, {"child": "Robin", "seen": "A mark on his arm"})
    assert "Some answers need another look" in answer and "When and where: Please answer" in answer
    assert bot.sent_to(user="dee") == []
    await bot.exec("tom", "/tac concern")  # the same draft again, not a second concern
    assert form_key(bot) == key
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Concern)).one().state == "draft"
    assert "None raised" in await bot.exec("dee", "/tac concerns")


async def test_without_a_dsl_a_concern_is_refused_and_the_raiser_told_to_go_in_person(
    bot: ConsoleBot,
) -> None:
    bot.core.dsls = (("slack", "U0DSL"),)  # a DSL, but not on this platform
    refused = await bot.exec("tom", "/tac concern")
    assert "No Designated Safeguarding Lead is set up" in refused and "in person" in refused
    assert bot.replies[-1][1].refused and bot.replies[-1][1].direct
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Concern)).all() == []


async def test_a_dsl_that_cannot_be_reached_sends_the_raiser_in_person(bot: ConsoleBot) -> None:
    await bot.exec("tom", "/tac concern")
    key = form_key(bot)
    bot.platform.fail_next["direct_message"] = "Slack is down."
    await bot.fill_form("tom", key, ANSWERS)
    assert "Please tell them in person now" in bot.sent_to(user="tom")[-1].text


async def test_words_that_look_like_a_disclosure_get_a_private_reminder(bot: ConsoleBot) -> None:
    room = await team(bot)
    posted = len(bot.sent_to(room=room))
    said = await bot.exec("tom", '/tac outcome add "Robin says his dad HITS   him"', room=room)
    assert "type concern" in said and "HITS" not in said
    assert bot.replies[-1][1].direct and bot.replies[-1][1].refused
    assert "type concern" in await bot.exec("sam", "/tac she is scared to go home", room=room)
    assert len(bot.sent_to(room=room)) == posted
    plan = await bot.exec("sam", "/tac plan", room=room)
    assert "dad" not in plan
    # ordinary words are not caught, and outside a room nothing is checked
    assert "Added outcome 1" in await bot.exec(
        "sam", '/tac outcome add "Robin hits targets in maths"', room=room
    )
    assert "type concern" not in await bot.exec("sam", "/tac define abuse")


async def test_unacknowledged_after_a_working_hour_it_goes_again_and_to_the_senco(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await bot.exec("tom", "/tac concern")  # Monday 14 September 2026, 09:30
    await bot.fill_form("tom", form_key(bot), ANSWERS)
    (queued,) = [r for r in reminders(bot) if r.subject_kind == "concern"]
    assert queued.due_at == datetime(2026, 9, 14, 10, 30, tzinfo=LONDON)
    clock.set(datetime(2026, 9, 14, 10, 29, tzinfo=LONDON))
    await run_due(bot.core, now=clock.now())
    assert len(bot.sent_to(user="dee")) == 1 and not bot.sent_to(user="sam")
    clock.set(datetime(2026, 9, 14, 10, 30, tzinfo=LONDON))
    await run_due(bot.core, now=clock.now())
    again = bot.sent_to(user="dee")
    assert len(again) == 2 and "Safeguarding concern 1: not yet acknowledged" in again[-1].text
    to_senco = bot.sent_to(user="sam")
    assert len(to_senco) == 1 and "I don't want to go home tonight" in to_senco[0].text
    assert not [d for d in bot.sent_to(user="tom") if "not yet acknowledged" in d.text]
    assert len(audits(bot, "concern.resent")) == 1
    await run_due(bot.core, now=clock.now() + timedelta(hours=2))
    assert len(bot.sent_to(user="dee")) == 2  # once


async def test_an_acknowledged_concern_is_not_sent_again(bot: ConsoleBot, clock: ManualClock) -> None:
    clock.set(datetime(2026, 9, 14, 16, 40, tzinfo=LONDON))  # 20 minutes of the working day left
    await bot.exec("tom", "/tac concern")
    await bot.fill_form("tom", form_key(bot), ANSWERS)
    (queued,) = [r for r in reminders(bot) if r.subject_kind == "concern"]
    assert queued.due_at == datetime(2026, 9, 15, 8, 40, tzinfo=LONDON)  # the rest next morning
    ack = next(
        b
        for block in bot.sent_to(user="dee")[-1].reply.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
    )
    await bot.press("dee", ack.action, ack.value)
    clock.set(datetime(2026, 9, 15, 9, 0, tzinfo=LONDON))
    await run_due(bot.core, now=clock.now())
    assert len(bot.sent_to(user="dee")) == 1 and not bot.sent_to(user="sam")
