"""What the seeds ask beyond the case, on Teams through /api/messages with the fakes."""

from __future__ import annotations

import pytest

from tests.bot.teams.conftest import TeamsHarness
from tests.directory import load_example

pytestmark = pytest.mark.asyncio


async def open_case(teams: TeamsHarness) -> str:
    await teams.say("sam", "open Robin")
    assert teams.graph is not None
    return next(iter(teams.graph.channels))


async def test_purpose_becomes_the_channel_description(teams: TeamsHarness) -> None:
    room = await open_case(teams)
    reply = await teams.say("sam", 'purpose "Robin reads with confidence by the summer"', room=room)
    assert "is set and announced" in reply
    assert teams.graph is not None
    assert teams.graph.channels[room]["description"] == "TAC-0001: Robin reads with confidence by the summer"
    assert ("PATCH", f"teams/team-oak-primary/channels/{room}") in [(m, p) for m, p, _ in teams.graph.calls]
    assert "set the team's purpose" in teams.room_posts(room)[-1].text
    assert "Robin reads with confidence" in await teams.say("sam", "status", room=room)
    assert "Robin reads with confidence" in await teams.say("sam", "purpose", room=room)


async def test_purpose_refusals_on_teams(teams: TeamsHarness) -> None:
    room = await open_case(teams)
    stranger = await teams.say("dan", 'purpose "x" case TAC-0001')
    assert "can't find TAC-0001" in stranger and "Robin" not in stranger
    assert "double quotes" in await teams.say("sam", "purpose plain words", room=room)
    assert teams.graph is not None and "TAC-0001: Team Around" in teams.graph.channels[room]["description"]


async def test_purpose_in_a_thread_room_is_announced_without_graph(teams_threads: TeamsHarness) -> None:
    t = teams_threads
    await t.say("sam", "open Robin")
    thread = next(s.conversation for s in t.connector.sent if s.conversation.startswith("19:sencasework"))
    assert "is set and announced" in await t.say("sam", 'purpose "Robin settles in class"', room=thread)
    assert any("Robin settles in class" in sent.text for sent in t.connector.to(thread))


async def test_the_service_directory_on_teams(teams: TeamsHarness) -> None:
    assert "tacbot services load" in await teams.say("tom", "services")
    load_example(teams.core.db)
    assert "Children's Occupational Therapy" in await teams.say("tom", "services")
    shown = await teams.say("tom", "service ot")
    assert "Sensory circuits" in shown and "Cost to the school" in shown
    assert "Did you mean `service ot`?" in await teams.say("tom", "service oot")
