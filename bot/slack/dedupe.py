"""Slack retries an event it thinks we missed (``X-Slack-Retry-Num``): handle each ``event_id`` once."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class SeenEvents:
    """An in-memory TTL set of event ids.

    Slack retries within minutes, to the same Request URL, and only when we failed to ack in 3 s: the
    window is short and the set stays small. Every event handler is also idempotent (a membership already
    inactive stays so, a Home tab republished is the same), so a retry reaching another instance does
    no harm; a database table would buy nothing but a write per event.
    """

    def __init__(self, *, ttl: float = 3600.0, most: int = 50_000, now: Callable[[], float] = time.monotonic):
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._ttl, self._most, self._now = ttl, most, now

    def first_time(self, event_id: str) -> bool:
        """True the first time an id is seen (within the TTL), False for every repeat."""
        now = self._now()
        while self._seen and (
            next(iter(self._seen.values())) < now - self._ttl or len(self._seen) > self._most
        ):
            self._seen.popitem(last=False)
        if event_id in self._seen:
            return False
        self._seen[event_id] = now
        return True
