"""A school's own policy end to end: its chasers and due dates follow its overrides; another's don't."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from bot.console.render import render
from bot.console.session import ConsoleBot, to_command
from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.dispatch import handle
from storage.models import InputRequest, Reminder, School
from storage.repo import policies as policy_repo
from tests.handlers.chasing.helpers import at

OTHER = "console-b"


async def in_other_school(bot: ConsoleBot, handle_: str, text: str, *, room: str | None = None) -> str:
    """Run a command as ``handle_`` of a second school on the same platform (workspace ``console-b``)."""
    command = to_command(handle_, text, room_id=bot.room_id(room))
    command = replace(command, actor=replace(command.actor, workspace=OTHER))
    return render(await handle(bot.core, command))


async def ehc_request(bot: ConsoleBot, *, alias: str, other: bool) -> None:
    """Open an EHC assessment case and ask Anna for her advice with no due date (the route's default)."""
    run = (lambda *a, **k: in_other_school(bot, *a, **k)) if other else bot.exec
    assert "Opened case" in await run("sam", f"/tac open {alias} year 4 route ehc-assessment")
    room = "tac-0001-2" if other else "tac-0001"
    await run("sam", '/tac consent given by "Jo Taylor" scope all', room=room)
    await run("sam", "/tac invite @anna educational-psychologist", room=room)
    assert "Asked" in await run("sam", "/tac request ep-advice from @anna", room=room)


async def tick(bot: ConsoleBot, clock: ManualClock, instant: datetime) -> int:
    clock.set(instant)
    return (await run_due(bot.core, now=clock.now())).sent


def school_id(bot: ConsoleBot, workspace: str) -> int:
    with bot.core.db.transaction() as s:
        return s.scalars(select(School.id).where(School.external_id == workspace)).one()


def plan_of(bot: ConsoleBot, workspace: str, *states: str) -> list[tuple[str, object]]:
    with bot.core.db.transaction() as s:
        rows = s.scalars(
            select(Reminder)
            .where(
                Reminder.school_id == school_id(bot, workspace), Reminder.state.in_(states or ("pending",))
            )
            .order_by(Reminder.due_at, Reminder.id)
        )
        return [(r.step, r.due_at) for r in rows]


def dues(bot: ConsoleBot) -> dict[int, str]:
    with bot.core.db.transaction() as s:
        return {r.id: r.due.isoformat() for r in s.scalars(select(InputRequest))}


async def test_a_school_with_its_own_policy_chases_by_it_and_another_keeps_the_defaults(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await bot.exec("sam", "/tac cases")  # the console school exists
    with bot.core.db.transaction() as s:
        policy_repo.set_overrides(
            s,
            school_id=school_id(bot, "console"),
            values={"repeat_school_days": 5, "ehc_advice_weeks": 8},
            now=clock.now(),
            by="test",
        )
    await ehc_request(bot, alias="Robin", other=False)  # Mon 14 Sep: due 8 weeks on, Mon 09 Nov
    await ehc_request(bot, alias="Sky", other=True)  # the defaults: 6 weeks on, Mon 26 Oct
    assert sorted(dues(bot).values()) == ["2026-10-26", "2026-11-09"]
    assert plan_of(bot, "console") == [
        ("week-4", at(2026, 10, 12, 8)),
        ("week-5", at(2026, 10, 19, 8)),
        ("due", at(2026, 11, 9, 8)),
        ("overdue-1", at(2026, 11, 10, 8)),
    ]
    assert plan_of(bot, OTHER) == [
        ("week-4", at(2026, 10, 12, 8)),
        ("week-5", at(2026, 10, 19, 8)),
        ("due", at(2026, 10, 26, 8)),
        ("overdue-1", at(2026, 10, 27, 8)),
    ]
    for day in (12, 19, 26):  # weeks 4 and 5 of both; the other school's due day
        assert await tick(bot, clock, at(2026, 10, day, 9)) == (1 if day == 26 else 2)
    # The other school's first overdue chaser: the next one 3 school days on (the default).
    assert await tick(bot, clock, at(2026, 10, 27, 9)) == 1
    assert plan_of(bot, OTHER) == [("overdue-2", at(2026, 10, 30, 8))]
    assert await tick(bot, clock, at(2026, 10, 30, 9)) == 2  # overdue-2, then the key worker told
    assert plan_of(bot, OTHER) == [("overdue-3", at(2026, 11, 4, 8))]
    # The console school's: due Mon 09 Nov, then every 5 school days (its own policy).
    assert plan_of(bot, "console") == [("due", at(2026, 11, 9, 8)), ("overdue-1", at(2026, 11, 10, 8))]
    await tick(bot, clock, at(2026, 11, 9, 9))
    await tick(bot, clock, at(2026, 11, 10, 9))
    assert plan_of(bot, "console") == [("overdue-2", at(2026, 11, 17, 8))]
    texts = [d.text for d in bot.sent_to(user="anna") if "Reminder:" in d.text]
    assert any("TAC-0001 (Robin)" in t and "09 Nov" in t for t in texts)
    assert any("TAC-0001 (Sky)" in t and "26 Oct" in t for t in texts)
