"""Steps that ask first (issue 10): `close` with work still open, a review on a day the school is shut."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.replies import Button, Buttons, Reply
from storage.models import AuditEvent, Case, Review
from tests.bot.console.test_use_cases import count

pytestmark = pytest.mark.asyncio
ROOM = "tac-0001"


async def team(bot: ConsoleBot) -> None:
    await bot.exec("sam", "/tac open Robin year 4")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room=ROOM)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=ROOM)
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room=ROOM)


def confirm_button(reply: Reply) -> Button:
    return next(
        b
        for block in reply.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
        if b.label == "Confirm"
    )


async def test_close_with_open_work_lists_it_and_changes_nothing_until_confirmed(bot: ConsoleBot) -> None:
    await team(bot)
    await bot.exec("sam", '/tac action add "Phonics group" owner @tom due in 2 weeks', room=ROOM)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=ROOM)
    await bot.exec("sam", '/tac review on 15/10 at 14:30 where "Room 2"', room=ROOM)
    before = count(bot, AuditEvent)
    text = await bot.exec("sam", '/tac close reason "Moved school"', room=ROOM)
    assert "still has open work" in text
    assert "Action 1: Phonics group · @tom" in text
    assert "Input 1: Educational psychology advice from @anna" in text
    assert "Review meeting on Thu 15 Oct 2026 at 14:30, Room 2" in text
    assert '/tac close reason "Moved school" confirm' in text and "[Confirm]" in text
    assert count(bot, AuditEvent) == before
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Case)).one().status == "open"
    button = confirm_button(bot.replies[-1][1])
    # Anyone else pressing it runs the command as themselves: refused like typing it.
    assert "Only the key worker" in await bot.press("tom", button.action, button.value, room=ROOM)
    assert "Cancelled" in await bot.press("sam", "confirm.cancel", "", room=ROOM)
    assert count(bot, AuditEvent) == before
    done = await bot.press("sam", button.action, button.value, room=ROOM)
    assert "Closed TAC-0001 (Robin)" in done
    with bot.core.db.transaction() as s:
        case = s.scalars(select(Case)).one()
        assert case.status == "closed" and case.close_reason == "Moved school"


async def test_close_confirm_typed_at_the_end_and_close_with_nothing_open(bot: ConsoleBot) -> None:
    await team(bot)
    await bot.exec("sam", '/tac action add "Phonics group" owner @tom due in 2 weeks', room=ROOM)
    assert "Closed" in await bot.exec("sam", "/tac close confirm", room=ROOM)
    await bot.exec("sam", "/tac open Ash")
    assert "Closed TAC-0002 (Ash)" in await bot.exec("sam", "/tac close", room="tac-0002")


@pytest.mark.parametrize(
    ("day", "why"),
    [("17/10", "a weekend"), ("25/12", "a bank holiday"), ("28/10", "in the school's holidays")],
)
async def test_review_on_a_day_the_school_is_shut_asks_first(bot: ConsoleBot, day: str, why: str) -> None:
    from scheduler.calendar import add_holiday

    with bot.core.db.transaction() as s:
        add_holiday(
            s,
            first_day=date(2026, 10, 26),
            last_day=date(2026, 10, 30),
            name="Half term",
            school_id=None,
            now=bot.core.clock.now(),
        )
    await team(bot)
    text = await bot.exec("sam", f"/tac review on {day} at 10:00", room=ROOM)
    assert why in text and "[Confirm]" in text
    assert not bot.sent_to(user="tom") or all("review" not in d.text.lower() for d in bot.sent_to(user="tom"))
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Review)).all() == []
    done = await bot.exec("sam", f"/tac review on {day} at 10:00 confirm", room=ROOM)
    assert "Review meeting fixed" in done
    assert any(d.reply.attachments for d in bot.sent_to(user="tom"))


async def test_poll_and_pick_on_a_weekend_ask_first(bot: ConsoleBot) -> None:
    await team(bot)
    text = await bot.exec("sam", "/tac review poll 16/10 14:30, 17/10 10:00", room=ROOM)
    assert "Sat 17 Oct 2026 is a weekend" in text and "Fri 16 Oct" not in text
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Review)).all() == []
    button = confirm_button(bot.replies[-1][1])
    assert "Asked 3 member" in await bot.press("sam", button.action, button.value, room=ROOM)
    assert "a weekend" in await bot.exec("sam", "/tac review pick 2", room=ROOM)
    assert "Review meeting fixed: Sat 17 Oct 2026" in await bot.exec(
        "sam", "/tac review pick 2 confirm", room=ROOM
    )


async def test_a_meeting_is_not_recorded_before_it_starts_and_times_read_as_written(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await team(bot)
    fixed = await bot.exec("sam", "/tac review on 16/10 at 3.30pm", room=ROOM)
    assert "Review meeting fixed: Fri 16 Oct 2026 at 15:30" in fixed
    before = count(bot, AuditEvent)
    for command in ("review record", 'review record decided "Carry on"'):
        early = await bot.exec("sam", f"/tac {command}", room=ROOM)
        assert "The review meeting is on Fri 16 Oct 2026 at 15:30: record it once it has started." in early
    assert count(bot, AuditEvent) == before
    clock.set(datetime(2026, 10, 16, 14, 31, tzinfo=UTC))  # 15:31 in London
    done = await bot.exec("sam", '/tac review record decided "Carry on" next 4/12 at 9am', room=ROOM)
    assert "Next review: Fri 04 Dec 2026 at 09:00" in done


async def test_a_command_too_long_for_a_button_is_confirmed_by_typing(bot: ConsoleBot) -> None:
    await team(bot)
    await bot.exec("sam", '/tac action add "Phonics group" owner @tom due in 2 weeks', room=ROOM)
    reason = "“" + "é" * 400 + "”"  # 402 characters, over 2000 once JSON-escaped
    text = await bot.exec("sam", f"/tac close reason {reason}", room=ROOM)
    assert (
        "still has open work" in text
        and "[Confirm]" not in text
        and text.rstrip().endswith("confirm\n  (Nothing has changed yet.)")
    )
    assert "Closed" in await bot.exec("sam", f"/tac close reason {reason} confirm", room=ROOM)
