"""Bare `review record`: the key worker gets the internal `review-record` form; submitting it records the
meeting as the one-line command does (minutes, each owner their actions, the next review fixed)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.console.forms import form_request_ids
from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.forms import api
from storage.models import AuditEvent, InputRequest, Review
from tests.bot.console.test_reviews import event, invitations, team
from tests.bot.console.test_use_cases import count

pytestmark = pytest.mark.asyncio
LONDON = ZoneInfo("Europe/London")


async def _meeting(bot: ConsoleBot, clock: ManualClock) -> str:
    room = await team(bot)
    await bot.exec("sam", '/tac outcome add "Robin reads 20 words by July"', room=room)
    await bot.exec("sam", '/tac action add "Observe in class" owner @anna due 30/10/2026', room=room)
    await bot.exec("sam", "/tac review on 20/10/2026 at 14:30", room=room)
    clock.set(datetime(2026, 10, 20, 15, 30, tzinfo=LONDON))
    return room


async def _open(bot: ConsoleBot, room: str) -> str:
    reply = await bot.exec("sam", "/tac review record", room=room)
    assert "Record the review meeting of" in reply
    ids = form_request_ids([bot.replies[-1][1]])
    assert len(ids) == 1
    return ids[0]


def _team_ids(bot: ConsoleBot, rid: str) -> dict[str, str]:
    field = api.open_form(bot.core, bot.actor("sam"), rid).form.field("attendees")
    assert field is not None
    return {o.label: o.value for o in field.choices}


async def test_bare_review_record_opens_the_form_and_its_submission_records_the_meeting(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    room = await _meeting(bot, clock)
    rid = await _open(bot, room)
    assert rid == await _open(bot, room)  # asked again: the same open form, not a second request
    team_ids = _team_ids(bot, rid)
    assert len(team_ids) == 3  # the current team: sam, tom, anna
    picked = [v for label, v in team_ids.items() if "tom" in label.lower() or "anna" in label.lower()]
    assert len(picked) == 2
    answers: dict[str, object] = {
        "attendees": picked,
        "decided": "Keep the phonics group <!channel>",
        "changes": "Action 2 added",
        "next_date": "2026-12-15",
        "next_time": "25:00",
    }
    assert "Time of the next review: Enter a time" in await bot.fill_form(
        "sam", rid, answers
    )  # not a time: nothing stored
    answers["next_date"] = "2026-09-01"
    assert "in the past" in await bot.fill_form("sam", rid, {**answers, "next_time": "9:15"})
    with bot.core.db.transaction() as s:
        assert [r.status for r in s.query(Review).order_by(Review.number)] == ["scheduled"]
    text = await bot.fill_form("sam", rid, {**answers, "next_date": "2026-12-15", "next_time": "09:15"})
    assert "is submitted" in text
    minutes = [d.text for d in bot.sent_to(room=room) if "Decided" in d.text][-1]
    assert "Attendees: @tom, @anna" in minutes or "Attendees: @anna, @tom" in minutes
    assert "Keep the phonics group" in minutes
    assert "Action 2 added" in minutes and "Tue 15 Dec 2026 at 09:15" in minutes
    assert not [d for d in bot.sent_to(room=room) if "Record of the review meeting" in d.text]
    assert "Observe in class" in next(d.text for d in bot.sent_to(user="anna") if "Your actions" in d.text)
    nxt = event(invitations(bot, "tom")[-1])
    assert nxt.decoded("dtstart") == datetime(2026, 12, 15, 9, 15, tzinfo=LONDON)
    with bot.core.db.transaction() as s:
        reviews = list(s.query(Review).order_by(Review.number))
        assert [r.status for r in reviews] == ["held", "scheduled"]
        assert reviews[0].decided == "Keep the phonics group <!channel>"
        assert {str(i) for i in reviews[0].attendee_ids or []} == set(picked)
        assert s.query(InputRequest).one().state != "open"
    assert "Next review: Tue 15 Dec 2026 at 09:15" in await bot.exec("tom", "/tac review", room=room)
    again = await bot.fill_form("sam", rid, {**answers, "next_date": "2027-01-15", "next_time": "09:15"})
    assert "already recorded" in again
    with bot.core.db.transaction() as s:
        assert [r.status for r in s.query(Review).order_by(Review.number)] == ["held", "scheduled"]
    kept = await bot.exec("sam", "/tac input 1", room=room)  # the record is kept, with names
    assert "Keep the phonics group" in kept
    assert all(label in kept for label, v in team_ids.items() if v in picked)


async def test_the_form_without_a_next_date_leaves_the_next_review_open(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    room = await _meeting(bot, clock)
    rid = await _open(bot, room)
    assert "Date of the next review: Give the date" in await bot.fill_form(
        "sam", rid, {"decided": "Carry on", "next_time": "10:00"}
    )
    assert "is submitted" in await bot.fill_form("sam", rid, {"decided": "Carry on"})
    minutes = [d.text for d in bot.sent_to(room=room) if "Decided" in d.text][-1]
    assert "Attendees: not recorded" in minutes and "not set yet" in minutes


async def test_only_the_key_worker_and_only_with_a_meeting(bot: ConsoleBot, clock: ManualClock) -> None:
    room = await team(bot)
    before = count(bot, AuditEvent)
    assert "Only the key worker" in await bot.exec("tom", "/tac review record", room=room)
    assert "no review meeting" in await bot.exec("sam", "/tac review record", room=room)
    assert count(bot, AuditEvent) == before
    await bot.exec("sam", "/tac review on 20/10/2026 at 14:30", room=room)
    early = await bot.exec("sam", "/tac review record", room=room)
    assert "The review meeting is on Tue 20 Oct 2026 at 14:30: record it once it has started." in early
    assert "is on Tue 20 Oct" in await bot.exec("sam", '/tac review record decided "x"', room=room)
    assert count(bot, AuditEvent) == before + 1  # only the meeting being fixed
    clock.set(datetime(2026, 10, 20, 14, 30, tzinfo=LONDON))
    rid = await _open(bot, room)
    assert "not sent to you" in await bot.fill_form("tom", rid, {"decided": "Mine now"})


async def test_the_form_is_internal_not_listed_nor_requested(bot: ConsoleBot) -> None:
    room = await team(bot)
    listed = await bot.exec("sam", "/tac forms", room=room)
    assert "ep-advice" in listed and "review-record" not in listed
    refused = await bot.exec("sam", "/tac request review-record from @tom", room=room)
    assert "type review record" in refused
    with bot.core.db.transaction() as s:
        assert s.query(InputRequest).count() == 0


async def test_the_form_is_not_chased_and_a_stale_one_cannot_record_the_next_meeting(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    from handlers.chasing.delivery import run_due

    room = await _meeting(bot, clock)
    rid = await _open(bot, room)
    await run_due(bot.core, now=clock.now())
    chasers = [d for d in bot.sent_to(user="sam") if "Record of the review meeting" in d.text]
    assert chasers == []  # the key worker is not chased about the form they just opened
    await bot.exec("sam", '/tac review record decided "Carry on" next 15/12/2026 at 09:15', room=room)
    stale = await bot.fill_form("sam", rid, {"decided": "Stale form"})
    assert "cancelled" in stale
    with bot.core.db.transaction() as s:
        from sqlalchemy import select

        held = [r.decided for r in s.scalars(select(Review).where(Review.status == "held"))]
    assert held == ["Carry on"]
