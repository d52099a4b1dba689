"""Every foundation use case, through the console, as the people of the simulated school would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from storage.models import AuditEvent, Case, Membership

pytestmark = pytest.mark.asyncio


async def opened(bot: ConsoleBot, consent: str | None = "all") -> str:
    await bot.exec("sam", "/tac open Robin year 4")
    if consent:
        await bot.exec("sam", f'/tac consent given by "Jo Taylor" scope {consent}', room="tac-0001")
    return "tac-0001"


def count(bot: ConsoleBot, model: type) -> int:
    with bot.core.db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


async def test_open_makes_a_private_room_named_from_the_reference(bot: ConsoleBot) -> None:
    reply = await bot.exec("sam", "/tac open Robin year 4 route ehc-assessment")
    assert "Opened case TAC-0001 (Robin)" in reply
    room = bot.platform.room_by_name("tac-0001")
    assert room is not None and room.members == {"sam"}
    welcome = bot.sent_to(room="tac-0001")[0].text
    assert "ehc-assessment" in welcome and "TAC-0001" in welcome
    reply = await bot.exec("sam", "/tac open Ash")
    assert "TAC-0002" in reply


async def test_only_a_senco_can_open(bot: ConsoleBot) -> None:
    reply = await bot.exec("tom", "/tac open Robin")
    assert "Only a SENCO" in reply
    assert count(bot, Case) == 0 and bot.platform.rooms == {}


async def test_room_failure_is_reported_and_a_repeat_fixes_it(bot: ConsoleBot) -> None:
    bot.platform.fail_next["create_private_room"] = "Slack said the workspace is over its channel limit."
    reply = await bot.exec("sam", "/tac open Robin")
    assert "could not be made" in reply and "over its channel limit" in reply
    status = await bot.exec("sam", "/tac status case TAC-0001")
    assert "not ready" in status
    reply = await bot.exec("sam", "/tac open Robin")
    assert "Opened case TAC-0001 (Robin)" in reply
    assert count(bot, Case) == 1 and bot.platform.room_by_name("tac-0001") is not None


async def test_duplicate_alias_is_refused(bot: ConsoleBot) -> None:
    await opened(bot)
    reply = await bot.exec("sam", "/tac open robin")
    assert "already uses the alias" in reply and count(bot, Case) == 1


async def test_consent_gate_blocks_outside_professionals(bot: ConsoleBot) -> None:
    room = await opened(bot, consent=None)
    reply = await bot.exec("sam", "/tac invite @anna educational-psychologist", room=room)
    assert "can join only once consent covering" in reply
    reply = await bot.exec("sam", "/tac invite @tom class-teacher", room=room)
    assert "Invited @tom" in reply
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope health', room=room)
    assert "can join only once consent covering" in await bot.exec(
        "sam", "/tac invite @anna educational-psychologist", room=room
    )
    assert "Invited @ravi" in await bot.exec("sam", "/tac invite @ravi paediatrician", room=room)
    assert bot.platform.room_by_name(room).members == {"sam", "tom", "ravi"}  # type: ignore[union-attr]


async def test_withdrawal_removes_those_it_no_longer_covers(bot: ConsoleBot) -> None:
    room = await opened(bot)
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room=room)
    await bot.exec("sam", "/tac invite @ravi paediatrician", room=room)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=room)
    reply = await bot.exec("sam", '/tac consent withdrawn by "Jo Taylor" scope health', room=room)
    assert "removed from the team" in reply and "@ravi" in reply
    assert bot.platform.room_by_name(room).members == {"sam", "anna", "tom"}  # type: ignore[union-attr]
    refused = await bot.exec("ravi", "/tac status case TAC-0001")
    assert "can't find TAC-0001" in refused


async def test_non_member_learns_nothing(bot: ConsoleBot) -> None:
    await opened(bot)
    missing = await bot.exec("dan", "/tac status case TAC-0099")
    existing = await bot.exec("dan", "/tac status case TAC-0001")
    assert existing == missing.replace("TAC-0099", "TAC-0001")
    assert "Robin" not in existing
    for command in ("team", "plan", 'consent given by "X"', "invite @dan social-worker", "close"):
        reply = await bot.exec("dan", f"/tac {command} case TAC-0001")
        assert "Robin" not in reply and "can't find" in reply, command


async def test_members_who_are_not_key_worker_cannot_change_the_case(bot: ConsoleBot) -> None:
    room = await opened(bot)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=room)
    before = count(bot, AuditEvent)
    for command in ("invite @anna educational-psychologist", "remove @sam", "close", 'outcome add "x"'):
        reply = await bot.exec("tom", f"/tac {command}", room=room)
        assert "Only the key worker" in reply, command
    assert count(bot, AuditEvent) == before


async def test_remove_and_roster(bot: ConsoleBot) -> None:
    room = await opened(bot)
    await bot.exec("sam", '/tac invite @anna educational-psychologist agency "County EPS"', room=room)
    await bot.exec("sam", "/tac invite @tom class-teacher champion", room=room)
    roster = await bot.exec("tom", "/tac team", room=room)
    assert (
        "@anna · Educational psychologist · County EPS" in roster
        and "@tom · Class teacher · champion" in roster
    )
    assert "Removed @anna" in await bot.exec("sam", "/tac remove @anna", room=room)
    assert "@anna" not in await bot.exec("sam", "/tac team", room=room)
    assert "not on the team" in await bot.exec("sam", "/tac remove @anna", room=room)
    assert "cannot be removed" in await bot.exec("sam", "/tac remove @sam", room=room)


async def test_unknown_person_is_a_plain_message(bot: ConsoleBot) -> None:
    room = await opened(bot)
    reply = await bot.exec("sam", "/tac invite @nobody class-teacher", room=room)
    assert "I don't know anyone called nobody" in reply
    assert count(bot, Membership) == 1


async def test_plan_actions_and_overdue_status(bot: ConsoleBot, clock: ManualClock) -> None:
    room = await opened(bot)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=room)
    assert "outcome 1" in await bot.exec("sam", '/tac outcome add "Reads aloud weekly"', room=room)
    reply = await bot.exec(
        "sam", '/tac action add "Phonics group" owner @tom due in 1 week outcome 1', room=room
    )
    assert "Added action 1" in reply
    assert "not on the team" in await bot.exec(
        "sam", '/tac action add "x" owner @anna due tomorrow', room=room
    )
    assert "no outcome 9" in await bot.exec(
        "sam", '/tac action add "x" owner @tom due tomorrow outcome 9', room=room
    )
    clock.advance(timedelta(days=9))
    status = await bot.exec("tom", "/tac status", room=room)
    assert "Overdue actions: 1" in status
    assert "OVERDUE" in await bot.exec("tom", "/tac plan", room=room)
    assert "now due" in await bot.exec("tom", "/tac action due 1 in 2 weeks", room=room)
    assert "Overdue actions: none" in await bot.exec("tom", "/tac status", room=room)
    assert "is done" in await bot.exec("tom", "/tac action done 1", room=room)


async def test_close_archives_the_room(bot: ConsoleBot) -> None:
    room = await opened(bot)
    reply = await bot.exec("sam", '/tac close reason "Moved school"', room=room)
    assert "Closed TAC-0001 (Robin)" in reply
    assert bot.platform.room_by_name(room).archived  # type: ignore[union-attr]
    assert "is closed" in bot.sent_to(room=room)[-1].text
    assert "closed" in await bot.exec("sam", "/tac invite @tom class-teacher case TAC-0001")
    assert "no open cases" in await bot.exec("sam", "/tac cases")


async def test_cases_lists_the_sencos_cases_and_nothing_to_others(bot: ConsoleBot) -> None:
    await opened(bot)
    await bot.exec("sam", "/tac open Ash route annual-review")
    reply = await bot.exec("sam", "/tac cases")
    assert "TAC-0001" in reply and "TAC-0002" in reply and "annual-review" in reply
    assert "not on any open case" in await bot.exec("tom", "/tac cases")


async def test_help_and_usage(bot: ConsoleBot) -> None:
    assert "open" in await bot.exec("tom", "/tac help")
    assert "Example: /tac invite" in await bot.exec("tom", "/tac help invite")
    reply = await bot.exec("sam", "/tac invite")
    assert "needs a person" in reply and "Usage: /tac invite" in reply
    assert "Did you mean status?" in await bot.exec("sam", "/tac statsu")


async def test_define(bot: ConsoleBot) -> None:
    reply = await bot.exec("jo", "/tac define Assessment")
    for perspective in ("Education:", "Health:", "Social care:", "SEND Code of Practice:"):
        assert perspective in reply
    assert "Did you mean define review" in await bot.exec("jo", "/tac define reveiw")


async def test_room_names_and_notifications_never_carry_the_alias(bot: ConsoleBot) -> None:
    room = await opened(bot)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=room)
    assert all("robin" not in r.name.lower() for r in bot.platform.rooms.values())
    assert "Robin" not in bot.sent_to(room=room)[-1].text  # the join notice


async def test_an_unknown_button_is_refused_politely(bot: ConsoleBot) -> None:
    reply = await bot.press("tom", "nothing.here", "1")
    assert "no longer does anything" in reply


async def test_another_sencos_alias_is_not_revealed(bot: ConsoleBot) -> None:
    from bot.app import add_sencos

    add_sencos(bot.core.db, [("console", "lee")], clock=bot.core.clock, added_by="tests")
    await bot.exec("sam", "/tac open AlexB")
    reply = await bot.exec("lee", "/tac open AlexB")
    assert "Opened case TAC-0002 (AlexB)" in reply


async def test_a_closed_case_keeps_its_team(bot: ConsoleBot) -> None:
    room = await opened(bot)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=room)
    await bot.exec("sam", "/tac close", room=room)
    assert "is closed" in await bot.exec("sam", "/tac remove @tom case TAC-0001")
    assert count(bot, Membership) == 2


async def test_closing_cancels_open_requests_and_the_meeting(bot: ConsoleBot) -> None:
    from storage.models import InputRequest, Review

    room = await opened(bot)
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room=room)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    await bot.exec("sam", '/tac review on 15/10 at 14:30 where "Room 2"', room=room)
    await bot.exec("sam", "/tac close", room=room)  # asks first: work is open
    await bot.press("sam", "confirm.run", "close case TAC-0001", room=room)
    with bot.core.db.transaction() as s:
        assert {r.state for r in s.scalars(select(InputRequest))} == {"cancelled"}
        assert {r.status for r in s.scalars(select(Review))} == {"cancelled"}
    cancellation = bot.sent_to(user="anna")[-1]
    assert "cancel" in cancellation.text.lower()


async def test_leaving_the_room_by_hand_cancels_their_requests(bot: ConsoleBot) -> None:
    from handlers.membership import member_left_room
    from storage.models import InputRequest

    room = await opened(bot)
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room=room)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    sim = bot.platform.room_by_name(room)
    assert sim is not None
    left = await member_left_room(
        bot.core, platform="console", workspace="console", room_id=sim.id, user_id="anna"
    )
    assert left
    with bot.core.db.transaction() as s:
        assert {r.state for r in s.scalars(select(InputRequest))} == {"cancelled"}


async def test_a_chaser_button_reveals_nothing_to_outsiders(bot: ConsoleBot) -> None:
    from storage.models import Action

    room = await opened(bot)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=room)
    await bot.exec("sam", '/tac action add "Phonics" owner @tom due tomorrow', room=room)
    with bot.core.db.transaction() as s:
        action_id = s.scalars(select(Action.id)).one()
    real = await bot.press("dan", "chaser.done", f"action:{action_id}")
    missing = await bot.press("dan", "chaser.done", f"action:{action_id + 999}")
    assert real == missing
