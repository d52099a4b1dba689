"""Someone leaves the team (issue 10, part 5): the key worker sees their open work with one-tap choices
(give each action to someone on the team, or cancel it); `plan` marks actions whose owner left; nothing
about the case reaches them afterwards (not even the actions after a review)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.console.session import ConsoleBot
from handlers.membership import member_left_room
from handlers.replies import Button, Buttons, Reply
from storage.models import Action

pytestmark = pytest.mark.asyncio
ROOM = "tac-0001"


async def team_with_work(bot: ConsoleBot) -> None:
    await bot.exec("sam", "/tac open Robin year 4")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room=ROOM)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=ROOM)
    await bot.exec("sam", "/tac invite @lee teaching-assistant", room=ROOM)
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room=ROOM)
    await bot.exec("sam", '/tac action add "Observe Robin in literacy" owner @anna due in 2 weeks', room=ROOM)
    await bot.exec("sam", '/tac action add "Phonics group" owner @tom due in 2 weeks', room=ROOM)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=ROOM)


def buttons(reply: Reply) -> dict[str, Button]:
    return {b.label: b for block in reply.blocks if isinstance(block, Buttons) for b in block.buttons}


def owner_of(bot: ConsoleBot, number: int) -> tuple[int, str]:
    with bot.core.db.transaction() as s:
        action = s.scalars(select(Action).where(Action.number == number)).one()
        return action.owner_id, action.status


async def test_remove_lists_their_open_work_and_a_tap_gives_an_action_to_someone_else(
    bot: ConsoleBot,
) -> None:
    await team_with_work(bot)
    text = await bot.exec("sam", "/tac remove @anna", room=ROOM)
    assert "Removed @anna from TAC-0001." in text
    assert "Action 1: Observe Robin in literacy · @anna" in text
    assert "Input 1: Educational psychology advice from @anna" in text and "were cancelled" in text
    assert "Phonics" not in text  # only what they had open
    choices = buttons(bot.replies[-1][1])
    assert "Action 1 to Lee Chan" in choices and "Cancel action 1" in choices
    plan = await bot.exec("tom", "/tac plan", room=ROOM)
    assert "Action 1: Observe Robin in literacy · @anna (left the team)" in plan
    assert "(left the team)" not in plan.split("Phonics")[1].split("\n")[0]
    give = choices["Action 1 to Lee Chan"]
    # Someone else pressing it is refused like typing it would be.
    assert "Only the key worker" in await bot.press("tom", give.action, give.value, room=ROOM)
    assert "owner @lee" in await bot.press("sam", give.action, give.value)
    with bot.core.db.transaction() as s:
        from storage.repo import people

        lee = people.find_person(s, platform="console", external_id="lee")
        assert lee is not None
    assert owner_of(bot, 1) == (lee.id, "open")
    assert "(left the team)" not in await bot.exec("tom", "/tac plan", room=ROOM)
    ask_tom = choices["Input 1 from Tom Reid"]  # the cancelled request, asked of someone else in one tap
    assert "Asked @tom for Educational psychology advice" in await bot.press(
        "sam", ask_tom.action, ask_tom.value
    )
    assert bot.form_requests("tom"), "Tom was sent the form"


async def test_consent_withdrawn_lists_their_work_and_a_tap_cancels_an_action(bot: ConsoleBot) -> None:
    await team_with_work(bot)
    text = await bot.exec("sam", '/tac consent withdrawn by "Jo Taylor" scope all', room=ROOM)
    assert "Observe Robin in literacy" in text
    cancel = buttons(bot.replies[-1][1])["Cancel action 1"]
    assert "Removed action 1" in await bot.press("sam", cancel.action, cancel.value)
    assert owner_of(bot, 1)[1] == "removed"


async def test_leaving_the_room_tells_the_key_worker_what_they_left_open(bot: ConsoleBot) -> None:
    await team_with_work(bot)
    sim = bot.platform.room_by_name(ROOM)
    assert sim is not None
    await member_left_room(bot.core, platform="console", workspace="console", room_id=sim.id, user_id="anna")
    note = bot.sent_to(user="sam")[-1]
    assert "left the room" in note.text and "Observe Robin in literacy" in note.text
    assert "Robin" not in note.reply.summary
    assert "Cancel action 1" in buttons(note.reply)


async def test_review_record_does_not_send_a_leaver_their_actions(bot: ConsoleBot) -> None:
    await team_with_work(bot)
    await bot.exec("sam", '/tac consent withdrawn by "Jo Taylor" scope education', room=ROOM)  # anna leaves
    before = len(bot.sent_to(user="anna"))
    reply = await bot.exec("sam", '/tac review record decided "Carry on"', room=ROOM)
    assert "1 action owner(s) told" in reply
    assert len(bot.sent_to(user="anna")) == before
    assert "Phonics group" in bot.sent_to(user="tom")[-1].text
