"""Metrics: reminders due, late, sent and failed; a registry per app; bounded labels."""

from __future__ import annotations

from datetime import timedelta

from aiohttp.test_utils import TestClient, TestServer

from bot.console.session import ConsoleBot
from bot.metrics import command_label
from bot.server import METRICS, make_app
from handlers.chasing.ticks import tick
from handlers.clock import ManualClock
from tests.bot.metrics_read import scrape, value
from tests.handlers.chasing.helpers import at, case_with_action


async def test_reminders_due_lag_and_outcomes(bot: ConsoleBot, clock: ManualClock) -> None:
    await case_with_action(bot, due="2026-09-16")
    app = make_app(bot.core)
    async with TestClient(TestServer(app)) as client:
        _, before = await scrape(client)
        assert value(before, "tacbot_reminders_due") == 0 and value(before, "tacbot_reminders_pending") >= 1
        clock.set(at(2026, 9, 16, 9, 0) + timedelta(minutes=10))  # the due-day chaser went due at 09:00
        _, due = await scrape(client)
        assert value(due, "tacbot_reminders_due") >= 1
        assert value(due, "tacbot_reminders_lag_seconds") >= 600
        stats = await tick(bot.core, app[METRICS].record_run)
        assert stats is not None and stats.sent >= 1
        _, after = await scrape(client)
        assert value(after, "tacbot_reminders_due") == 0 and value(after, "tacbot_reminders_lag_seconds") == 0
        assert value(after, "tacbot_reminders_total", outcome="sent") == stats.sent
        assert value(after, "tacbot_reminders_total", outcome="failed") == 0


async def test_each_app_has_its_own_registry(bot: ConsoleBot) -> None:
    one, two = make_app(bot.core), make_app(bot.core)
    one[METRICS].reminders.labels("sent").inc(3)
    async with TestClient(TestServer(two)) as client:
        _, samples = await scrape(client)
    assert value(samples, "tacbot_reminders_total", outcome="sent") == 0


def test_labels_are_bounded_words_never_text() -> None:
    mention = {"type": "message", "text": "<at>TAC Bot</at> invite <at>Anna</at> educational-psychologist"}
    assert command_label("teams", str(mention).replace("'", '"').encode()) == "invite"
    assert command_label("teams", b'{"type": "message", "text": "Robin is upset"}') == "other"
    assert command_label("teams", b'{"type": "message", "value": {"a": 1}}') == "button"
    assert command_label("teams", b'{"type": "invoke"}') == "invoke"
    assert command_label("teams", b"not json") == "unreadable"
    assert command_label("slack", b"payload=%7B%22type%22%3A%22view_submission%22%7D") == "form"
    assert command_label("slack", b"command=%2Ftac&text=") == "help"
    assert command_label("slack", b'{"type": "event_callback", "event": {"type": "message"}}') == "event"
