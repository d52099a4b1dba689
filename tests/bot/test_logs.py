"""`TACBOT_LOG_FORMAT=json`: one JSON object a line, and an exception's message (which may quote data)
never reaches the log."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from bot.console.session import ConsoleBot
from bot.logs import configure_logging
from bot.settings import Settings
from handlers.chasing.ticks import tick
from handlers.clock import ManualClock
from tests.handlers.chasing.helpers import at, case_with_action


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def lines(err: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in err.splitlines() if line.strip()]


async def test_json_lines_from_a_reminder_pass(
    bot: ConsoleBot, clock: ManualClock, capsys: pytest.CaptureFixture[str], root_logging: None
) -> None:
    await case_with_action(bot, due="2026-09-16")
    clock.set(at(2026, 9, 16, 9, 30))
    configure_logging(fmt=Settings(TACBOT_LOG_FORMAT="JSON").log_format, level=logging.INFO)
    await tick(bot.core)
    entries = lines(capsys.readouterr().err)
    assert any(e["logger"] == "handlers.chasing.ticks" and "sent" in str(e["message"]) for e in entries)
    assert all({"time", "level", "logger", "message"} <= e.keys() for e in entries)
    assert not any("Robin" in json.dumps(e) for e in entries)


def test_an_exception_is_its_type_and_stack_not_its_message(
    capsys: pytest.CaptureFixture[str], root_logging: None
) -> None:
    configure_logging(fmt="json", level=logging.INFO)
    try:
        raise ValueError("duplicate key: alias 'Robin Smith'")
    except ValueError:
        logging.getLogger("tacbot.test").exception("saving the case failed")
    (entry,) = lines(capsys.readouterr().err)
    assert entry["message"] == "saving the case failed" and entry["level"] == "ERROR"
    assert entry["exception"] == "ValueError" and "test_logs.py" in str(entry["stack"])
    assert "Robin" not in json.dumps(entry)


def test_text_is_the_default_and_other_formats_are_refused() -> None:
    assert Settings().log_format == "text"
    with pytest.raises(ValueError):
        Settings(TACBOT_LOG_FORMAT="xml")
