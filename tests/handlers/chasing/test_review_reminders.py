"""Reviews are reminded through the queue: members' reminders, the statutory steps, the pack, the poll."""

from __future__ import annotations

import io

from bot.console.demo import run_demo
from bot.console.session import ConsoleBot
from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.forms.library import builtin_library
from storage.models import Person
from tests.bot.console.test_forms import EP
from tests.bot.console.test_reviews import team
from tests.formsamples import sample_answers
from tests.handlers.chasing.helpers import at, queued

TEACHER = sample_answers(builtin_library()["teacher-input"])


async def tick(bot: ConsoleBot, clock: ManualClock, instant: object) -> int:
    clock.set(instant)  # type: ignore[arg-type]
    return (await run_due(bot.core, now=clock.now())).sent


def handles(bot: ConsoleBot) -> dict[int, str]:
    with bot.core.db.transaction() as s:
        return {p.id: p.external_id for p in s.query(Person)}


def plan(bot: ConsoleBot) -> set[tuple[str, str, object]]:
    names = handles(bot)
    return {(r.step, names[r.recipient_id], r.due_at) for r in queued(bot, "pending")}


async def test_fixing_an_annual_review_queues_the_statutory_schedule(bot: ConsoleBot) -> None:
    room = await team(bot, route="annual-review")
    await bot.exec("sam", "/tac review on 10/11/2026 at 09:00", room=room)  # fixed on Mon 14 Sep
    steps = plan(bot)
    for who in ("sam", "tom", "anna"):
        assert ("review-14d", who, at(2026, 10, 27, 8)) in steps
        assert ("review-7d", who, at(2026, 11, 3, 8)) in steps
        assert ("review-1sd", who, at(2026, 11, 9, 8)) in steps
        assert ("ar-advice-due", who, at(2026, 10, 27, 8)) in steps
    assert ("ar-invitations", "sam", at(2026, 9, 15, 8)) in steps
    assert ("ar-pack", "sam", at(2026, 10, 27, 8)) in steps
    assert ("ar-report-due", "sam", at(2026, 11, 24, 8)) in steps
    assert ("pack", "sam", at(2026, 10, 27, 8)) in steps
    assert not any(who != "sam" for step, who, _ in steps if step.startswith(("ar-inv", "ar-pack", "ar-rep")))


async def test_moving_reschedules_and_cancelling_cancels(bot: ConsoleBot, clock: ManualClock) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac review on 10/11/2026 at 09:00", room=room)
    assert {r.anchor[:10] for r in queued(bot, "pending")} == {"2026-11-10"}
    await bot.exec("sam", "/tac review on 17/11/2026 at 09:00", room=room)
    assert {r.anchor[:10] for r in queued(bot, "pending")} == {"2026-11-17"}
    assert ("review-14d", "tom", at(2026, 11, 3, 8)) in plan(bot)
    await bot.exec("sam", "/tac review cancel", room=room)
    assert queued(bot, "pending") == []
    assert await tick(bot, clock, at(2026, 11, 3, 9)) == 0


async def test_members_are_reminded_and_the_clock_posts_the_pack_once(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    room = await team(bot)
    await bot.exec("sam", '/tac outcome add "Robin joins a club by July"', room=room)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    rid = bot.form_requests("anna")[-1]
    await bot.fill_form("anna", rid, EP)
    await bot.fill_form("anna", rid, {**EP, "strengths": "Persistent; <!channel> loves Lego"})
    await bot.exec("sam", "/tac share input 1", room=room)
    await bot.exec("sam", "/tac request teacher-input from @tom", room=room)
    await bot.fill_form("tom", bot.form_requests("tom")[-1], TEACHER)
    await bot.exec("sam", '/tac review on 10/11/2026 at 09:00 where "Room 2"', room=room)
    assert await tick(bot, clock, at(2026, 10, 27, 9)) == 3  # 14 days before, each member
    reminder = [d for d in bot.sent_to(user="tom") if "Reminder:" in d.text][-1]
    text = reminder.text
    assert "Reminder: TAC-0001 (Robin)" in text and "The review meeting is on Tue 10 Nov" in text
    assert "When and where: Tue 10 Nov 2026 at 09:00, Room 2" in text  # the time and place, named
    assert "Room 2" not in reminder.reply.summary and "Robin" not in reminder.reply.summary
    assert "[Done]" not in text
    packs = lambda: [d for d in bot.sent_to(room=room) if "Pack for the review" in d.text]  # noqa: E731
    assert packs() == []
    # The pack is due Tue 3 Nov 08:00 (a week before); the bot was down until Wednesday afternoon.
    await tick(bot, clock, at(2026, 11, 4, 14))
    assert len(packs()) == 1 and "Robin joins a club" in packs()[0].text
    pack = packs()[0].text
    assert "Inputs shared with the team" in pack
    assert "Not shared with the team, so not in this pack: input 2 (Class teacher input)." in pack
    assert "Educational psychology advice from @anna · 14 Sep 2026 · version 2" in pack
    assert "Strengths and interests: Persistent; <!channel> loves Lego" in pack
    assert "Main area of need: Cognition and learning" in pack and "kind, strong visual" not in pack
    await tick(bot, clock, at(2026, 11, 5, 9))
    assert len(packs()) == 1
    await bot.exec("sam", "/tac review on 24/11/2026 at 09:00", room=room)  # moved: a fresh pack then
    await tick(bot, clock, at(2026, 11, 6, 9))
    assert len(packs()) == 1
    await tick(bot, clock, at(2026, 11, 17, 8, 30))
    assert len(packs()) == 2 and "Tue 24 Nov 2026 at 09:00" in packs()[1].text


async def test_the_poll_is_chased_once_three_school_days_after_it_opens(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac review poll 20/10 14:30, 22/10 09:00", room=room)  # Mon 14 Sep
    [row] = queued(bot, "pending")
    assert (row.subject_kind, row.due_at) == ("review_poll", at(2026, 9, 17, 8))
    await tick(bot, clock, at(2026, 9, 17, 9))
    chased = [d for d in bot.sent_to(user="anna") if "waiting for your answer" in d.reply.summary]
    assert len(chased) == 1
    await bot.exec("sam", "/tac review pick 1", room=room)
    assert {r.subject_kind for r in queued(bot, "pending")} == {"review", "review_pack"}


async def test_someone_joining_after_the_meeting_is_fixed_is_reminded_too(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac review on 10/11/2026 at 09:00", room=room)
    assert not any(who == "lee" for _, who, _ in plan(bot))
    await bot.exec("sam", "/tac invite @lee teaching-assistant", room=room)
    assert ("review-7d", "lee", at(2026, 11, 3, 8)) in plan(bot)
    assert len([r for r in queued(bot, "pending") if r.subject_kind == "review_pack"]) == 1


async def test_demo_shows_an_input_chased_and_the_pack_posted_by_the_clock() -> None:
    out = io.StringIO()
    assert await run_demo(out) == 0
    text = out.getvalue()
    chaser = "Educational psychology advice (input 1) is due today (Mon 28 Sep)."
    assert chaser in text and "[Open form] (console: :form 1)  [Done]" in text
    assert "is now due Fri 02 Oct 2026" in text
    assert text.index("is now due Fri 02 Oct") < text.index("Educational psychology advice from @anna")
    pack = text.index("== Pack for the review meeting, Tue 03 Nov 2026 at 14:30")
    assert text.index("The reminder clock ticks: the pre-meeting pack is due") < pack
    assert "Inputs shared with the team" in text[pack:]
    assert "went wrong" not in text
