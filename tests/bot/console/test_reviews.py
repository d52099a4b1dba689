"""Review meetings through the console: invitations (.ics), polls, the minutes, the pack's timing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.reviews.pack import post_due_packs
from handlers.reviews.poll import chase_poll
from scheduler.steps import pack_due_at
from storage.models import AuditEvent, Review, ReviewAnswer
from tests.bot.console.test_use_cases import count

pytestmark = pytest.mark.asyncio
ROOM = "tac-0001"
LONDON = ZoneInfo("Europe/London")


async def team(bot: ConsoleBot, route: str = "sen-support") -> str:
    await bot.exec("sam", f"/tac open Robin year 4 route {route}")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room=ROOM)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=ROOM)
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room=ROOM)
    return ROOM


def invitations(bot: ConsoleBot, user: str) -> list[Calendar]:
    return [
        Calendar.from_ical(content)
        for d in bot.sent_to(user=user)
        for name, content in d.files
        if name.endswith(".ics")
    ]


def event(cal: Calendar):  # type: ignore[no-untyped-def]
    return cal.walk("VEVENT")[0]


async def test_invitations_follow_the_meeting_across_the_clock_change(bot: ConsoleBot) -> None:
    room = await team(bot)
    reply = await bot.exec("sam", '/tac review on 20/10/2026 at 14:30 where "Meeting room 2"', room=room)
    assert "Invitations (.ics) sent to 3 members" in reply
    assert "Tue 20 Oct 2026 at 14:30" in bot.sent_to(room=room)[-1].text
    first = event(invitations(bot, "anna")[0])
    assert invitations(bot, "tom") and invitations(bot, "sam")
    assert first.decoded("dtstart") == datetime(2026, 10, 20, 14, 30, tzinfo=LONDON)
    assert first.decoded("dtstart").astimezone(UTC).hour == 13  # BST
    assert first["dtstart"].params["TZID"] == "Europe/London"
    assert first["location"] == "Meeting room 2" and first["sequence"] == 0
    assert "Robin" not in invitations(bot, "anna")[0].to_ical().decode()

    reply = await bot.exec("sam", "/tac review on 27/10/2026 at 14:30", room=room)
    assert "moved" in reply
    cal = invitations(bot, "anna")[-1]
    moved = event(cal)
    assert moved["uid"] == first["uid"] and moved["sequence"] == 1
    assert moved.decoded("dtstart").astimezone(LONDON).hour == 14
    assert moved.decoded("dtstart").astimezone(UTC).hour == 14  # GMT after 25 Oct
    assert moved["location"] == "Meeting room 2"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    assert "already fixed" in await bot.exec("sam", "/tac review on 27/10/2026 at 14:30", room=room)
    assert "Next review: Tue 27 Oct 2026 at 14:30, Meeting room 2" in await bot.exec(
        "tom", "/tac status", room=room
    )

    assert "Cancelled" in await bot.exec("sam", "/tac review cancel", room=room)
    cancelled = invitations(bot, "tom")[-1]
    assert cancelled["method"] == "CANCEL"
    assert event(cancelled)["uid"] == first["uid"] and event(cancelled)["status"] == "CANCELLED"
    assert event(cancelled)["sequence"] == 2


async def test_a_poll_with_late_and_changed_answers(bot: ConsoleBot, clock: ManualClock) -> None:
    room = await team(bot)
    reply = await bot.exec("sam", "/tac review poll 20/10 14:30, 22/10 09:00, 3/11 15:45", room=room)
    assert "Asked 3 members which of the 3 slots" in reply
    poll = bot.sent_to(user="tom")[-1]
    assert "[Can]  [Can't]  [Maybe]" in poll.text and "3. Tue 03 Nov 2026 at 15:45" in poll.text
    review_id = next(b.buttons[0].value.split(":")[0] for b in poll.reply.blocks if hasattr(b, "buttons"))
    assert "you can make slot 1." in await bot.press("tom", "poll.can", f"{review_id}:1")
    changed = await bot.press("tom", "poll.cannot", f"{review_id}:1")
    assert "can't make slot 1. Tue 20 Oct 2026 at 14:30 (changed from can make)" in changed
    for n in (2, 3):
        await bot.press("tom", "poll.can", f"{review_id}:{n}")
    await bot.press("anna", "poll.maybe", f"{review_id}:2")
    assert count(bot, ReviewAnswer) == 4

    tally = await bot.exec("sam", "/tac review poll", room=room)
    assert "1 of 3 answered" in tally and "can't: @tom" in tally and "Not answered yet: @sam, @anna" in tally
    seen = await bot.exec("anna", "/tac review", room=room)
    assert "@tom" not in seen and "[Can]  [Can't]  [Maybe]" in seen  # counts only; and buttons to answer

    clock.advance(timedelta(days=3))
    assert await chase_poll(bot.core, int(review_id)) == 2
    assert "waiting for your answer" in bot.sent_to(user="anna")[-1].reply.summary
    assert await chase_poll(bot.core, int(review_id)) == 0  # once

    for n in (1, 2, 3):
        await bot.press("sam", "poll.can", f"{review_id}:{n}")
        await bot.press("anna", "poll.can", f"{review_id}:{n}")
    assert "Everyone has answered" in bot.sent_to(user="sam")[-1].reply.summary
    assert "Review meeting fixed: Thu 22 Oct 2026 at 09:00" in await bot.exec(
        "sam", "/tac review pick 2", room=room
    )
    assert event(invitations(bot, "anna")[-1]).decoded("dtstart") == datetime(
        2026, 10, 22, 9, 0, tzinfo=LONDON
    )

    late = await bot.press("tom", "poll.maybe", f"{review_id}:1")
    assert "already fixed: Thu 22 Oct 2026 at 09:00" in late
    assert count(bot, ReviewAnswer) == 9
    assert "Next review: Thu 22 Oct 2026 at 09:00" in await bot.exec("tom", "/tac plan", room=room)
    assert "not one you can answer" in await bot.press("dan", "poll.can", f"{review_id}:1")


async def test_record_sends_minutes_actions_and_the_next_invitation(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    room = await team(bot)
    await bot.exec("sam", '/tac action add "Observe in class" owner @anna due 30/10/2026', room=room)
    await bot.exec("sam", '/tac action add "Reading diary" owner @tom due 30/10/2026', room=room)
    await bot.exec("sam", "/tac review on 20/10/2026 at 14:30", room=room)
    clock.set(datetime(2026, 10, 20, 15, 30, tzinfo=LONDON))
    reply = await bot.exec(
        "sam",
        '/tac review record attendees @sam @tom @anna decided "Keep the phonics group" '
        'changes "Action 2 added" next 15/12/2026',
        room=room,
    )
    assert "Recorded the review" in reply and "Next review: Tue 15 Dec 2026 at 14:30" in reply
    minutes = [d.text for d in bot.sent_to(room=room) if "Decided" in d.text][-1]
    assert "Attendees: @sam, @tom, @anna" in minutes and "Keep the phonics group" in minutes
    assert (
        "Your actions" in bot.sent_to(user="anna")[-2].text
        and "Observe in class" in bot.sent_to(user="anna")[-2].text
    )
    nxt = event(invitations(bot, "tom")[-1])
    assert nxt.decoded("dtstart") == datetime(2026, 12, 15, 14, 30, tzinfo=LONDON)
    with bot.core.db.transaction() as s:
        statuses = [r.status for r in s.query(Review).order_by(Review.number)]
    assert statuses == ["held", "scheduled"]
    shown = await bot.exec("tom", "/tac review", room=room)
    assert "Next review: Tue 15 Dec 2026 at 14:30" in shown and "Last review" in shown


async def test_the_pack_goes_out_on_time(bot: ConsoleBot, clock: ManualClock) -> None:
    await bot.exec("sam", "/tac open Ash route annual-review")
    await bot.exec("sam", "/tac open Robin route sen-support")
    await bot.exec("sam", '/tac outcome add "Ash joins a club by July"', room="tac-0001")
    await bot.exec("sam", "/tac review on 10/11/2026 at 09:00", room="tac-0001")
    await bot.exec("sam", "/tac review on 10/11/2026 at 09:00", room="tac-0002")
    meeting = datetime(2026, 11, 10, 9, 0, tzinfo=LONDON)
    assert pack_due_at(route="annual-review", starts_at=meeting, tz=LONDON) == datetime(
        2026, 10, 27, 8, 0, tzinfo=LONDON
    )
    clock.set(datetime(2026, 10, 27, 7, 59, tzinfo=LONDON))
    assert await post_due_packs(bot.core) == []
    clock.set(datetime(2026, 10, 27, 8, 0, tzinfo=LONDON))
    posted = await post_due_packs(bot.core)
    assert len(posted) == 1
    pack = bot.sent_to(room="tac-0001")[-1].text
    assert "Pack for the review meeting, Tue 10 Nov 2026 at 09:00" in pack and "Ash joins a club" in pack
    assert await post_due_packs(bot.core) == []  # once
    clock.set(datetime(2026, 11, 3, 8, 0, tzinfo=LONDON))  # 1 week before, for SEN support
    assert len(await post_due_packs(bot.core)) == 1
    assert "Pack for the review" in bot.sent_to(room="tac-0002")[-1].text


async def test_only_the_key_worker_arranges_reviews(bot: ConsoleBot) -> None:
    room = await team(bot)
    before = count(bot, AuditEvent)
    for command in (
        "review on 20/10 at 14:30",
        "review poll 20/10 14:30",
        "review pick 1",
        "review cancel",
        'review record decided "x"',
    ):
        assert "Only the key worker" in await bot.exec("tom", f"/tac {command}", room=room), command
    assert count(bot, AuditEvent) == before
    assert "in the past" in await bot.exec("sam", "/tac review on 2026-09-01 at 10:00", room=room)
    assert "can't find" in await bot.exec("dan", "/tac review case TAC-0001")
