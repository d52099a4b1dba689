"""The weekly digest: overdue inputs, reviews coming up and statutory deadlines at risk."""

from __future__ import annotations

from bot.console.session import ConsoleBot
from handlers.chasing.ticks import weekly_digest
from handlers.clock import ManualClock
from tests.handlers.chasing.helpers import at


def digests(bot: ConsoleBot) -> list[str]:
    return [d.text for d in bot.sent_to(user="sam") if "Your TAC week" in d.text]


async def test_digest_names_overdue_inputs_reviews_soon_and_ehc_advice_at_risk(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await bot.exec("sam", "/tac open Robin year 4 route ehc-assessment")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room="tac-0001")
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room="tac-0001")
    await bot.exec("sam", "/tac request ep-advice from @anna", room="tac-0001")  # due Mon 26 Oct
    await bot.exec("sam", "/tac review on 03/11/2026 at 14:00", room="tac-0001")
    clock.set(at(2026, 10, 26, 8))
    await weekly_digest(bot.core)
    [first] = digests(bot)
    assert "TAC-0001 (Robin): 0 overdue, 0 due in the next 7 days, review on Tue 03 Nov" in first
    assert "at risk" not in first
    clock.set(at(2026, 11, 2, 8))
    await weekly_digest(bot.core)
    second = digests(bot)[-1]
    assert "1 input overdue" in second
    assert "Statutory deadlines at risk" in second
    assert "TAC-0001: 1 EHC advice request(s) open for more than 6 weeks" in second


async def test_annual_review_at_risk_twelve_months_after_the_last(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await bot.exec("sam", "/tac open Ash route annual-review")  # Mon 14 Sep 2026
    clock.set(at(2027, 8, 2, 8))
    await weekly_digest(bot.core)
    assert "at risk" not in digests(bot)[-1]
    clock.set(at(2027, 8, 23, 8))
    await weekly_digest(bot.core)
    assert (
        "TAC-0001: annual review is due by 14 Sep 2027 (12 months), none fixed before then"
        in digests(bot)[-1]
    )
    await bot.exec("sam", "/tac review on 07/09/2027 at 10:00", room="tac-0001")
    clock.set(at(2027, 8, 31, 8))  # Monday 30 Aug 2027 is a bank holiday
    await weekly_digest(bot.core)
    assert "at risk" not in digests(bot)[-1]
    assert len(digests(bot)) == 3


async def test_status_shows_overdue_inputs_and_the_next_review(bot: ConsoleBot, clock: ManualClock) -> None:
    await bot.exec("sam", "/tac open Robin year 4")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room="tac-0001")
    await bot.exec("sam", "/tac invite @tom class-teacher", room="tac-0001")
    await bot.exec("sam", "/tac request teacher-input from @tom due 2026-09-21", room="tac-0001")
    await bot.exec("sam", '/tac review on 20/10/2026 at 14:30 where "Room 2"', room="tac-0001")
    clock.set(at(2026, 9, 23, 9))
    status = await bot.exec("tom", "/tac status", room="tac-0001")
    assert (
        "Inputs: 1 awaited (1 overdue)" in status
        and "Next review: Tue 20 Oct 2026 at 14:30, Room 2" in status
    )
