"""Helpers for reminder tests: set up a case with an action, find a chaser's buttons, read the queue."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.console.platform import Delivery
from bot.console.session import ConsoleBot
from handlers.replies import Button, Buttons
from storage.models import Reminder

LONDON = ZoneInfo("Europe/London")


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    """A London wall-clock instant."""
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


async def case_with_action(bot: ConsoleBot, *, due: str = "2026-09-28", owner: str = "tom") -> None:
    await bot.exec("sam", "/tac open Robin year 4")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room="tac-0001")
    await bot.exec("sam", "/tac invite @tom class-teacher", room="tac-0001")
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room="tac-0001")
    reply = await bot.exec(
        "sam", f'/tac action add "Phonics group for Robin Smith" owner @{owner} due {due}', room="tac-0001"
    )
    assert "Added action 1" in reply, reply


def buttons(delivery: Delivery) -> dict[str, Button]:
    return {
        b.label: b for block in delivery.reply.blocks if isinstance(block, Buttons) for b in block.buttons
    }


def queued(bot: ConsoleBot, *states: str) -> list[Reminder]:
    with bot.core.db.transaction() as s:
        query = select(Reminder).order_by(Reminder.due_at, Reminder.id)
        if states:
            query = query.where(Reminder.state.in_(states))
        return list(s.scalars(query))


def steps(bot: ConsoleBot, *states: str) -> list[str]:
    return [r.step for r in queued(bot, *states)]
