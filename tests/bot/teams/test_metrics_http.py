"""`GET /metrics` counts Teams requests and their latency by command, and never shows what was typed."""

from __future__ import annotations

from tests.bot.metrics_read import scrape, value
from tests.bot.teams.conftest import TeamsHarness


async def test_teams_requests_by_command(teams: TeamsHarness) -> None:
    await teams.say("sam", "open Robin year 4")
    await teams.say("sam", "tac status case TAC-0001")
    text, samples = await scrape(teams.client)
    assert (
        value(samples, "tacbot_requests_total", platform="teams", command="open", status="200")
        + value(samples, "tacbot_requests_total", platform="teams", command="open", status="201")
        == 1
    )
    assert value(samples, "tacbot_ack_seconds_count", platform="teams", command="status") == 1
    assert "Robin" not in text
