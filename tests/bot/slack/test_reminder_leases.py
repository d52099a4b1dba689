"""Chasers under Slack's rate limits, through the real Slack client: a call never outlasts its lease.

Slack's 429 handler used to wait out Retry-After up to 8 times (120 s each), so one DM could outlast the
5-minute lease: another instance took the reminder back and sent it too. Here the lease is shortened to
30 s and another instance runs while the first one would be waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.slack.client import web_client
from bot.slack.platform import SlackPlatform
from handlers.chasing.delivery import RunStats, run_due
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.platform import NoAnswer, RateLimited, within
from handlers.replies import Reply
from storage.engine import Database
from storage.models import Reminder
from tests.bot.slack.test_slack_http import open_case
from tests.fakes.slack_api import TOKEN
from tests.fakes.slack_driver import SlackDriver
from tests.handlers.chasing.helpers import at

SHORT = timedelta(seconds=30)
START = at(2026, 9, 28, 9)  # the actions are due that Monday: their chasers go out at 09:00


async def actions_for(slack: SlackDriver, *owners: str) -> None:
    room = await open_case(slack)
    await slack.command("U0SAM", 'consent given by "Mrs Smith" relationship parent scope all', channel=room)
    for n, owner in enumerate(owners, start=1):
        await slack.command("U0SAM", f"invite <@{owner}|p{n}> class-teacher", channel=room)
        await slack.command(
            "U0SAM", f'action add "Task {n}" owner <@{owner}|p{n}> due 2026-09-28', channel=room
        )


def chasers(slack: SlackDriver, user: str) -> list[str]:
    return [
        t for m in slack.fake.posts_to(f"D{user}") if "Reminder: TAC-0001" in (t := slack.fake.texts([m]))
    ]


def rows(db: Database) -> list[Reminder]:
    with db.transaction() as s:
        return list(s.scalars(select(Reminder).where(Reminder.step == "due").order_by(Reminder.id)))


async def test_a_long_retry_after_never_keeps_a_dm_past_its_lease_so_nobody_gets_two(
    slack: SlackDriver, clock: ManualClock, db: Database
) -> None:
    await actions_for(slack, "U0TOM")
    clock.set(START)
    elsewhere: list[RunStats] = []

    async def meanwhile(seconds: float) -> None:
        """While this instance waits out Slack's Retry-After, another one runs after its lease ended."""
        elsewhere.append(await run_due(slack.core, now=START + SHORT + timedelta(seconds=1), lease=SHORT))

    first = Core(
        db=db,
        clock=clock,
        platforms={"slack": SlackPlatform(web_client(TOKEN, base_url=slack.fake.api_url, sleep=meanwhile))},
    )
    slack.fake.rate_limited, slack.fake.retry_after = 1, "60"
    await run_due(first, now=START, lease=SHORT)
    for later in (SHORT + timedelta(seconds=1), timedelta(seconds=61), timedelta(minutes=5)):
        await run_due(slack.core, now=START + later, lease=SHORT)
    assert len(chasers(slack, "U0TOM")) == 1
    (row,) = rows(db)
    assert row.state == "sent" and row.attempts == 1  # the refused try was given back


async def test_the_rest_of_a_rate_limited_batch_goes_back_to_the_queue_and_goes_once(
    slack: SlackDriver, clock: ManualClock, db: Database, slept: list[float]
) -> None:
    await actions_for(slack, "U0TOM", "U0ANNA", "U0PRIYA")
    clock.set(START)
    slack.fake.rate_limited, slack.fake.retry_after = 1, "90"  # longer than a call may take
    stats = await run_due(slack.core, now=START, lease=SHORT)
    assert stats.sent == 0 and stats.rate_limited == 1 and slept == []  # nobody waited 90 s
    assert {(r.state, r.due_at, r.attempts) for r in rows(db)} == {
        ("pending", START + timedelta(seconds=90), 0)
    }
    assert (await run_due(slack.core, now=START + timedelta(seconds=60), lease=SHORT)).sent == 0
    assert (await run_due(slack.core, now=START + timedelta(seconds=91), lease=SHORT)).sent == 3
    assert [len(chasers(slack, u)) for u in ("U0TOM", "U0ANNA", "U0PRIYA")] == [1, 1, 1]
    assert {r.state for r in rows(db)} == {"sent"}


async def test_slack_waits_out_a_retry_after_only_when_it_fits_in_the_call_budget(
    slack: SlackDriver, slept: list[float]
) -> None:
    platform = slack.core.platform("slack")

    def hello() -> Awaitable[None]:
        return platform.direct_message(workspace="T0001", user_id="U0TOM", reply=Reply(summary="hello"))

    slack.fake.rate_limited, slack.fake.retry_after = 1, "5"
    await within(10, hello())  # 5 s fits in 10: Slack's handler waits and retries
    assert len(slept) == 1 and 5.0 <= slept[0] < 5.2 and len(slack.fake.posts_to("DU0TOM")) == 1
    slack.fake.rate_limited, slack.fake.retry_after = 1, "20"
    with pytest.raises(RateLimited) as refused:
        await within(10, hello())  # 20 s does not: no wait, the caller is told to come back later
    assert refused.value.retry_after == 20.0 and len(slept) == 1 and len(slack.fake.posts_to("DU0TOM")) == 1
    slack.fake.rate_limited = 1
    await hello()  # with no budget (the answer to a command) the 429 is still waited out
    assert len(slept) == 2 and slept[1] >= 20.0 and len(slack.fake.posts_to("DU0TOM")) == 2


async def test_a_call_still_running_when_its_budget_ends_is_cut_off(slack: SlackDriver) -> None:
    platform = slack.core.platform("slack")
    slack.fake.hold = asyncio.Event()  # Slack's Web API stalls
    with pytest.raises(NoAnswer):
        await within(
            0.2, platform.direct_message(workspace="T0001", user_id="U0TOM", reply=Reply(summary="x"))
        )
    slack.fake.hold.set()
    assert slack.fake.posts_to("DU0TOM") == []
