"""Mistakes can be undone (issue 10, part 4): alias, outcome and action edits and removals, reopen,
handover. Each audited, each refused to anyone but the key worker (handover: also a SENCO)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.console.session import ConsoleBot
from handlers.chasing.delivery import run_due
from handlers.chasing.ticks import weekly_digest
from handlers.clock import ManualClock
from storage.models import Action, AuditEvent, Case, Membership, Reminder
from tests.bot.console.test_use_cases import count
from tests.handlers.chasing.helpers import at

pytestmark = pytest.mark.asyncio
ROOM = "tac-0001"


async def team(bot: ConsoleBot) -> None:
    await bot.exec("sam", "/tac open Robin year 4")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room=ROOM)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=ROOM)
    await bot.exec("sam", "/tac invite @lee teaching-assistant", room=ROOM)
    await bot.exec("sam", "/tac invite @jo parent-carer", room=ROOM)


def audits(bot: ConsoleBot, action: str) -> list[AuditEvent]:
    with bot.core.db.transaction() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def pending(bot: ConsoleBot) -> list[tuple[str, int]]:
    """(step, recipient) of the action chasers still to send."""
    with bot.core.db.transaction() as s:
        rows = s.scalars(
            select(Reminder).where(Reminder.subject_kind == "action", Reminder.state == "pending")
        )
        return [(r.step, r.recipient_id) for r in rows]


def person_id(bot: ConsoleBot, handle: str) -> int:
    from storage.repo import people

    with bot.core.db.transaction() as s:
        found = people.find_person(s, platform="console", external_id=handle)
        assert found is not None
        return found.id


async def test_alias_renames_and_a_full_name_is_asked_about_first(bot: ConsoleBot) -> None:
    await team(bot)
    assert "Only the key worker" in await bot.exec("tom", "/tac alias Robbie", room=ROOM)
    asked = await bot.exec("sam", "/tac alias Robin Taylor", room=ROOM)
    assert "looks like a full name" in asked and "[Confirm]" in asked
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Case)).one().alias == "Robin"
    assert "now known as Robbie T" in await bot.exec("sam", "/tac alias Robbie T", room=ROOM)
    room_notice = bot.sent_to(room=ROOM)[-1]
    assert "now known as" in room_notice.text and "Robbie" not in room_notice.reply.summary
    assert "TAC-0001 (Robbie T)" in await bot.exec("tom", "/tac team", room=ROOM)
    [event] = audits(bot, "case.alias_changed")
    assert "Robbie" not in str(event.detail) and "Robin" not in str(event.detail)
    assert "1-40 letters" in await bot.exec("sam", '/tac alias "<!channel>"', room=ROOM)
    await bot.exec("sam", "/tac open Ash")
    assert "already uses the alias" in await bot.exec("sam", "/tac alias ash", room=ROOM)
    assert "now known as Robin Taylor" in await bot.exec("sam", "/tac alias Robin Taylor confirm", room=ROOM)


async def test_open_with_a_full_name_asks_first(bot: ConsoleBot) -> None:
    asked = await bot.exec("sam", "/tac open Robin Taylor year 4")
    assert "looks like a full name" in asked and count(bot, Case) == 0
    assert "Opened case TAC-0001 (Robin Taylor)" in await bot.exec("sam", "/tac open Robin Taylor confirm")
    assert "Opened case TAC-0002 (Ash B)" in await bot.exec("sam", "/tac open Ash B")


async def test_outcome_edit_and_remove(bot: ConsoleBot) -> None:
    await team(bot)
    await bot.exec("sam", '/tac outcome add "Robin reads aloud by July"', room=ROOM)
    await bot.exec("sam", '/tac outcome add "Robin joins a club by Easter"', room=ROOM)
    await bot.exec("sam", '/tac action add "Phonics" owner @tom due in 2 weeks outcome 1', room=ROOM)
    assert "Only the key worker" in await bot.exec("tom", '/tac outcome edit 1 "x"', room=ROOM)
    reply = await bot.exec("sam", '/tac outcome edit 1 "Robin reads a book aloud weekly by July"', room=ROOM)
    assert "Outcome 1 now reads: Robin reads a book aloud weekly by July" in reply
    assert "Robin reads a book aloud weekly by July" in await bot.exec("tom", "/tac plan", room=ROOM)
    reply = await bot.exec("sam", "/tac outcome remove 1", room=ROOM)
    assert "Removed outcome 1" in reply and "Its actions (1) stay on the plan" in reply
    plan = await bot.exec("tom", "/tac plan", room=ROOM)
    assert "reads a book aloud" not in plan and "Phonics" in plan and "Other actions" in plan
    assert "no outcome 1" in await bot.exec("sam", "/tac outcome remove 1", room=ROOM)
    assert len(audits(bot, "outcome.edited")) == 1 and len(audits(bot, "outcome.removed")) == 1


async def test_action_edit_replans_its_chasers_and_remove_cancels_them(bot: ConsoleBot) -> None:
    await team(bot)
    await bot.exec("sam", '/tac outcome add "Robin reads aloud by July"', room=ROOM)
    await bot.exec("sam", '/tac action add "Phonics" owner @tom due 2026-09-28', room=ROOM)
    tom, lee = person_id(bot, "tom"), person_id(bot, "lee")
    assert {r for _, r in pending(bot)} == {tom}
    assert "Only the key worker" in await bot.exec("tom", '/tac action edit 1 what "x"', room=ROOM)
    assert "Say what to change" in await bot.exec("sam", "/tac action edit 1", room=ROOM)
    assert "not on the team" in await bot.exec("sam", "/tac action edit 1 owner @anna", room=ROOM)
    reply = await bot.exec(
        "sam",
        '/tac action edit 1 what "Phonics group, daily" owner @lee due 2026-10-12 where "Library" outcome 1',
        room=ROOM,
    )
    assert "Changed action 1 (owner, due, outcome, what, where): Phonics group, daily, owner @lee" in reply
    assert {r for _, r in pending(bot)} == {lee}  # the chasers follow the new owner and date
    with bot.core.db.transaction() as s:
        steps = {r.anchor for r in s.scalars(select(Reminder).where(Reminder.state == "pending"))}
    assert steps == {"2026-10-12"}
    plan = await bot.exec("tom", "/tac plan", room=ROOM)
    assert "Action 1: Phonics group, daily · @lee · due 12 Oct 2026 · Library" in plan
    reply = await bot.exec("sam", "/tac action remove 1", room=ROOM)
    assert "Removed action 1 from the plan: Phonics group, daily" in reply
    assert pending(bot) == []
    assert "Phonics" not in await bot.exec("tom", "/tac plan", room=ROOM)
    assert "no action 1" in await bot.exec("sam", "/tac action done 1", room=ROOM)
    await bot.exec("sam", '/tac action add "Reading" owner @tom due in 2 weeks', room=ROOM)
    assert "Added action 2" in bot.replies[-1][1].summary  # a removed number is not given again
    assert [a.action for a in audits(bot, "action.edited")] == ["action.edited"]
    assert len(audits(bot, "action.removed")) == 1


async def test_reopen_within_30_days_brings_back_room_team_and_chasers(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await team(bot)
    await bot.exec("sam", '/tac action add "Phonics" owner @tom due in 3 weeks', room=ROOM)
    await bot.exec("sam", "/tac close confirm", room=ROOM)
    room = bot.platform.room_by_name(ROOM)
    assert room is not None and room.archived
    clock.advance(timedelta(days=10))
    assert "Only the key worker" in await bot.exec("tom", "/tac reopen case TAC-0001")
    reply = await bot.exec("sam", "/tac reopen case TAC-0001")
    assert "Reopened TAC-0001 (Robin)" in reply and "team of 4" in reply
    assert not room.archived and room.members >= {"sam", "tom", "lee", "jo"}
    assert "is open again" in bot.sent_to(room=ROOM)[-1].text
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Case)).one().status == "open"
    assert pending(bot)  # the open action is chased again
    assert "is open already" in await bot.exec("sam", "/tac reopen", room=ROOM)
    assert len(audits(bot, "case.reopened")) == 1
    await bot.exec("sam", "/tac close confirm", room=ROOM)
    clock.advance(timedelta(days=31))
    assert "more than 30 days" not in (refusal := await bot.exec("sam", "/tac reopen case TAC-0001"))
    assert "over 30 days ago" in refusal
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Case)).one().status == "closed"


async def test_reopen_makes_a_new_room_where_the_platform_cannot_unarchive(bot: ConsoleBot) -> None:
    await team(bot)
    await bot.exec("sam", "/tac close", room=ROOM)
    bot.platform.fail_next["unarchive_room"] = "Slack lets only a person unarchive a channel."
    reply = await bot.exec("sam", "/tac reopen case TAC-0001")
    assert "Reopened" in reply and "could not" not in reply
    new = bot.platform.room_by_name("tac-0001-2")
    assert new is not None and new.members == {"sam", "tom", "lee", "jo"}
    assert "Team around" in await bot.exec("tom", "/tac team", room="tac-0001-2")


async def test_handover_moves_the_case_to_another_member_of_staff(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    from bot.app import add_sencos

    await team(bot)
    await bot.exec("sam", '/tac action add "Phonics" owner @tom due 2026-09-28', room=ROOM)
    assert "Only the key worker" in await bot.exec("tom", "/tac handover @tom", room=ROOM)
    assert "outside the school" in await bot.exec("sam", "/tac handover @jo", room=ROOM)
    assert "already the key worker" in await bot.exec("sam", "/tac handover @sam", room=ROOM)
    reply = await bot.exec("sam", "/tac handover @lee", room=ROOM)
    assert "@lee is now the key worker of TAC-0001 instead of @sam" in reply
    assert "now the key worker instead of" in bot.sent_to(room=ROOM)[-1].text
    told = bot.sent_to(user="lee")[-1]
    assert "You are now the key worker of TAC-0001 (Robin)" in told.text and "Robin" not in told.reply.summary
    assert "Only the key worker" in await bot.exec("sam", '/tac outcome add "x by July"', room=ROOM)
    assert "Added outcome 1" in await bot.exec("lee", '/tac outcome add "x by July"', room=ROOM)
    # Escalations follow: the second overdue chaser's escalation goes to the new key worker.
    for day in (29, 30):
        clock.set(at(2026, 9, day, 9))
        await run_due(bot.core, now=clock.now())
    clock.set(at(2026, 10, 2, 9))
    await run_due(bot.core, now=clock.now())
    assert any("Overdue: TAC-0001" in d.text for d in bot.sent_to(user="lee"))
    assert not any("Overdue: TAC-0001" in d.text for d in bot.sent_to(user="sam"))
    # A SENCO who is on the team may hand it over too; someone new joins the team and the room.
    add_sencos(bot.core.db, [("console", "priya")], clock=bot.core.clock, added_by="tests")
    await bot.exec("lee", "/tac invite @priya senco", room=ROOM)
    assert "now the key worker" in await bot.exec("priya", "/tac handover @ravi", room=ROOM)
    room = bot.platform.room_by_name(ROOM)
    assert room is not None and "ravi" in room.members
    with bot.core.db.transaction() as s:
        ravi = s.scalars(select(Membership).where(Membership.person_id == person_id(bot, "ravi"))).one()
        assert ravi.role == "key-worker" and ravi.active
    assert len(audits(bot, "case.handed_over")) == 2
    # The digest follows: handed over to a SENCO, the case is in their weekly digest and not in Sam's.
    assert "now the key worker" in await bot.exec("ravi", "/tac handover @priya", room=ROOM)
    clock.set(at(2026, 10, 5, 8))
    await weekly_digest(bot.core)
    assert any("TAC-0001 (Robin)" in d.text for d in bot.sent_to(user="priya") if "Your TAC week" in d.text)
    assert not any("TAC-0001" in d.text for d in bot.sent_to(user="sam") if "Your TAC week" in d.text)
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Action)).one().owner_id == person_id(bot, "tom")


async def test_invite_again_same_role_changes_nothing_and_a_new_role_is_a_change(bot: ConsoleBot) -> None:
    await team(bot)
    room_posts = len(bot.sent_to(room=ROOM))
    dms = len(bot.sent_to(user="tom"))
    before = count(bot, AuditEvent)
    reply = await bot.exec("sam", "/tac invite @tom class-teacher", room=ROOM)
    assert "@tom is already on the team of TAC-0001 with that role. Nothing changed." in reply
    assert len(bot.sent_to(room=ROOM)) == room_posts and len(bot.sent_to(user="tom")) == dms
    assert count(bot, AuditEvent) == before
    reply = await bot.exec("sam", "/tac invite @tom teaching-assistant", room=ROOM)
    assert "@tom is now Teaching assistant instead of Class teacher." in reply
    assert "instead of Class teacher" in bot.sent_to(room=ROOM)[-1].text
    assert len(bot.sent_to(user="tom")) == dms  # no second "you have been added"
    await bot.exec("sam", "/tac invite @tom teaching-assistant champion", room=ROOM)
    reply = await bot.exec("sam", "/tac invite @jo parent-carer champion", room=ROOM)
    assert "@jo is now the champion instead of @tom." in reply
    await bot.exec("sam", "/tac invite @anna educational-psychologist champion", room=ROOM)
    assert "They are now the champion instead of @jo." in bot.sent_to(room=ROOM)[-1].text
    assert len(audits(bot, "member.changed")) == 3
    roster = await bot.exec("tom", "/tac team", room=ROOM)
    assert roster.count(" · champion") == 1 and "the pupil trusts" in roster
    assert "the pupil trusts" in await bot.exec("tom", "/tac help invite")


async def test_an_old_chaser_about_a_removed_action_changes_nothing(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    from tests.handlers.chasing.helpers import buttons

    await team(bot)
    await bot.exec("sam", '/tac action add "Phonics" owner @tom due 2026-09-28', room=ROOM)
    clock.set(at(2026, 9, 28, 9))
    await run_due(bot.core, now=clock.now())
    done = buttons(bot.sent_to(user="tom")[-1])["Done"]
    await bot.exec("sam", "/tac action remove 1", room=ROOM)
    assert "was taken off the plan" in await bot.press("tom", done.action, done.value)
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Action)).one().status == "removed"
