"""Input requests are chased through the console: queued with the request, answered, stopped."""

from __future__ import annotations

from pathlib import Path

from bot.console.session import ConsoleBot
from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.forms.library import FormLibrary
from tests.bot.console.test_forms import EP, team
from tests.handlers.chasing.helpers import at, buttons, queued
from tests.handlers.forms.test_library import GOOD


async def tick(bot: ConsoleBot, clock: ManualClock, instant: object) -> int:
    clock.set(instant)  # type: ignore[arg-type]
    return (await run_due(bot.core, now=clock.now())).sent


def chasers(bot: ConsoleBot, user: str) -> list[str]:
    return [d.text for d in bot.sent_to(user=user) if "Reminder:" in d.text]


async def test_ehc_request_is_chased_at_weeks_4_and_5_and_submitting_stops_it(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    room = await team(bot, route="ehc-assessment")
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)  # Mon 14 Sep: due Mon 26 Oct
    assert [(r.step, r.due_at, r.anchor) for r in queued(bot, "pending")] == [
        ("week-4", at(2026, 10, 12, 8), "2026-10-26"),
        ("week-5", at(2026, 10, 19, 8), "2026-10-26"),
        ("due", at(2026, 10, 26, 8), "2026-10-26"),
        ("overdue-1", at(2026, 10, 27, 8), "2026-10-26"),
    ]
    assert await tick(bot, clock, at(2026, 10, 12, 9)) == 1
    [text] = chasers(bot, "anna")
    assert "Reminder: TAC-0001 (Robin)" in text
    assert "Educational psychology advice (input 1) is due Mon 26 Oct (week 4" in text
    assert "year 4" not in text.lower()
    dm = [d for d in bot.sent_to(user="anna") if "Reminder:" in d.text][-1]
    assert list(buttons(dm)) == ["Open form", "Done", "Need more time", "Blocked"]
    rid = buttons(dm)["Open form"].value
    assert "is submitted" in await bot.fill_form("anna", rid, EP)
    assert queued(bot, "pending") == []
    assert await tick(bot, clock, at(2026, 10, 19, 9)) == 0


async def test_done_says_submit_need_more_time_replans_and_blocked_tells_the_key_worker(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request teacher-input from @tom due 2026-09-28", room=room)
    assert await tick(bot, clock, at(2026, 9, 28, 9)) == 1
    dm = [d for d in bot.sent_to(user="tom") if "Reminder:" in d.text][-1]
    done = buttons(dm)["Done"]
    answer = await bot.press("tom", done.action, done.value)
    assert "is done when the form is submitted" in answer and "[Open form]" in answer
    assert [r.step for r in queued(bot, "pending")] == ["overdue-1"]
    for stranger in ("anna", "dan"):
        assert "can no longer see or change" in await bot.press(stranger, done.action, done.value)
    later = buttons(dm)["Need more time"]
    reply = await bot.press("tom", later.action, later.value, inputs={"date": "2026-10-09"})
    assert "now due Fri 09 Oct 2026" in reply
    assert [(r.step, r.anchor) for r in queued(bot, "pending")] == [
        ("before-2", "2026-10-09"),
        ("due", "2026-10-09"),
        ("overdue-1", "2026-10-09"),
    ]
    assert "due 09 Oct" in await bot.exec("sam", "/tac inputs", room=room)
    blocked = buttons(dm)["Blocked"]
    reply = await bot.press("tom", blocked.action, blocked.value, inputs={"reason": "Off sick <!here>"})
    assert "told the key worker" in reply
    note = bot.sent_to(user="sam")[-1]
    assert "Blocked: TAC-0001 (Robin)" in note.text and "Off sick <!here>" in note.text
    assert queued(bot, "pending") == []


async def test_escalation_after_the_second_overdue_chaser(bot: ConsoleBot, clock: ManualClock) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request teacher-input from @tom due 2026-09-28", room=room)
    await tick(bot, clock, at(2026, 9, 28, 9))
    await tick(bot, clock, at(2026, 9, 29, 9))
    assert not [d for d in bot.sent_to(user="sam") if "Overdue:" in d.text]
    await tick(bot, clock, at(2026, 10, 2, 9))
    [escalation] = [d.text for d in bot.sent_to(user="sam") if "Overdue:" in d.text]
    assert "Class teacher input (input 1)" in escalation and "@tom" in escalation
    assert len(chasers(bot, "tom")) == 3


async def test_leaving_the_team_stops_the_chasers(bot: ConsoleBot, clock: ManualClock) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request teacher-input from @tom due 2026-09-28", room=room)
    await bot.exec("sam", "/tac request ep-advice from @anna due 2026-09-28", room=room)
    assert {r.recipient_id for r in queued(bot, "pending")} and len(queued(bot, "pending")) == 6
    await bot.exec("sam", "/tac remove @tom", room=room)
    assert len(queued(bot, "pending")) == 3
    await bot.exec("sam", "/tac remove @anna", room=room)
    assert queued(bot, "pending") == []
    assert await tick(bot, clock, at(2026, 9, 28, 9)) == 0


async def test_consent_withdrawn_stops_the_chasers_of_those_it_removes(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request ep-advice from @anna due 2026-09-28", room=room)
    assert len(queued(bot, "pending")) == 3
    await bot.exec("sam", '/tac consent withdrawn by "Jo Taylor" scope all', room=room)
    assert queued(bot, "pending") == []
    assert await tick(bot, clock, at(2026, 9, 28, 9)) == 0


async def test_a_schools_own_form_is_named_by_its_title(
    bot: ConsoleBot, clock: ManualClock, tmp_path: Path
) -> None:
    (tmp_path / "reading-recovery.yaml").write_text(GOOD, "utf-8")
    bot.core.forms = FormLibrary.load(tmp_path)
    room = await team(bot)
    await bot.exec("sam", "/tac request reading-recovery from @tom due 2026-09-28", room=room)
    assert await tick(bot, clock, at(2026, 9, 28, 9)) == 1
    assert "Reading recovery notes (input 1) is due today" in chasers(bot, "tom")[-1]


async def test_an_input_chaser_button_reveals_nothing_to_outsiders(bot: ConsoleBot) -> None:
    from sqlalchemy import select

    from storage.models import InputRequest

    await bot.exec("sam", "/tac open Robin")
    await bot.exec("sam", '/tac consent given by "Jo Taylor"', room="tac-0001")
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room="tac-0001")
    await bot.exec("sam", "/tac request ep-advice from @anna", room="tac-0001")
    with bot.core.db.transaction() as s:
        request_id = s.scalars(select(InputRequest.id)).one()
    real = await bot.press("dan", "chaser.done", f"input_request:{request_id}")
    missing = await bot.press("dan", "chaser.done", f"input_request:{request_id + 999}")
    assert real == missing
