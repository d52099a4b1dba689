"""Issue 10 on Teams: `review record` answers with the form card itself (not a button to get it) and is
refused before the meeting starts; `close` with work open asks first and its Confirm button closes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from handlers.clock import ManualClock
from tests.bot.teams.conftest import TeamsHarness

pytestmark = pytest.mark.asyncio


def card_of(teams: TeamsHarness) -> dict[str, object]:
    attachment = teams.connector.sent[-1].activity["attachments"][0]
    content = attachment["content"]
    assert isinstance(content, dict)
    return content


async def test_review_record_answers_with_the_form_card(teams: TeamsHarness, clock: ManualClock) -> None:
    await teams.say("sam", "open Robin")
    assert teams.graph is not None
    room = next(iter(teams.graph.channels))
    await teams.say("sam", 'consent given by "Jo Taylor" scope all', room=room)
    await teams.say("sam", "invite @tom class-teacher", room=room)
    await teams.say("sam", "review on 20/10 at 2.30pm", room=room)
    early = await teams.say("sam", "review record", room=room)
    assert "record it once it has started" in early
    clock.set(datetime(2026, 10, 20, 13, 45, tzinfo=UTC))
    await teams.say("sam", "review record", room=room)
    card = json.dumps(card_of(teams))
    assert "Input.ChoiceSet" in card and "Who came" in card and "Open form" not in card
    assert "Tom" in card  # the team is offered


async def test_close_asks_first_and_the_confirm_button_closes(teams: TeamsHarness) -> None:
    from sqlalchemy import select

    from storage.models import Case
    from tests.bot.teams.test_chasers import _buttons

    await teams.say("sam", "open Robin")
    assert teams.graph is not None
    room = next(iter(teams.graph.channels))
    await teams.say("sam", "invite @tom class-teacher", room=room)
    await teams.say("sam", 'action add "Phonics group" owner @tom due in 2 weeks', room=room)
    asked = await teams.say("sam", "close", room=room)
    assert "still has open work" in asked and "Phonics group" in asked
    confirm = _buttons(teams.connector.sent[-1])["Confirm"]
    assert "Only the key worker" in await teams.press("tom", confirm["data"])
    assert "Closed" in await teams.press("sam", confirm["data"])
    with teams.core.db.transaction() as s:
        assert s.scalars(select(Case)).one().status == "closed"
