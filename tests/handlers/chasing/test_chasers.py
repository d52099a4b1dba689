"""Chasers end to end through the console: queued with the action, sent on school days, answered."""

from __future__ import annotations

from bot.console.session import ConsoleBot
from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from tests.handlers.chasing.helpers import at, buttons, case_with_action, queued, steps


async def tick(bot: ConsoleBot, clock: ManualClock, instant: object) -> int:
    clock.set(instant)  # type: ignore[arg-type]
    return (await run_due(bot.core, now=clock.now())).sent


async def test_adding_an_action_queues_its_chasers(bot: ConsoleBot) -> None:
    await case_with_action(bot)  # Monday 14 Sep, due Monday 28 Sep
    rows = queued(bot, "pending")
    assert [(r.step, r.due_at) for r in rows] == [
        ("before-2", at(2026, 9, 24, 8)),
        ("due", at(2026, 9, 28, 8)),
        ("overdue-1", at(2026, 9, 29, 8)),
    ]


async def test_chaser_goes_to_the_owner_in_working_hours_and_done_stops_it(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await case_with_action(bot)
    assert await tick(bot, clock, at(2026, 9, 24, 7, 59)) == 0
    assert await tick(bot, clock, at(2026, 9, 24, 8, 0)) == 1
    assert await tick(bot, clock, at(2026, 9, 24, 8, 5)) == 0  # sent once
    [dm] = bot.sent_to(user="tom")[-1:]
    assert "Reminder: TAC-0001 (Robin)" in dm.text and "Action 1 is due Mon 28 Sep" in dm.text
    # The body says what it is about; the notification text names the reference and the kind only.
    assert "Action 1: Phonics group for Robin Smith" in dm.text
    assert dm.reply.summary == "TAC-0001: Action 1 is due Mon 28 Sep." and "Robin" not in dm.reply.summary
    done = buttons(dm)["Done"]
    reply = await bot.press("tom", done.action, done.value)
    assert "is done" in reply
    assert steps(bot, "pending") == []
    assert "done" in await bot.exec("sam", "/tac plan", room="tac-0001")
    assert await tick(bot, clock, at(2026, 9, 28, 9)) == 0


async def test_need_more_time_moves_the_date_and_replans(bot: ConsoleBot, clock: ManualClock) -> None:
    await case_with_action(bot)
    await tick(bot, clock, at(2026, 9, 28, 9))
    later = buttons(bot.sent_to(user="tom")[-1])["Need more time"]
    assert later.prompt is not None and later.prompt.kind == "date"
    reply = await bot.press("tom", later.action, later.value, inputs={"date": "2026-10-09"})
    assert "now due Fri 09 Oct 2026" in reply
    pending = queued(bot, "pending")
    assert [(r.step, r.anchor) for r in pending] == [
        ("before-2", "2026-10-09"),
        ("due", "2026-10-09"),
        ("overdue-1", "2026-10-09"),
    ]
    assert "due 09 Oct" in await bot.exec("tom", "/tac plan", room="tac-0001")
    past = await bot.press("tom", later.action, later.value, inputs={"date": "2026-09-01"})
    assert "in the past" in past


async def test_blocked_tells_the_key_worker(bot: ConsoleBot, clock: ManualClock) -> None:
    await case_with_action(bot)
    await tick(bot, clock, at(2026, 9, 28, 9))
    blocked = buttons(bot.sent_to(user="tom")[-1])["Blocked"]
    reply = await bot.press(
        "tom", blocked.action, blocked.value, inputs={"reason": "No room free <!channel>"}
    )
    assert "told the key worker" in reply
    [note] = bot.sent_to(user="sam")[-1:]
    assert "Blocked: TAC-0001 (Robin)" in note.text and "No room free <!channel>" in note.text
    assert steps(bot, "pending") == []


async def test_only_the_owner_or_key_worker_may_answer(bot: ConsoleBot, clock: ManualClock) -> None:
    await case_with_action(bot)
    await tick(bot, clock, at(2026, 9, 28, 9))
    done = buttons(bot.sent_to(user="tom")[-1])["Done"]
    for stranger in ("anna", "lee"):
        reply = await bot.press(stranger, done.action, done.value)
        assert "can no longer see or change" in reply
    assert steps(bot, "pending") == ["overdue-1"]
    assert "is done" in await bot.press("sam", done.action, done.value)


async def test_escalation_once_after_the_second_overdue_chaser(bot: ConsoleBot, clock: ManualClock) -> None:
    await case_with_action(bot)
    await tick(bot, clock, at(2026, 9, 28, 9))  # due day
    await tick(bot, clock, at(2026, 9, 29, 9))  # overdue-1 (1 school day after)
    assert steps(bot, "pending") == ["overdue-2"]
    assert queued(bot, "pending")[0].due_at == at(2026, 10, 2, 8)  # 3 school days later
    assert bot.sent_to(user="sam") == []
    await tick(bot, clock, at(2026, 10, 2, 9))  # overdue-2, then the escalation at once
    escalations = [d for d in bot.sent_to(user="sam") if "Overdue: TAC-0001 (Robin)" in d.text]
    assert len(escalations) == 1 and "@tom" in escalations[0].text
    assert "Phonics group for Robin Smith" in escalations[0].text
    assert "Phonics" not in escalations[0].reply.summary and "Robin" not in escalations[0].reply.summary
    assert steps(bot, "pending") == ["overdue-3"]
    await tick(bot, clock, at(2026, 10, 7, 9))  # overdue-3: no second escalation
    assert len([d for d in bot.sent_to(user="sam") if "Overdue:" in d.text]) == 1
    chasers = [d for d in bot.sent_to(user="tom") if "Reminder:" in d.text]
    assert len(chasers) == 4 and steps(bot, "pending") == ["overdue-4"]


async def test_done_by_command_and_closing_the_case_stop_chasers(bot: ConsoleBot, clock: ManualClock) -> None:
    await case_with_action(bot)
    await bot.exec("sam", '/tac action add "Second" owner @anna due 2026-10-05', room="tac-0001")
    await bot.exec("tom", "/tac action done 1", room="tac-0001")
    assert {(r.anchor, r.step) for r in queued(bot, "pending")} == {
        ("2026-10-05", "before-2"),
        ("2026-10-05", "due"),
        ("2026-10-05", "overdue-1"),
    }
    await bot.exec("sam", "/tac action due 2 2026-10-12", room="tac-0001")
    assert {r.anchor for r in queued(bot, "pending")} == {"2026-10-12"}
    await bot.exec("sam", "/tac close confirm", room="tac-0001")
    clock.set(at(2026, 10, 12, 9))
    stats = await run_due(bot.core, now=clock.now())
    assert stats.sent == 0 and stats.cancelled == 2
    assert not [d for d in bot.sent_to(user="anna") if "Reminder:" in d.text]


async def test_a_removed_member_is_not_chased(bot: ConsoleBot, clock: ManualClock) -> None:
    await case_with_action(bot, owner="anna")
    await bot.exec("sam", "/tac remove @anna", room="tac-0001")
    stats = await run_due(bot.core, now=at(2026, 9, 28, 9))
    assert stats.sent == 0 and stats.cancelled >= 1
    assert not [d for d in bot.sent_to(user="anna") if "Reminder:" in d.text]


async def test_nothing_goes_at_weekends_and_catch_up_sends_once(bot: ConsoleBot, clock: ManualClock) -> None:
    await case_with_action(bot)
    assert await tick(bot, clock, at(2026, 9, 26, 10)) == 0  # Saturday
    # Downtime from Wednesday to the next Wednesday: before-2, due and overdue-1 all missed. The latest
    # goes once; the stale ones are dropped, and the next overdue chaser is planned from now.
    assert await tick(bot, clock, at(2026, 9, 30, 10)) == 1
    assert await tick(bot, clock, at(2026, 9, 30, 10, 1)) == 0
    [chaser] = [d for d in bot.sent_to(user="tom") if "Reminder:" in d.text]
    assert "overdue" in chaser.text
    assert steps(bot, "sent") == ["overdue-1"] and steps(bot, "pending") == ["overdue-2"]
    assert queued(bot, "pending")[0].due_at == at(2026, 10, 5, 8)
