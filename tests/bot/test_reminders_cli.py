"""`tacbot calendar ...` and `tacbot reminders run-due`, and the demo showing a chaser answered."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from bot.app import add_sencos
from bot.cli import main
from bot.console.demo import run_demo
from bot.console.platform import ConsolePlatform
from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.core import Core
from storage import migrate
from storage.engine import Database
from tests.handlers.chasing.helpers import at, case_with_action


async def test_demo_shows_a_chaser_answered() -> None:
    out = io.StringIO()
    assert await run_demo(out) == 0
    text = out.getvalue()
    assert "[DM to @tom] TAC Bot:\n        == Reminder: TAC-0001 (Robin) ==" in text
    assert "No more reminders about it." in text and "went wrong" not in text


def test_calendar_holidays_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cal.db'}")
    assert main(["calendar", "holidays"]) == 0
    assert "No school holidays recorded" in capsys.readouterr().out
    assert main(["calendar", "holiday", "add", "2026-10-26", "30/10/2026", "Half", "term"]) == 0
    assert "No reminders from Mon 26 Oct 2026 to Fri 30 Oct 2026" in capsys.readouterr().out
    assert main(["calendar", "holidays"]) == 0
    assert "Mon 26 Oct 2026 - Fri 30 Oct 2026  Half term" in capsys.readouterr().out
    assert main(["calendar", "holiday", "add", "2026-10-30", "2026-10-26"]) == 2
    assert main(["calendar", "holiday", "add", "someday", "2026-10-26"]) == 2


def test_run_due_cli_sends_once_at_the_given_instant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'run.db'}"
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    clock = ManualClock(at(2026, 9, 14, 9, 30))
    platform = ConsolePlatform()
    add_sencos(db, [("console", "sam")], clock=clock, added_by="test")
    bot = ConsoleBot(core=Core(db=db, clock=clock, platforms={"console": platform}), platform=platform)
    asyncio.run(case_with_action(bot))
    db.dispose()
    capsys.readouterr()
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["reminders", "run-due", "--now", "2026-09-24T07:59"]) == 0  # local time, before 08:00
    assert "0 sent" in capsys.readouterr().out
    assert main(["reminders", "run-due", "--now", "2026-09-24T08:00"]) == 0
    out = capsys.readouterr().out
    assert "[DM to @tom] TAC Bot:" in out and "Reminder: TAC-0001 (Robin)" in out and "1 sent" in out
    assert main(["reminders", "run-due", "--now", "2026-09-24T08:00:30+01:00"]) == 0
    assert "0 sent" in capsys.readouterr().out
    assert main(["reminders", "run-due", "--now", "not a time"]) == 2
