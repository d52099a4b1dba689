"""`tacbot demo`: a whole case, start to close, through the real handlers and storage, in simulated time."""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.app import add_sencos, build_core, open_database
from bot.console.platform import ConsolePlatform, Delivery
from bot.console.render import render
from bot.console.school import BY_HANDLE, SENCO
from bot.console.session import ConsoleBot
from bot.settings import Settings
from handlers.clock import ManualClock


@dataclass(frozen=True, slots=True)
class Say:
    who: str
    text: str
    room: str | None = None


@dataclass(frozen=True, slots=True)
class Wait:
    delta: timedelta
    why: str


@dataclass(frozen=True, slots=True)
class Run:
    """A step that is not somebody typing (the reminder clock ticking, a form being filled in)."""

    label: str
    action: Callable[[ConsoleBot, ManualClock], Awaitable[None]]


Step = Say | Wait | Run


async def reminder_clock_ticks(bot: ConsoleBot, clock: ManualClock) -> None:
    """One pass of "send what is due" at the demo clock's time, as the clock in `serve` does every 30 s."""
    from scheduler.delivery import run_due

    await run_due(bot.core, now=clock.now())


async def tom_presses_done(bot: ConsoleBot, clock: ManualClock) -> None:
    """Tom answers the chaser in his DMs with its Done button."""
    from handlers.replies import Buttons

    chaser = next(d for d in reversed(bot.sent_to(user="tom")) if "Reminder:" in d.text)
    done = next(
        b
        for block in chaser.reply.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
        if b.label == "Done"
    )
    await bot.press("tom", done.action, done.value)


SCRIPT: list[Step] = [
    Say("sam", "/tac open Robin year 4 route sen-support"),
    Say("sam", '/tac consent given by "Jo Taylor" relationship parent scope all', room="tac-0001"),
    Say("sam", '/tac invite @anna educational-psychologist agency "County EP Service"', room="tac-0001"),
    Say("sam", "/tac invite @tom class-teacher champion", room="tac-0001"),
    Say("sam", "/tac invite @jo parent-carer", room="tac-0001"),
    Say("anna", "/tac define provision"),
    Say("sam", '/tac outcome add "Robin reads a short book aloud to an adult each week"', room="tac-0001"),
    Say(
        "sam",
        '/tac action add "Phonics catch-up group, 3x weekly" owner @tom due in 2 weeks '
        'where "Library" cost "30 min x3 weekly" outcome 1',
        room="tac-0001",
    ),
    Wait(timedelta(days=14), "two weeks pass: the action is due today"),
    Run("The reminder clock ticks: chasers due now go out (working hours, school day)", reminder_clock_ticks),
    Wait(timedelta(days=2), "two more days pass"),
    Say("tom", "/tac status", room="tac-0001"),
    Run("The reminder clock ticks: the action is a school day overdue", reminder_clock_ticks),
    Run("@tom presses [Done] on the chaser", tom_presses_done),
    Say("sam", "/tac plan", room="tac-0001"),
    Say("sam", "/tac team", room="tac-0001"),
    Say("dan", "/tac status case TAC-0001"),
    Say(
        "sam", '/tac close reason "Targets met; support continues through the class teacher"', room="tac-0001"
    ),
]


def _when(clock: ManualClock, settings: Settings) -> str:
    return clock.now().astimezone(settings.tz).strftime("%a %d %b %Y %H:%M")


async def run_demo(out: TextIO, *, script: list[Step] | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="tacbot-demo-") as tmp:
        settings = Settings(DATABASE_URL=f"sqlite:///{Path(tmp) / 'demo.db'}", TACBOT_SENCOS="")
        clock = ManualClock(datetime(2026, 9, 14, 8, 30, tzinfo=UTC))

        def show(delivery: Delivery) -> None:
            where = f"#{delivery.room}" if delivery.room else f"DM to @{delivery.user}"
            out.write(f"    [{where}] TAC Bot:\n{_indent(delivery.text, 8)}\n")

        platform = ConsolePlatform(on_delivery=show)
        db = open_database(settings)
        try:
            core = build_core(settings, db=db, clock=clock, platforms={"console": platform})
            add_sencos(db, [("console", SENCO)], clock=clock, added_by="demo")
            bot = ConsoleBot(core=core, platform=platform)
            out.write(
                f"TAC Bot demo: one case, start to close, in simulated time ({_when(clock, settings)}).\n"
            )
            for step in script or SCRIPT:
                if isinstance(step, Wait):
                    clock.advance(step.delta)
                    out.write(f"\n--- {step.why}: now {_when(clock, settings)} ---\n")
                elif isinstance(step, Run):
                    out.write(f"\n* {step.label}\n")
                    seen = len(bot.replies)
                    await step.action(bot, clock)
                    for who, answer in bot.replies[seen:]:
                        out.write(f"    (reply, only to @{who}):\n{_indent(render(answer), 8)}\n")
                else:
                    where = f"#{step.room}" if step.room else "DM"
                    out.write(f"\n{BY_HANDLE[step.who].name} (@{step.who}, {where}): {step.text}\n")
                    text = await bot.exec(step.who, step.text, room=step.room)
                    out.write(f"    (reply, only to @{step.who}):\n{_indent(text, 8)}\n")
                clock.advance(timedelta(minutes=5))
            out.write("\nDemo finished.\n")
        finally:
            db.dispose()
    return 0


def _indent(text: str, n: int) -> str:
    return "\n".join(" " * n + line for line in text.splitlines())
