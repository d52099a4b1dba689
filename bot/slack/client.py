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
from handlers.platform import time_left

Sleep = Callable[[float], Awaitable[None]]

RATE_LIMIT_RETRIES = 8  # a burst of 429s must not lose a message: Slack did nothing, so retry is safe
CONNECTION_RETRIES = 2
LONGEST_WAIT = 120.0
JITTER = 0.1


def _wait(response: HttpResponse) -> float:
    """How long Slack asked us to wait (capped at ``LONGEST_WAIT``)."""
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return min(float(values[0]), LONGEST_WAIT)
            except ValueError:
                return 1.0
    return 1.0


class RateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """Slack's 429 handler: waits ``Retry-After`` (plus a little jitter), with an injectable sleep.

    Inside a call with a budget (``handlers.platform.within``: a reminder's delivery under its lease) a
    wait that would not fit in what is left is not made: the 429 comes back as ``RateLimited`` at once
    and the caller puts the message back for later, instead of outliving the lease.
    """

    def __init__(self, *, max_retry_count: int = RATE_LIMIT_RETRIES, sleep: Sleep = pause) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._sleep = sleep

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not await super()._can_retry_async(state=state, request=request, response=response, error=error):
            return False
        left = time_left()
        return left is None or response is None or _wait(response) + JITTER < left

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
        wait = _wait(response)
        await self._sleep(wait + random.random() * JITTER * min(wait, 1.0))
        state.increment_current_attempt()


def retry_handlers(*, sleep: Sleep = pause) -> list[AsyncRetryHandler]:
    return [AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES), RateLimitRetry(sleep=sleep)]


def web_client(token: str | None, *, base_url: str, sleep: Sleep = pause) -> AsyncWebClient:
    """One client for the bot token (none: across workspaces, where each call gets its workspace's);
    ``base_url`` is SLACK_API_URL (tests point it at a fake Slack)."""
    if not base_url.endswith("/"):
        base_url += "/"
    return AsyncWebClient(token=token, base_url=base_url, retry_handlers=retry_handlers(sleep=sleep))
