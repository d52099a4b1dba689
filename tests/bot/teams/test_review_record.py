"""`review record` on Teams (issue 10, part 3): the form card itself, not a button to get it; before the
meeting starts, a refusal saying when it is."""

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
