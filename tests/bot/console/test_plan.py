"""The joint agency plan through the console: outcomes, measures, actions with costs, `plan`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.replies import Bullets, Mention
from storage.models import AuditEvent
from tests.bot.console.test_use_cases import count

pytestmark = pytest.mark.asyncio
ROOM = "tac-0001"


async def team(bot: ConsoleBot) -> str:
    await bot.exec("sam", "/tac open Robin year 4")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room=ROOM)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=ROOM)
    await bot.exec("sam", '/tac invite @priya speech-and-language-therapist agency "NHS SALT"', room=ROOM)
    return ROOM


async def test_outcomes_get_a_smart_hint_and_a_measure_later(bot: ConsoleBot) -> None:
    room = await team(bot)
    reply = await bot.exec("sam", '/tac outcome add "Robin is more confident"', room=room)
    assert "Added outcome 1" in reply and "To make it SMART" in reply and "outcome measure 1" in reply
    reply = await bot.exec(
        "sam",
        '/tac outcome add "Robin reads 3 short books aloud by July 2027" measure "Weekly reading log"',
        room=room,
    )
    assert "Added outcome 2" in reply and "SMART" not in reply
    assert "how we will know" in await bot.exec(
        "sam", "/tac outcome measure 1 “Robin answers in class twice a week”", room=room
    )
    plan = await bot.exec("tom", "/tac plan", room=room)
    assert "How we will know: Robin answers in class twice a week" in plan
    assert "How we will know: Weekly reading log" in plan
    assert "no outcome 7" in await bot.exec("sam", '/tac outcome measure 7 "x"', room=room)


async def test_actions_costs_per_agency_overdue_and_sections(bot: ConsoleBot, clock: ManualClock) -> None:
    room = await team(bot)
    await bot.exec("sam", '/tac outcome add "Robin reads aloud weekly by July"', room=room)
    reply = await bot.exec(
        "sam",
        '/tac action add "Phonics group" owner @tom due in 1 week where "Library" often "3x weekly" '
        'cost "30 min" outcome 1',
        room=room,
    )
    assert "Added action 1" in reply
    await bot.exec(
        "sam", '/tac action add "Language screen" owner @priya due in 3 weeks cost £40 outcome 1', room=room
    )
    await bot.exec(
        "sam", '/tac action add "Reading books" owner @tom due in 3 weeks cost "£12.50"', room=room
    )
    await bot.exec("sam", '/tac action add "Chat with Jo" owner @sam due in 3 weeks', room=room)
    clock.advance(timedelta(days=8))
    plan = await bot.exec("sam", "/tac plan", room=room)
    assert "Action 1: Phonics group · @tom · due 21 Sep 2026 · Library · 3x weekly · 30 min · OVERDUE" in plan
    assert "School: £12.50 one-off, 1 h 30 min weekly" in plan
    assert "NHS SALT: £40 one-off" in plan
    assert "Overall: £52.50 one-off, 1 h 30 min weekly" in plan
    assert "Not costed: action 4" in plan
    assert "Other actions" in plan and "== Review arrangements ==" in plan and "termly" in plan
    _, last = bot.replies[-1]
    mentioned = {
        span.user_id
        for block in last.blocks
        if isinstance(block, Bullets)
        for item in block.items
        for span in item
        if isinstance(span, Mention)
    }
    assert mentioned == {"tom", "priya", "sam"}


async def test_only_the_key_worker_changes_the_plan(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", '/tac outcome add "x by July"', room=room)
    before = count(bot, AuditEvent)
    for command in ('outcome add "y"', 'outcome measure 1 "z"', 'action add "a" owner @tom due tomorrow'):
        assert "Only the key worker" in await bot.exec("tom", f"/tac {command}", room=room), command
    assert count(bot, AuditEvent) == before


async def test_a_large_plan_fits_one_slack_message(bot: ConsoleBot) -> None:
    room = await team(bot)
    for n in range(1, 21):
        await bot.exec("sam", f'/tac outcome add "Outcome number {n} by July" measure "Log {n}"', room=room)
    for n in range(60):
        await bot.exec(
            "sam",
            f'/tac action add "A fairly long description of action {n} to be done" owner @tom '
            f'due in 4 weeks where "Room {n}" often "weekly" cost "£{n} and 20 min" outcome {n % 20 + 1}',
            room=room,
        )
    text = await bot.exec("priya", "/tac plan", room=room)
    _, plan = bot.replies[-1]
    assert len(plan.blocks) <= 50
    assert text.count("Action ") == 60 and text.count("Outcome number") == 20
    for block in plan.blocks:
        if isinstance(block, Bullets):
            assert len(block.items) <= 12
            assert sum(len(str(i)) for i in block.items) < 3000
