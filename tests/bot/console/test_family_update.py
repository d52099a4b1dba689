"""`update family`: a plain-language draft the key worker edits and sends, only to parent-carers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.replies import Buttons
from storage.models import AuditEvent, FamilyUpdate

pytestmark = pytest.mark.asyncio


async def team(bot: ConsoleBot) -> str:
    room = "tac-0001"
    await bot.exec("sam", "/tac open Robin")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room=room)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=room)
    await bot.exec("sam", "/tac invite @jo parent-carer", room=room)
    await bot.exec("sam", '/tac outcome add "Robin reads a short book aloud by July"', room=room)
    await bot.exec(
        "sam", '/tac action add "Phonics intervention" owner @tom due in 2 weeks outcome 1', room=room
    )
    await bot.exec("sam", '/tac action add "Reading buddy" owner @tom due in 3 weeks outcome 1', room=room)
    return room


def buttons(bot: ConsoleBot) -> dict[str, tuple[str, str]]:
    return buttons_of(bot, -1)


def buttons_of(bot: ConsoleBot, index: int) -> dict[str, tuple[str, str]]:
    _, reply = bot.replies[index]
    return {
        b.label: (b.action, b.value)
        for block in reply.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
    }


async def test_draft_edit_and_send_reach_only_the_parents(bot: ConsoleBot, clock: ManualClock) -> None:
    room = await team(bot)
    await bot.exec("tom", "/tac action done 2", room=room)
    await bot.exec("sam", '/tac review on 10/11/2026 at 09:00 where "Room 2"', room=room)
    draft = await bot.exec("sam", "/tac update family", room=room)
    assert "Draft update for the family: TAC-0001 (Robin)" in draft
    assert "What we are working towards together:" in draft and "Robin reads a short book aloud" in draft
    assert "What has been done:" in draft and "Reading buddy (finished" in draft
    assert "What is happening now:" in draft and "Phonics intervention, until" in draft
    assert "Our next meeting is on Tuesday 10 November at 09:00, Room 2" in draft
    assert "\u201cintervention\u201d means extra help for a while" in draft  # jargon in its plain meaning
    assert "Goes only to the parents and carers on the team: @jo" in draft
    shown = buttons(bot)
    assert set(shown) == {"Edit", "Send"}
    edit = shown["Edit"][1]
    edited = await bot.fill_form("sam", edit, {"text": "Robin is doing well.\n\nSee you at the meeting."})
    assert "Robin is doing well." in edited and "See you at the meeting." in edited
    assert "Sorry, that draft is not yours" in await bot.fill_form("tom", edit, {"text": "Hijack"})
    room_posts = len(bot.sent_to(room=room))
    action, value = shown["Send"]
    assert "Sorry, that draft is not yours" in await bot.press("tom", action, value)
    sent = await bot.press("sam", action, value)
    assert "Sent the update to @jo." in sent
    to_jo = bot.sent_to(user="jo")[-1]
    assert "Robin is doing well." in to_jo.text and "Robin" not in to_jo.reply.summary
    assert not [d for d in bot.sent_to(user="tom") if "Robin is doing well" in d.text]
    assert len(bot.sent_to(room=room)) == room_posts
    assert "was sent or replaced" in await bot.press("sam", action, value)
    assert "There is no draft to send" in await bot.exec("sam", "/tac update family send", room=room)
    with bot.core.db.transaction() as s:
        (sent_event,) = s.scalars(select(AuditEvent).where(AuditEvent.action == "family.update_sent")).all()
        assert sent_event.detail == {"recipients": 1}
        assert (
            s.scalars(select(FamilyUpdate).where(FamilyUpdate.state == "sent")).one().text.startswith("Robin")
        )


async def test_the_next_draft_covers_what_happened_since_the_last_update(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac update family", room=room)
    assert "Sent the update to @jo" in await bot.exec("sam", "/tac update family send", room=room)
    clock.advance(timedelta(days=7))
    await bot.exec("tom", "/tac action done 1", room=room)
    draft = await bot.exec("sam", "/tac update family", room=room)
    assert "Phonics intervention (finished" in draft and "Reading buddy (finished" not in draft


async def test_bad_update_commands_are_refused_and_send_nothing(bot: ConsoleBot) -> None:
    await bot.exec("sam", "/tac open Robin")
    room = "tac-0001"
    await bot.exec("sam", "/tac invite @tom class-teacher", room=room)
    assert "Only the key worker" in await bot.exec("tom", "/tac update family", room=room)
    assert "Say update family" in await bot.exec("sam", "/tac update parents", room=room)
    assert "I don't understand now" in await bot.exec("sam", "/tac update family send now", room=room)
    draft = await bot.exec("sam", "/tac update family", room=room)
    assert "getting to know your child" in draft and "No parent or carer is on the team yet" in draft
    refused = await bot.exec("sam", "/tac update family send", room=room)
    assert "No parent or carer is on the team of TAC-0001" in refused
    stranger = await bot.exec("dan", "/tac update family send case TAC-0001")
    assert "can't find TAC-0001" in stranger and "Robin" not in stranger
    assert "Sorry, that draft is not yours" in await bot.fill_form(
        "tom", buttons_of(bot, -3)["Edit"][1], {"text": "x"}
    )
    assert bot.sent_to(user="jo") == []


async def test_an_update_that_reaches_nobody_stays_a_draft(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac update family", room=room)
    bot.platform.fail_next["direct_message"] = "The chat service is down."
    assert "could not be sent; it is kept as a draft" in await bot.exec(
        "sam", "/tac update family send", room=room
    )
    with bot.core.db.transaction() as s:
        assert [u.state for u in s.scalars(select(FamilyUpdate))] == ["draft"]
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "family.update_sent")).all() == []
    assert "Sent the update to @jo" in await bot.exec("sam", "/tac update family send", room=room)
