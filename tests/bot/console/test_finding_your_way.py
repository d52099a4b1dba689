"""People finding their way: a case implied in a direct message, `cases` for everyone."""

from __future__ import annotations

import pytest

from bot.console.session import ConsoleBot
from handlers.replies import Buttons

pytestmark = pytest.mark.asyncio


async def two_cases(bot: ConsoleBot) -> None:
    await bot.exec("sam", "/tac open Robin year 4")
    await bot.exec("sam", "/tac open Ash year 2")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room="tac-0001")
    await bot.exec("sam", "/tac invite @tom class-teacher", room="tac-0001")
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room="tac-0001")


async def test_on_one_case_status_plan_and_team_in_a_dm_act_on_it(bot: ConsoleBot) -> None:
    await two_cases(bot)
    status = await bot.exec("tom", "/tac status")
    assert "Status of TAC-0001 (Robin)" in status and "Which case" not in status
    plan = await bot.exec("tom", "/tac plan")
    assert "TAC-0001" in plan and "Which case" not in plan
    team = await bot.exec("anna", "/tac team")
    assert "TAC-0001" in team and "@tom" in team
    # Only reads: a change still needs the case named.
    assert "Which case?" in await bot.exec("tom", "/tac action done 1")


async def test_on_several_cases_they_are_offered_as_buttons_that_work(bot: ConsoleBot) -> None:
    await two_cases(bot)
    reply = await bot.exec("sam", "/tac status")
    assert "You are on 2 cases: which one?" in reply
    buttons = [b for block in bot.replies[-1][1].blocks if isinstance(block, Buttons) for b in block.buttons]
    assert [(b.label, b.action, b.value) for b in buttons] == [
        ("TAC-0001 (Robin)", "case.status", "TAC-0001"),
        ("TAC-0002 (Ash)", "case.status", "TAC-0002"),
    ]
    assert "Robin" not in bot.replies[-1][1].summary  # the notification text names no alias
    assert "Status of TAC-0002 (Ash)" in await bot.press("sam", "case.status", "TAC-0002")
    assert "@tom" in await bot.press("sam", "case.team", "TAC-0001")
    # A pressed button checks who asks, like the typed command: tom is not on TAC-0002.
    assert "can't find TAC-0002" in await bot.press("tom", "case.status", "TAC-0002")
    assert "no longer does anything" in await bot.press("sam", "case.close", "TAC-0001")


async def test_someone_on_no_case_is_told_so_and_a_room_still_means_its_case(bot: ConsoleBot) -> None:
    await two_cases(bot)
    assert "Which case?" in await bot.exec("lee", "/tac status")
    assert "Status of TAC-0002 (Ash)" in await bot.exec("sam", "/tac status", room="tac-0002")


async def test_cases_lists_the_cases_anyone_is_on(bot: ConsoleBot) -> None:
    await two_cases(bot)
    sam = await bot.exec("sam", "/tac cases")
    assert "TAC-0001" in sam and "TAC-0002" in sam
    tom = await bot.exec("tom", "/tac cases")
    assert "TAC-0001" in tom and "TAC-0002" not in tom and "Only a SENCO" not in tom
    assert "not on any open case" in await bot.exec("lee", "/tac cases")
