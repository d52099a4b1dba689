"""`GET /metrics` counts Slack requests and their ack latency by command, and never shows what was typed."""

from __future__ import annotations

from tests.bot.metrics_read import scrape, value
from tests.fakes.slack_driver import SlackDriver


async def test_requests_and_ack_latency_by_command(slack: SlackDriver) -> None:
    assert await slack.command("U0SAM", "open Robin Smith year 4") == 200
    assert await slack.command("U0SAM", "status case TAC-0001") == 200
    assert await slack.command("U0SAM", "status case TAC-0001") == 200
    assert await slack.command("U0SAM", "Robin Smith is struggling") == 200  # no such command
    home = {"type": "app_home_opened", "user": "U0SAM", "channel": "D0SAM", "tab": "home", "event_ts": "1.2"}
    await slack.event(home, event_id="EvM1")
    text, samples = await scrape(slack.client)
    ok = {"platform": "slack", "status": "200"}
    assert value(samples, "tacbot_requests_total", command="status", **ok) == 2
    assert value(samples, "tacbot_requests_total", command="open", **ok) == 1
    assert value(samples, "tacbot_requests_total", command="other", **ok) == 1
    assert value(samples, "tacbot_requests_total", command="app_home_opened", **ok) == 1
    assert value(samples, "tacbot_ack_seconds_count", platform="slack", command="status") == 2
    assert value(samples, "tacbot_ack_seconds_bucket", platform="slack", command="status", le="3.0") == 2
    assert value(samples, "tacbot_background_tasks") == 0  # all drained
    assert "Robin" not in text and "Smith" not in text and "TAC-0001" not in text


async def test_an_unsigned_request_is_counted_as_refused(slack: SlackDriver) -> None:
    response = await slack.client.post(
        "/slack/events",
        data=b"command=%2Ftac&text=status",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 401
    _, samples = await scrape(slack.client)
    assert value(samples, "tacbot_requests_total", platform="slack", command="status", status="401") == 1
