"""What the seeds ask beyond the case, on Teams through /api/messages with the fakes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from tests.bot.teams.conftest import TeamsHarness
from tests.bot.teams.fakes import PEOPLE, Sent, message
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
    assert "Did you mean service ot?" in await teams.say("tom", "service oot")


CONCERN = {
    "child": "Robin, Year 4",
    "seen": "Robin said he is scared of his brother",
    "when": "Today 10:15, the library",
    "at_risk": "Robin",
    "done": "Stayed with Robin",
}


def button_data(sent: Sent, label: str) -> dict[str, Any]:
    """The data of the card button ``label`` in a message the bot sent."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("title") == label and isinstance(node.get("data"), dict):
                found.append(node["data"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(sent.activity.get("attachments"))
    assert found, f"no {label!r} button"
    return found[0]


async def test_a_concern_typed_in_a_channel_reaches_only_the_dsl(teams: TeamsHarness) -> None:
    teams.core.dsls = (("teams", PEOPLE["ravi"].id),)
    room = await open_case(teams)
    await teams.say("sam", "invite @tom class-teacher", room=room)
    in_room = len([s for s in teams.connector.sent if s.conversation.startswith(room)])
    typed = message("tom", "concern", service_url=teams.connector.url, room=room, n=teams.ids)
    assert await teams.post(typed) in (200, 201)
    assert len([s for s in teams.connector.sent if s.conversation.startswith(room)]) == in_room
    offer = [s for s in teams.connector.sent if "Write down your safeguarding concern" in s.text][-1]
    assert offer.conversation.startswith("a:") or not offer.conversation.startswith("19:")
    opened = button_data(offer, "Open form")
    assert "Safeguarding concern" in await teams.press("tom", opened)
    missing = await teams.press(
        "tom", {"action": "form.submit", "request": opened["value"], "child": "Robin"}
    )
    assert "Please answer this question." in missing
    receipt = await teams.press("tom", {"action": "form.submit", "request": opened["value"], **CONCERN})
    assert "is with the Designated Safeguarding Lead" in receipt
    to_dsl = [s for s in teams.connector.sent if "Safeguarding concern" in s.text and "scared" in s.text]
    assert len(to_dsl) == 1 and not to_dsl[0].conversation.startswith("19:")
    assert len([s for s in teams.connector.sent if s.conversation.startswith(room)]) == in_room
    ack = button_data(to_dsl[0], "Acknowledge")
    assert "no longer does anything" in await teams.press("tom", ack)
    assert "You have acknowledged" in await teams.press("ravi", ack)
    assert "Only the Designated Safeguarding Leads" in await teams.say("tom", "concerns")
    assert "scared of his brother" in await teams.say("ravi", f"concern {1}")


async def test_a_disclosure_typed_in_a_channel_is_answered_privately(teams: TeamsHarness) -> None:
    room = await open_case(teams)
    in_room = len([s for s in teams.connector.sent if s.conversation.startswith(room)])
    typed = message(
        "sam", "robin has bruises on his arms", service_url=teams.connector.url, room=room, n=teams.ids
    )
    assert await teams.post(typed) in (200, 201)
    assert len([s for s in teams.connector.sent if s.conversation.startswith(room)]) == in_room
    reminder = [s for s in teams.connector.sent if "type concern" in s.text.replace("`", "")][-1]
    assert not reminder.conversation.startswith("19:") and "bruises" not in reminder.text


async def test_a_family_update_on_teams_goes_to_the_parent_only(teams: TeamsHarness) -> None:
    room = await open_case(teams)
    await teams.say("sam", 'consent given by "Jo Taylor" scope all', room=room)
    await teams.say("sam", "invite @dan parent-carer", room=room)
    await teams.say("sam", "invite @tom class-teacher", room=room)
    await teams.say("sam", 'outcome add "Robin reads aloud"', room=room)
    in_room = len([s for s in teams.connector.sent if s.conversation.startswith(room)])
    typed = message("sam", "update family", service_url=teams.connector.url, room=room, n=teams.ids)
    assert await teams.post(typed) in (200, 201)
    assert (
        len([s for s in teams.connector.sent if s.conversation.startswith(room)]) == in_room
    )  # not in the room
    offer = [s for s in teams.connector.sent if "Draft update for the family" in s.text][-1]
    assert "Robin reads aloud" in offer.text and not offer.conversation.startswith("19:")
    edit = button_data(offer, "Edit")
    assert "Update for the family" in await teams.press("sam", edit)
    shown = await teams.press(
        "sam", {"action": "form.submit", "request": edit["value"], "text": "All going well."}
    )
    assert "All going well." in shown
    assert "not yours" in await teams.press("tom", button_data(offer, "Send"))
    assert "Sent the update to" in await teams.say("sam", "update family send", room=room)
    to_parent = [
        s for s in teams.connector.sent if "All going well." in s.text and "from the team at school" in s.text
    ]
    assert len(to_parent) == 1 and not to_parent[0].conversation.startswith("19:")


async def test_a_referral_on_teams(teams: TeamsHarness) -> None:
    load_example(teams.core.db)
    room = await open_case(teams)
    assert "No consent in force covers" in await teams.say("sam", "refer camhs", room=room)
    await teams.say("sam", 'consent given by "Jo Taylor" scope education', room=room)
    assert "needs scope health" in await teams.say("sam", "refer camhs", room=room)
    await teams.say("sam", 'consent given by "Jo Taylor" scope health', room=room)
    assert "Recorded referral 1" in await teams.say("sam", 'refer camhs reason "Anxiety"', room=room)
    assert "is now waiting, expected wait about 20 weeks" in await teams.say(
        "sam", "referral 1 waiting", room=room
    )
    assert "can't find TAC-0001" in await teams.say("tom", "referral 1 closed case TAC-0001")
    listing = await teams.say("sam", "referrals", room=room)
    assert "CAMHS" in listing and "why: Anxiety" in listing


async def test_an_unacknowledged_concern_on_teams_goes_again_and_to_the_senco(
    teams: TeamsHarness, clock: ManualClock
) -> None:
    teams.core.dsls = (("teams", PEOPLE["ravi"].id),)
    await teams.say("tom", "concern")  # in a 1:1 chat: no case at all
    offer = [s for s in teams.connector.sent if "Write down your safeguarding concern" in s.text][-1]
    opened = button_data(offer, "Open form")
    await teams.press("tom", opened)
    await teams.press("tom", {"action": "form.submit", "request": opened["value"], **CONCERN})
    clock.set(datetime(2026, 9, 14, 10, 30, tzinfo=ZoneInfo("Europe/London")))
    await run_due(teams.core, now=clock.now())
    resent = [s for s in teams.connector.sent if "not yet acknowledged" in s.text]
    assert len(resent) == 2  # the DSL again, and the SENCO
    assert all("scared of his brother" in s.text for s in resent)
