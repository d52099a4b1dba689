"""Small pieces of the Slack edge: event de-duplication and long answers along a response_url."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.slack_response import SlackResponse
from sqlalchemy import select

from bot.slack.background import Background, pause
from bot.slack.dedupe import SeenEvents
from bot.slack.platform import failure
from bot.slack.respond import RESPONSE_URL_USES, answer
from handlers.clock import ManualClock
from handlers.platform import RateLimited
from handlers.replies import Bullets, reply
from storage.engine import Database
from storage.models import SeenEvent


async def test_an_event_id_counts_once_within_its_ttl(db: Database, clock: ManualClock) -> None:
    seen = SeenEvents(db=db, clock=clock, ttl=timedelta(minutes=1))
    assert await seen.first_time("Ev1") and not await seen.first_time("Ev1")
    assert await seen.first_time("Ev2")
    assert await SeenEvents(db=db, clock=clock, platform="teams").first_time("Ev1")  # its own ids
    clock.advance(timedelta(seconds=61))
    assert await seen.first_time("Ev1")  # expired: Slack stops retrying long before this
    with db.transaction() as s:  # expired rows are swept as new ones come
        assert s.scalars(select(SeenEvent.key).order_by(SeenEvent.key)).all() == ["slack:Ev1", "teams:Ev1"]


class Recorder:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send(self, **kwargs: Any) -> None:
        self.sent.append(kwargs)


async def test_a_very_long_answer_uses_the_response_url_at_most_five_times() -> None:
    huge = reply(Bullets(tuple((f"item {i} " + "x" * 2900,) for i in range(400))), summary="long")
    recorder = Recorder()
    await answer(recorder, huge)  # type: ignore[arg-type]
    assert len(recorder.sent) == RESPONSE_URL_USES
    assert "did not fit" in recorder.sent[-1]["text"]
    assert all(m["response_type"] == "ephemeral" and m["replace_original"] is False for m in recorder.sent)


async def test_a_job_waiting_out_a_rate_limit_lets_the_next_one_run() -> None:
    background, order = Background(limit=1), []
    gate = asyncio.Event()

    async def waits() -> None:
        order.append("first starts")
        await pause(0)  # gives the only slot up while "sleeping"
        await gate.wait()
        order.append("first ends")

    async def quick() -> None:
        order.append("second runs")
        gate.set()

    background.spawn(waits(), name="waits")
    background.spawn(quick(), name="quick")
    await background.drain()
    assert order == ["first starts", "second runs", "first ends"]


def _refusal(status: int, error: str, headers: dict[str, str]) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": error},
        headers=headers,
        status_code=status,
    )
    return SlackApiError("refused", response)


def test_a_429_that_outlasts_the_retries_is_rate_limited_only_if_nothing_went() -> None:
    limited = failure(_refusal(429, "ratelimited", {"retry-after": "7"}), "post the message")
    assert isinstance(limited, RateLimited) and limited.retry_after == 7.0
    unsaid = failure(_refusal(429, "ratelimited", {}), "post the message")
    assert isinstance(unsaid, RateLimited) and unsaid.retry_after == 30.0
    partial = failure(_refusal(429, "ratelimited", {"Retry-After": "7"}), "post", nothing_sent=False)
    assert not isinstance(partial, RateLimited) and "busy" in partial.message  # a retry would repeat
    refused = failure(_refusal(200, "channel_not_found", {}), "post the message")
    assert not isinstance(refused, RateLimited) and "no longer exists" in refused.message
