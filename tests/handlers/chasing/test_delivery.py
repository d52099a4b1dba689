"""Delivery: rate limits slow down without losing or doubling; an expired claim is taken back."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from handlers.chasing.delivery import LEASE, run_due
from handlers.clock import ManualClock
from handlers.core import Core
from storage.engine import Database
from storage.models import Reminder
from storage.repo import reminders as reminder_repo
from storage.repo.reminders import claim
from tests.handlers.chasing.fakes import ListPlatform
from tests.handlers.chasing.seed import seed_due

NOW = datetime(2026, 9, 14, 9, 0, tzinfo=UTC)  # Monday 10:00 in London


def fake_core(db: Database, platform: ListPlatform) -> Core:
    return Core(db=db, clock=ManualClock(NOW), platforms={"fake": platform})  # type: ignore[dict-item]


async def test_a_short_rate_limit_waits_and_retries_the_same_message(db: Database) -> None:
    seed_due(db, cases=4, per_case=3, now=NOW)
    platform = ListPlatform(limit_on={2: 1.5, 7: 0.5})
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    stats = await run_due(fake_core(db, platform), now=NOW, sleep=sleep, batch_size=5)
    assert waits == [1.5, 0.5] and stats.rate_limited == 2
    assert stats.sent == 12 and len(platform.sent) == 12 and len(set(platform.sent)) == 12


async def test_a_long_rate_limit_puts_the_rest_back_for_later(db: Database) -> None:
    seed_due(db, cases=2, per_case=5, now=NOW)
    platform = ListPlatform(limit_on={4: 120.0})
    core = fake_core(db, platform)
    first = await run_due(core, now=NOW, sleep=_never)
    assert first.sent == 3 and len(platform.sent) == 3
    again = await run_due(core, now=NOW + timedelta(seconds=60), sleep=_never)
    assert again.sent == 0  # still inside Retry-After
    later = await run_due(core, now=NOW + timedelta(seconds=121), sleep=_never)
    assert later.sent == 7
    assert Counter(platform.sent).most_common(1)[0][1] == 1 and len(platform.sent) == 10
    with db.transaction() as s:
        assert {r.attempts for r in s.scalars(select(Reminder))} == {1}  # the refused try is given back


async def test_a_claim_whose_lease_expired_is_taken_back(db: Database) -> None:
    seed_due(db, cases=2, per_case=2, now=NOW)
    with db.transaction() as s:  # a worker claims the lot, then dies before sending or marking
        ids = claim(s, token="dead", now=NOW, lease=LEASE, limit=100, platforms=["fake"])
    assert len(ids) == 4
    platform = ListPlatform()
    core = fake_core(db, platform)
    assert (await run_due(core, now=NOW + LEASE - timedelta(seconds=1))).sent == 0
    assert (await run_due(core, now=NOW + LEASE + timedelta(seconds=1))).sent == 4
    assert (await run_due(core, now=NOW + 3 * LEASE)).sent == 0
    with db.transaction() as s:
        rows = list(s.scalars(select(Reminder)))
    assert {r.state for r in rows} == {"sent"} and {r.attempts for r in rows} == {2}


async def test_nothing_is_claimed_outside_working_time(db: Database) -> None:
    seed_due(db, cases=1, per_case=2, now=NOW)
    platform = ListPlatform()
    evening = datetime(2026, 9, 14, 17, 30, tzinfo=UTC)
    stats = await run_due(fake_core(db, platform), now=evening)
    assert stats.claimed == 0 and platform.sent == []


async def _never(seconds: float) -> None:
    raise AssertionError("no waiting expected")


async def test_a_school_holiday_holds_reminders_to_the_first_day_back(db: Database) -> None:
    from scheduler.calendar import add_holiday

    seed_due(db, cases=1, per_case=2, now=NOW)
    with db.transaction() as s:
        add_holiday(
            s,
            first_day=NOW.date(),
            last_day=NOW.date() + timedelta(days=4),
            name="INSET",
            school_id=None,
            now=NOW,
        )
    platform = ListPlatform()
    core = fake_core(db, platform)
    stats = await run_due(core, now=NOW)
    assert stats.held == 2 and platform.sent == []
    with db.transaction() as s:
        assert {r.due_at for r in s.scalars(select(Reminder))} == {datetime(2026, 9, 21, 7, 0, tzinfo=UTC)}
    assert (await run_due(core, now=datetime(2026, 9, 21, 7, 0, tzinfo=UTC))).sent == 2


async def test_a_refused_message_is_retried_later_and_given_up_after_5_tries(db: Database) -> None:
    seed_due(db, cases=1, per_case=1, now=NOW)

    class Refusing(ListPlatform):
        async def direct_message(self, *, workspace: str, user_id: str, reply: object) -> None:
            from handlers.platform import PlatformError

            self.calls += 1
            raise PlatformError("Slack said: user_not_found")

    platform = Refusing()
    core = fake_core(db, platform)
    now = NOW
    for attempt in range(1, 6):
        stats = await run_due(core, now=now)
        assert stats.failed == 1 and platform.calls == attempt
        now += timedelta(minutes=10 * attempt)
    with db.transaction() as s:
        [row] = s.scalars(select(Reminder))
    assert row.state == "failed" and row.attempts == 5
    assert (await run_due(core, now=now + timedelta(hours=1))).claimed == 0


async def test_each_batch_is_leased_from_when_it_is_claimed(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow pass never claims rows with a lease that has already run out for other instances."""
    import handlers.chasing.delivery as delivery

    seed_due(db, cases=3, per_case=2, now=NOW)
    elapsed = [0.0]
    monkeypatch.setattr(delivery.time, "monotonic", lambda: elapsed[0])

    class Slow(ListPlatform):
        async def direct_message(self, *, workspace: str, user_id: str, reply: object) -> None:
            elapsed[0] += 100.0  # each message takes 100 s (a platform under heavy rate limits)
            await super().direct_message(workspace=workspace, user_id=user_id, reply=reply)  # type: ignore[arg-type]

    leases: list[datetime] = []
    real_claim = reminder_repo.claim

    def spy(session: object, **kw: object) -> list[int]:
        ids = real_claim(session, **kw)  # type: ignore[arg-type]
        leases.append(kw["now"] + kw["lease"])  # type: ignore[operator]
        return ids

    monkeypatch.setattr(reminder_repo, "claim", spy)
    stats = await run_due(fake_core(db, Slow()), now=NOW, batch_size=2)
    assert stats.sent == 6
    assert leases[1] >= NOW + timedelta(seconds=200) + LEASE  # the second batch started 200 s in
