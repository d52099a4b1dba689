"""Referrals: recorded with the consent that covers them, moved on, listed, chased to the key worker."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.console.render import render
from bot.console.session import ConsoleBot
from handlers.chasing.delivery import run_due
from handlers.chasing.digest import build_digest
from handlers.clock import ManualClock
from handlers.home import overview
from scheduler.calendar import load_calendar
from storage.models import AuditEvent, Case, Referral, Reminder
from storage.repo import people
from tests.directory import load_example

pytestmark = pytest.mark.asyncio
LONDON = ZoneInfo("Europe/London")
ROOM = "tac-0001"


async def case_with_team(bot: ConsoleBot) -> None:
    load_example(bot.core.db)
    await bot.exec("sam", "/tac open Robin")
    await bot.exec("sam", "/tac invite @tom class-teacher", room=ROOM)


def reminders(bot: ConsoleBot) -> list[Reminder]:
    with bot.core.db.transaction() as s:
        return list(
            s.scalars(select(Reminder).where(Reminder.subject_kind == "referral").order_by(Reminder.id))
        )


async def test_a_referral_needs_the_consent_that_covers_it(bot: ConsoleBot) -> None:
    await case_with_team(bot)
    refused = await bot.exec("sam", '/tac refer salt reason "Unclear speech"', room=ROOM)
    assert "No consent in force covers a referral to NHS Children's Speech and Language Therapy" in refused
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope education', room=ROOM)
    assert "needs scope health" in await bot.exec("sam", "/tac refer salt", room=ROOM)
    assert "needs scope all" in await bot.exec("sam", '/tac refer "Private tutor"', room=ROOM)
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope health', room=ROOM)
    made = await bot.exec("sam", '/tac refer salt reason "Unclear speech in class"', room=ROOM)
    assert "Recorded referral 1 of TAC-0001 to NHS Children's Speech and Language Therapy" in made
    assert "How to refer: Online referral form" in made and "referral 1 sent" in made
    assert "Recorded referral 2" in await bot.exec("sam", "/tac refer educational psychology", room=ROOM)
    with bot.core.db.transaction() as s:
        found = s.scalars(select(Referral).order_by(Referral.number)).all()
        assert [(r.service_key, r.state, r.reason) for r in found] == [
            ("salt", "recorded", "Unclear speech in class"),
            ("eps", "recorded", None),
        ]
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "referral.made")).all()
        assert [e.detail["service"] for e in events] == ["salt", "eps"]
        assert found[0].consent_id != found[1].consent_id  # each names the consent that covers it


async def test_a_referral_moves_through_its_states_and_is_listed(bot: ConsoleBot, clock: ManualClock) -> None:
    await case_with_team(bot)
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room=ROOM)
    await bot.exec("sam", '/tac refer early-help reason "Routines at home"', room=ROOM)
    assert "is now sent" in await bot.exec("sam", "/tac referral 1 sent", room=ROOM)
    clock.advance(timedelta(days=3))
    assert "is now accepted" in await bot.exec("sam", "/tac referral 1 accepted", room=ROOM)
    assert "expected wait about 6 weeks" in await bot.exec(
        "sam", '/tac referral 1 waiting 6 weeks note "Panel on Thursday"', room=ROOM
    )
    listing = await bot.exec("tom", "/tac referrals", room=ROOM)
    assert "1. Early Help Hub · waiting for 0 days" in listing and "expected wait about 6 weeks" in listing
    assert "why: Routines at home" in listing and "note: Panel on Thursday" in listing
    assert "is now seen" in await bot.exec("sam", "/tac referral 1 seen", room=ROOM)
    assert "is now closed" in await bot.exec("sam", "/tac referral 1 closed", room=ROOM)
    assert "is closed; record a new one" in await bot.exec("sam", "/tac referral 1 sent", room=ROOM)
    assert reminders(bot) and all(r.state == "cancelled" for r in reminders(bot))


async def test_bad_referral_commands_are_refused_and_change_nothing(bot: ConsoleBot) -> None:
    await case_with_team(bot)
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room=ROOM)
    suggested = await bot.exec("sam", "/tac refer slat", room=ROOM)
    assert "Did you mean refer salt?" in suggested and 'quote the name: refer "<name>"' in suggested
    assert "Only the key worker" in await bot.exec("tom", "/tac refer salt", room=ROOM)
    assert "needs a service" in await bot.exec("sam", "/tac refer", room=ROOM)
    await bot.exec("sam", "/tac refer salt", room=ROOM)
    assert "has no referral 9" in await bot.exec("sam", "/tac referral 9 sent", room=ROOM)
    assert "is not a referral state" in await bot.exec("sam", "/tac referral 1 lost", room=ROOM)
    assert "like waiting 12 weeks" in await bot.exec("sam", "/tac referral 1 waiting 12", room=ROOM)
    assert "not 1 to 104 weeks" in await bot.exec("sam", "/tac referral 1 waiting 500 weeks", room=ROOM)
    await bot.exec("sam", "/tac referral 1 declined", room=ROOM)
    assert "was declined; it can only be closed" in await bot.exec("sam", "/tac referral 1 seen", room=ROOM)
    assert "Only the key worker" in await bot.exec("tom", "/tac referral 1 closed", room=ROOM)
    stranger = await bot.exec("dan", "/tac referrals case TAC-0001")
    assert "can't find TAC-0001" in stranger and "Robin" not in stranger
    with bot.core.db.transaction() as s:
        assert [r.state for r in s.scalars(select(Referral))] == ["declined"]


async def test_a_referral_still_sent_after_ten_school_days_is_chased_to_the_key_worker(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await case_with_team(bot)
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room=ROOM)
    await bot.exec("sam", "/tac refer camhs", room=ROOM)
    await bot.exec("sam", "/tac referral 1 sent", room=ROOM)  # Monday 14 September 2026
    (queued,) = reminders(bot)
    assert queued.due_at == datetime(2026, 9, 28, 8, 0, tzinfo=LONDON)  # 10 school days on, 08:00
    assert queued.recipient_id is not None
    clock.set(datetime(2026, 9, 25, 9, 0, tzinfo=LONDON))
    await run_due(bot.core, now=clock.now())
    assert not [d for d in bot.sent_to(user="sam") if "Referral 1" in d.text]
    clock.set(datetime(2026, 9, 28, 9, 0, tzinfo=LONDON))
    await run_due(bot.core, now=clock.now())
    chased = [d for d in bot.sent_to(user="sam") if "Referral 1 to CAMHS" in d.text]
    assert len(chased) == 1 and "has had no answer since it was sent" in chased[0].text
    assert "Robin" not in chased[0].reply.summary
    assert not [d for d in bot.sent_to(user="tom") if "Referral" in d.text]


async def test_a_referral_waiting_past_its_expected_wait_is_chased(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await case_with_team(bot)
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room=ROOM)
    await bot.exec("sam", "/tac refer early-help", room=ROOM)
    await bot.exec("sam", "/tac referral 1 sent", room=ROOM)
    await bot.exec("sam", "/tac referral 1 waiting", room=ROOM)  # the directory's typical wait: 3 weeks
    pending = [r for r in reminders(bot) if r.state == "pending"]
    assert [r.step for r in pending] == ["referral-waiting"]
    assert pending[0].due_at == datetime(2026, 10, 6, 8, 0, tzinfo=LONDON)  # 3 weeks, then 1 school day
    clock.set(datetime(2026, 10, 6, 10, 0, tzinfo=LONDON))
    await run_due(bot.core, now=clock.now())
    assert [d for d in bot.sent_to(user="sam") if "has waited longer than expected" in d.text]
    await bot.exec("sam", "/tac referral 1 waiting 2 weeks", room=ROOM)  # re-planned from today
    await bot.exec("sam", "/tac referral 1 seen", room=ROOM)
    assert not [r for r in reminders(bot) if r.state == "pending"]


async def test_the_senco_sees_the_referrals_waiting_longest(bot: ConsoleBot, clock: ManualClock) -> None:
    await case_with_team(bot)
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room=ROOM)
    await bot.exec("sam", "/tac refer camhs", room=ROOM)
    await bot.exec("sam", "/tac refer ot", room=ROOM)
    await bot.exec("sam", "/tac referral 1 sent", room=ROOM)
    clock.advance(timedelta(days=15))
    await bot.exec("sam", "/tac referral 2 waiting 20 weeks", room=ROOM)
    home = render(await overview(bot.core, bot.actor("sam")))
    section = home.split("== Referrals waiting longest ==")[1]
    assert section.index("referral 1 to CAMHS") < section.index(
        "referral 2 to Children's Occupational Therapy"
    )
    assert (
        "TAC-0001: referral 1 to CAMHS (Child and Adolescent Mental Health Services), sent for 2 weeks"
        in section
    )
    with bot.core.db.transaction() as s:
        sam = people.find_person(s, platform="console", external_id="sam")
        assert sam is not None
        case = s.scalars(select(Case)).one()
        cal = load_calendar(s, school_id=case.school_id, tz=bot.core.tz, hours=bot.core.hours)
        letter = render(build_digest(s, school_id=case.school_id, person_id=sam.id, cal=cal, now=clock.now()))
    assert (
        "== Referrals waiting longest ==" in letter
        and "referral 2 to Children's Occupational Therapy, waiting" in letter
    )
