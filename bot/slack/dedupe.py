"""Slack retries an event it thinks we missed (``X-Slack-Retry-Num``), perhaps to another instance
behind the load balancer: handle each ``event_id`` once, remembered in the shared database."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from handlers.clock import Clock
from storage.engine import Database
from storage.repo import events

log = logging.getLogger(__name__)

TTL = timedelta(hours=1)  # Slack retries three times within minutes; an hour is ample
TIMEOUT = 2.0  # seconds: the ack is due within 3


class SeenEvents:
    """The event ids handled already, in the ``seen_events`` table every ``serve`` instance shares."""

    def __init__(self, *, db: Database, clock: Clock, ttl: timedelta = TTL, platform: str = "slack") -> None:
        self._db, self._clock, self._ttl, self._platform = db, clock, ttl, platform

    def _claim(self, event_id: str) -> bool:
        with self._db.transaction() as s:
            return events.first_time(
                s, key=f"{self._platform}:{event_id}", now=self._clock.now(), ttl=self._ttl
            )

    async def first_time(self, event_id: str) -> bool:
        """True the first time any instance sees ``event_id`` (within the TTL), False for every repeat.

        Runs off the event loop with a timeout. If the database cannot answer in time the event is
        handled anyway: every event handler is idempotent, and a missed event is worse than a repeat.
        """
        try:
            async with asyncio.timeout(TIMEOUT):
                return await asyncio.to_thread(self._claim, event_id)
        except Exception:
            log.warning("could not check whether event was seen before; handling it", exc_info=True)
            return True
