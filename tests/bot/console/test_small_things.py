"""Small things seen in the demo and the console: no markup, plain plurals, suggestions, the minutes."""

from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.console.demo import run_demo
from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from tests.bot.console.test_reviews import team

pytestmark = pytest.mark.asyncio
LONDON = ZoneInfo("Europe/London")


async def test_console_text_carries_no_markup(bot: ConsoleBot) -> None:
    opened = await bot.exec("sam", "/tac open Robin")
    assert opened.startswith("Opened case TAC-0001 (Robin) with a private room.")
    assert 'Next: record consent with consent given by "<name>" relationship parent.' in opened
    for text in (opened, await bot.exec("sam", "/tac help invite"), await bot.exec("sam", "/tac statsu")):
        assert "*" not in text and "`" not in text, text


async def test_the_demo_reads_as_plain_text_and_the_poll_tally_follows_the_votes() -> None:
    out = io.StringIO()
    assert await run_demo(out) == 0
    text = out.getvalue()
    assert "`" not in text
    assert not re.search(r"\*\S[^*\n]*\S\*", text), re.search(r"\*\S[^*\n]*\S\*", text)
    assert "(s)" not in text
    done = text.index("Everyone has answered the date poll for TAC-0001 (Robin)")
    assert text.index("Noted: you can make slot 1") < done  # the votes come before the tally of them


async def test_an_overdue_action_is_marked_in_the_minutes_and_the_owners_list(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    room = await team(bot)
    await bot.exec("sam", '/tac action add "Observe in class" owner @anna due 01/10/2026', room=room)
    await bot.exec("sam", '/tac action add "Reading diary" owner @tom due 30/10/2026', room=room)
    await bot.exec("sam", "/tac review on 20/10/2026 at 14:30", room=room)
    clock.set(datetime(2026, 10, 20, 15, 30, tzinfo=LONDON))
    await bot.exec("sam", '/tac review record attendees @sam decided "Carry on"', room=room)
    minutes = next(d.text for d in reversed(bot.sent_to(room=room)) if "Decided" in d.text)
    assert "Action 1: Observe in class · @anna · due 01 Oct 2026 · OVERDUE" in minutes
    assert "Action 2: Reading diary · @tom · due 30 Oct 2026" in minutes
    assert "Reading diary · @tom · due 30 Oct 2026 · OVERDUE" not in minutes
    anna = next(d.text for d in reversed(bot.sent_to(user="anna")) if "Your actions" in d.text)
    assert "Observe in class · due Thu 01 Oct 2026 · OVERDUE" in anna


async def test_a_mistyped_form_gets_a_suggestion_and_ehcp_its_own_entry(bot: ConsoleBot) -> None:
    room = await team(bot)
    reply = await bot.exec("sam", "/tac request ep-advise from @anna", room=room)
    assert "There is no form called ep-advise." in reply and "Did you mean ep-advice?" in reply
    ehcp = await bot.exec("jo", "/tac define EHCP")
    assert ehcp.startswith("== EHC plan ==") and "EHC needs assessment" in ehcp
    assert "Education, Health and Care plan" in await bot.exec(
        "jo", "/tac define education, health and care plan"
    )
    assert (await bot.exec("jo", "/tac define plan")).startswith("== Plan ==")


async def test_plain_plurals(bot: ConsoleBot) -> None:
    room = await team(bot)
    assert "Asked 3 members which of the 2 slots they can make." in await bot.exec(
        "sam", "/tac review poll 20/10 14:30, 22/10 09:00", room=room
    )
    assert "Invitations (.ics) sent to 3 members." in await bot.exec("sam", "/tac review pick 1", room=room)
