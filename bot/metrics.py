"""`GET /metrics` in Prometheus text format: one registry per app (no global collectors), so every app
a test builds has its own.

Labels are bounded words (a platform, a command's keyword, an event type), never anything typed.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Middleware
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from handlers.chasing.delivery import RunStats
from handlers.core import Core
from handlers.grammar.parser import KNOWN
from storage.models import Reminder

PLATFORM_PATHS = {"/slack/events": "slack", "/api/messages": "teams"}
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
SCRAPE_TIMEOUT = 5.0
EVENTS = frozenset(
    {"app_home_opened", "member_left_channel", "member_joined_channel", "app_uninstalled", "tokens_revoked"}
)
ACTIVITIES = frozenset({"invoke", "conversationUpdate", "installationUpdate", "messageReaction"})
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Metrics:
    """The app's registry: requests and ack latency, reminder outcomes, and the queue read at scrape."""

    def __init__(self, core: Core) -> None:
        self.registry = CollectorRegistry()
        self.background: list[Callable[[], int]] = []  # each edge's count of acknowledged work in flight
        self.requests = Counter(
            "tacbot_requests",
            "Platform requests handled, by platform, command and HTTP status",
            ["platform", "command", "status"],
            registry=self.registry,
        )
        self.ack = Histogram(
            "tacbot_ack_seconds",
            "Time from a platform request's arrival to its answer (Slack wants it within 3 s)",
            ["platform", "command"],
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        self.reminders = Counter(
            "tacbot_reminders",
            "Reminders this process claimed, by outcome (sent, cancelled, held, failed, rate_limited)",
            ["outcome"],
            registry=self.registry,
        )
        self.registry.register(QueueCollector(core, background=self.background))

    def record_run(self, stats: RunStats) -> None:
        """Count one `run_due` pass's outcomes (the clock calls this after every tick)."""
        for outcome in ("sent", "cancelled", "held", "failed", "rate_limited"):
            self.reminders.labels(outcome).inc(getattr(stats, outcome))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class QueueCollector(Collector):
    """Read at each scrape, from the shared database (so every instance reports the same queue):
    reminders due and not yet sent, how late the oldest of them is, and all that are waiting."""

    def __init__(self, core: Core, *, background: list[Callable[[], int]]) -> None:
        self._core, self._background = core, background

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self._core.clock.now()
        with self._core.db.transaction() as s:
            pending = Reminder.state == "pending"
            due, oldest = s.execute(
                select(func.count(), func.min(Reminder.due_at)).where(pending, Reminder.due_at <= now)
            ).one()
            waiting = s.scalar(select(func.count()).select_from(Reminder).where(pending)) or 0
        if isinstance(oldest, datetime) and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)  # an aggregate skips the column type's conversion
        yield GaugeMetricFamily("tacbot_reminders_due", "Reminders due now and not yet sent", value=due)
        yield GaugeMetricFamily(
            "tacbot_reminders_lag_seconds",
            "How long the oldest due reminder has waited (0 when none is due)",
            value=(now - oldest).total_seconds() if isinstance(oldest, datetime) else 0.0,
        )
        yield GaugeMetricFamily("tacbot_reminders_pending", "Reminders queued (due or later)", value=waiting)
        yield GaugeMetricFamily(
            "tacbot_background_tasks",
            "Work acknowledged to a platform and still running or queued in this process",
            value=sum(count() for count in self._background),
        )


def measure(metrics: Metrics) -> Middleware:
    """An aiohttp middleware timing each platform request to its answer, labelled by command."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        platform = PLATFORM_PATHS.get(request.path)
        if platform is None or request.method != "POST":
            return await handler(request)
        started = time.perf_counter()
        command = command_label(platform, await request.read())  # aiohttp keeps the body for the handler
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            metrics.requests.labels(platform, command, str(status)).inc()
            metrics.ack.labels(platform, command).observe(time.perf_counter() - started)

    return middleware


def metrics_endpoint(metrics: Metrics) -> Handler:
    """`GET /metrics`: the queue is read from the database off the event loop, with a timeout."""

    async def handler(request: web.Request) -> web.StreamResponse:
        async with asyncio.timeout(SCRAPE_TIMEOUT):
            body = await asyncio.to_thread(metrics.exposition)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    return handler


def command_label(platform: str, body: bytes) -> str:
    """The command's keyword (`status`, `open`...), `button`, `form`, an event type, or `other`."""
    try:
        if platform == "slack":
            return _slack_label(body)
        return _teams_label(json.loads(body))
    except (ValueError, TypeError, AttributeError):
        return "unreadable"


def _slack_label(body: bytes) -> str:
    text = body.decode("utf-8")
    if text.lstrip().startswith("{"):
        envelope: dict[str, Any] = json.loads(text)
        if envelope.get("type") == "event_callback":
            kind = str((envelope.get("event") or {}).get("type", ""))
            return kind if kind in EVENTS else "event"
        return "url_verification" if envelope.get("type") == "url_verification" else "other"
    form = urllib.parse.parse_qs(text)
    if "command" in form:
        return _keyword(form.get("text", [""])[0])
    payload: dict[str, Any] = json.loads(form.get("payload", ["{}"])[0])
    return {"block_actions": "button", "view_submission": "form", "view_closed": "form"}.get(
        str(payload.get("type")), "other"
    )


def _teams_label(activity: dict[str, Any]) -> str:
    kind = str(activity.get("type", ""))
    if kind == "message":
        if activity.get("value") and not activity.get("text"):
            return "button"
        text = str(activity.get("text") or "")
        while "<at>" in text and "</at>" in text:  # the bot's @mention in a channel
            text = text[: text.index("<at>")] + text[text.index("</at>") + 5 :]
        return _keyword(text)
    return kind if kind in ACTIVITIES else "other"


def _keyword(text: str) -> str:
    words = text.lower().split()
    if words and words[0] in ("tac", "/tac"):
        words = words[1:]
    if not words:
        return "help"
    return words[0] if words[0] in KNOWN else "other"
