"""The Slack Web API client: SLACK_API_URL as base, Slack's rate-limit and connection retries."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.background import pause

Sleep = Callable[[float], Awaitable[None]]

RATE_LIMIT_RETRIES = 8  # a burst of 429s must not lose a message: Slack did nothing, so retry is safe
CONNECTION_RETRIES = 2
LONGEST_WAIT = 120.0


class RateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """Slack's 429 handler: waits ``Retry-After`` (plus a little jitter), with an injectable sleep."""

    def __init__(self, *, max_retry_count: int = RATE_LIMIT_RETRIES, sleep: Sleep = pause) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._sleep = sleep

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error or RuntimeError("rate-limit retry without a response")
        state.next_attempt_requested = True
        wait = 1.0
        for name, values in response.headers.items():
            if name.lower() == "retry-after" and values:
                try:
                    wait = float(values[0])
                except ValueError:
                    wait = 1.0
        await self._sleep(min(wait, LONGEST_WAIT) + random.random() * 0.1 * min(wait, 1.0))
        state.increment_current_attempt()


def retry_handlers(*, sleep: Sleep = pause) -> list[AsyncRetryHandler]:
    return [AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES), RateLimitRetry(sleep=sleep)]


def web_client(token: str, *, base_url: str, sleep: Sleep = pause) -> AsyncWebClient:
    """One client for the bot token; ``base_url`` is SLACK_API_URL (tests point it at a fake Slack)."""
    if not base_url.endswith("/"):
        base_url += "/"
    return AsyncWebClient(token=token, base_url=base_url, retry_handlers=retry_handlers(sleep=sleep))
