"""The SENCO's overview (App Home), driven through the console like a user."""

from __future__ import annotations

from datetime import timedelta

from bot.console.render import render
from bot.console.school import SCHOOL
from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.home import overview
from handlers.model import Actor


async def test_a_senco_sees_cases_overdue_work_and_reviews_coming_up(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await bot.exec("sam", "/tac open Robin")
    room = "tac-0001"
    await bot.exec("sam", '/tac consent given by "Mrs Smith" relationship parent', room=room)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=room)
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room=room)
    await bot.exec("sam", '/tac action add "Phonics catch-up group" owner @tom due in 1 week', room=room)
    await bot.exec("sam", "/tac request ep-advice from @anna due in 1 week", room=room)
    await bot.exec("sam", "/tac review on 2026-10-20 at 10:00", room=room)
    clock.advance(timedelta(days=10))
    home = render(await overview(bot.core, Actor("console", SCHOOL, "sam")))
    assert "TAC-0001" in home and "Robin" in home
    assert "Overdue actions: 1" in home and "Phonics catch-up group" in home
    assert "Overdue inputs: 1" in home and "ep-advice from @anna" in home
    assert "Reviews coming up: 1" in home and "Tue 20 Oct 2026, 10:00" in home


async def test_anyone_else_sees_the_help(bot: ConsoleBot) -> None:
    await bot.exec("sam", "/tac open Robin")
    home = render(await overview(bot.core, Actor("console", SCHOOL, "tom")))
    assert "TAC-0001" not in home and "open" in home
