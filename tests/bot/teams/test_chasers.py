"""Chasers on Teams end to end: queued with an action, sent by run_due through the stored reference,
answered with the card's Done / Need more time / Blocked over /api/messages."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from storage.models import Action, Reminder
from tests.bot.teams.cardcheck import assert_valid_card
from tests.bot.teams.conftest import TeamsHarness
from tests.bot.teams.fakes import Sent
from tests.handlers.chasing.helpers import at

pytestmark = pytest.mark.asyncio

TOM_CHAT = "a:1tomPersonalChat"
SAM_CHAT = "a:1samPersonalChat"


async def _action_for_tom(teams: TeamsHarness) -> None:
    await teams.say("tom", "help")  # Tom has talked to the bot: his 1:1 chat is remembered
    await teams.say("sam", "open Robin year 4")
    assert teams.graph is not None
    room = next(iter(teams.graph.channels))
    await teams.say("sam", 'consent given by "Jo Taylor" scope all', room=room)
    await teams.say("sam", "invite @tom class-teacher", room=room)
    reply = await teams.say("sam", 'action add "Phonics group" owner @tom due 2026-09-28', room=room)
    assert "Added action 1" in reply, reply


async def _chaser(teams: TeamsHarness, clock: ManualClock) -> Sent:
    """Advance to the first chaser (two working days before) and run the scheduler once."""
    before = len(teams.connector.sent)
    clock.set(at(2026, 9, 24, 7, 59))
    assert (await run_due(teams.core, now=clock.now())).sent == 0
    clock.set(at(2026, 9, 24, 8, 0))
    assert (await run_due(teams.core, now=clock.now())).sent == 1
    [sent] = teams.connector.sent[before:]
    assert sent.conversation == TOM_CHAT
    assert_valid_card(sent.activity["attachments"][0]["content"])
    assert "Reminder: TAC-0001 (Robin)" in sent.text and "Action 1 is due Mon 28 Sep" in sent.text
    # The card names its action; the notification summary says the reference and the kind only.
    assert (
        "Phonics group" in sent.text and sent.activity["summary"] == "TAC-0001: Action 1 is due Mon 28 Sep."
    )
    return sent


def _buttons(sent: Sent) -> dict[str, dict[str, Any]]:
    """Button title -> (data it submits, the ids of the inputs it asks for first)."""
    found: dict[str, dict[str, Any]] = {}
    for element in sent.activity["attachments"][0]["content"]["body"]:
        for action in element.get("actions", []) if element["type"] == "ActionSet" else []:
            if action["type"] == "Action.ShowCard":
                [send] = action["card"]["actions"]
                inputs = [i["id"] for i in action["card"]["body"]]
                found[action["title"]] = {"data": send["data"], "inputs": inputs}
            else:
                found[action["title"]] = {"data": action["data"], "inputs": []}
    return found


def _action(teams: TeamsHarness) -> tuple[str, str]:
    with teams.core.db.transaction() as s:
        action = s.scalars(select(Action)).one()
        return action.status, action.due.isoformat()


def _pending(teams: TeamsHarness) -> list[str]:
    with teams.core.db.transaction() as s:
        return [r.step for r in s.scalars(select(Reminder).where(Reminder.state == "pending"))]


async def test_a_chaser_reaches_teams_and_done_closes_the_action(
    teams: TeamsHarness, clock: ManualClock
) -> None:
    await _action_for_tom(teams)
    buttons = _buttons(await _chaser(teams, clock))
    assert set(buttons) == {"Done", "Need more time", "Blocked"}
    reply = await teams.press("tom", buttons["Done"]["data"])
    assert "Action 1 on TAC-0001 is done" in reply
    assert _action(teams)[0] == "done" and _pending(teams) == []


async def test_need_more_time_asks_a_date_and_moves_the_action(
    teams: TeamsHarness, clock: ManualClock
) -> None:
    await _action_for_tom(teams)
    later = _buttons(await _chaser(teams, clock))["Need more time"]
    assert later["inputs"] == ["in_date"]
    reply = await teams.press("tom", {**later["data"], "in_date": "2026-10-09"})
    assert "now due Fri 09 Oct 2026" in reply
    assert _action(teams) == ("open", "2026-10-09") and len(_pending(teams)) == 3
    assert "in the past" in await teams.press("tom", {**later["data"], "in_date": "2026-09-01"})


async def test_blocked_asks_why_and_tells_the_key_worker(teams: TeamsHarness, clock: ManualClock) -> None:
    await _action_for_tom(teams)
    blocked = _buttons(await _chaser(teams, clock))["Blocked"]
    assert blocked["inputs"] == ["in_reason"]
    reply = await teams.press("tom", {**blocked["data"], "in_reason": "No room free <at>Sam</at>"})
    assert "told the key worker" in reply
    note = teams.connector.to(SAM_CHAT)[-1]
    assert "Blocked: TAC-0001 (Robin)" in note.text and "No room free <at>Sam</at>" in note.text
    entities = note.activity["attachments"][0]["content"]["msteams"]["entities"]
    assert [e["text"] for e in entities] == ["<at>Tom Teacher</at>"]  # the typed <at> mentions nobody
    assert _pending(teams) == []


async def test_someone_else_pressing_the_chaser_changes_nothing(
    teams: TeamsHarness, clock: ManualClock
) -> None:
    await _action_for_tom(teams)
    done = _buttons(await _chaser(teams, clock))["Done"]
    reply = await teams.press("dan", done["data"])
    assert "can no longer see or change" in reply
    assert _action(teams)[0] == "open"
