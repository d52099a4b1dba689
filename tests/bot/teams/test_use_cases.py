"""The use cases, on Teams, through /api/messages with activities as Teams sends them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import AuditEvent
from tests.bot.teams.conftest import CASE_CHANNEL, TeamsHarness
from tests.bot.teams.fakes import PEOPLE

pytestmark = pytest.mark.asyncio


async def test_open_makes_a_private_channel_owned_by_the_senco(teams: TeamsHarness) -> None:
    reply = await teams.say("sam", "tac open Robin year 4")
    assert "Opened case TAC-0001 (Robin)" in reply
    assert teams.graph is not None
    ((room, body),) = teams.graph.channels.items()
    assert body["displayName"] == "tac-0001" and body["membershipType"] == "private"
    assert teams.graph.members[room] == [PEOPLE["sam"].aad]
    welcome = teams.room_posts(room)[0]
    assert "Team Around the Child: TAC-0001" in welcome.text and "Robin" in welcome.text
    assert "Opened case TAC-0002" in await teams.say("sam", "open Ash")
    assert "tac-0002" in [c["displayName"] for c in teams.graph.channels.values()]


async def test_consent_gate_then_invite_adds_the_member_to_the_channel(teams: TeamsHarness) -> None:
    await teams.say("sam", "open Robin")
    assert teams.graph is not None
    room = next(iter(teams.graph.channels))
    refused = await teams.say("sam", "invite @anna educational-psychologist", room=room)
    assert "can join only once consent covering" in refused
    assert "Recorded consent" in await teams.say("sam", 'consent given by "Jo Taylor" scope all', room=room)
    reply = await teams.say("sam", 'invite @anna educational-psychologist agency "County EPS"', room=room)
    assert "Invited" in reply and "Anna Evans" in reply
    assert PEOPLE["anna"].aad in teams.graph.members[room]
    assert "joined the team" in teams.room_posts(room)[-1].text
    roster = await teams.say("anna", "team", room=room)
    assert "Educational psychologist · County EPS" in roster
    notice = teams.connector.created[-1]
    assert notice["members"] == [{"id": PEOPLE["anna"].id}] and not notice.get("isGroup")


async def test_a_non_member_learns_nothing_about_a_case(teams: TeamsHarness) -> None:
    await teams.say("sam", "open Robin")
    missing = await teams.say("dan", "status case TAC-0099")
    existing = await teams.say("dan", "status case TAC-0001")
    assert existing == missing.replace("TAC-0099", "TAC-0001")
    assert "can't find TAC-0001" in existing and "Robin" not in existing


async def test_remove_and_close_archive_the_channel(teams: TeamsHarness) -> None:
    await teams.say("sam", "open Robin")
    assert teams.graph is not None
    room = next(iter(teams.graph.channels))
    await teams.say("sam", "invite @tom class-teacher", room=room)
    assert PEOPLE["tom"].aad in teams.graph.members[room]
    assert "Removed" in await teams.say("sam", "remove @tom", room=room)
    assert PEOPLE["tom"].aad not in teams.graph.members[room]
    reply = await teams.say("sam", 'close reason "Moved school"', room=room)
    assert "Closed TAC-0001 (Robin)" in reply
    assert room in teams.graph.archived
    assert "TAC-0001 is closed" in teams.room_posts(room)[-1].text


async def test_without_graph_a_case_room_is_a_thread_and_members_hear_one_to_one(
    teams_threads: TeamsHarness,
) -> None:
    t = teams_threads
    assert "Opened case TAC-0001" in await t.say("sam", "open Robin")
    thread = next(s.conversation for s in t.connector.sent if s.conversation.startswith(CASE_CHANNEL))
    assert "tac-0001" in t.connector.to(thread)[0].activity["text"]
    assert "Team Around the Child" in t.connector.last_text(thread)
    await t.say("sam", "invite @tom class-teacher", room=thread)
    tom_chats = [s for s in t.connector.sent if s.conversation.startswith("a:1") and "tac-0001" in s.text]
    assert tom_chats, "tom was told about the case thread in a 1:1 chat"
    assert "Class teacher" in await t.say("tom", "team", room=thread)


async def test_help_and_an_empty_mention(teams: TeamsHarness) -> None:
    assert "open" in await teams.say("tom", "")
    assert "Did you mean status?" in await teams.say("tom", "tac statsu")


async def test_audit_trail_names_teams_people(teams: TeamsHarness) -> None:
    await teams.say("sam", "open Robin")
    with teams.core.db.transaction() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent))]
    assert "case.opened" in actions and "room.ready" in actions


async def test_a_taken_channel_name_gets_a_suffix_and_graph_refusals_are_reported(
    teams: TeamsHarness,
) -> None:
    assert teams.graph is not None
    teams.graph.channels["19:old@thread.tacv2"] = {"displayName": "tac-0001"}
    teams.graph.members["19:old@thread.tacv2"] = []
    assert "Opened case TAC-0001" in await teams.say("sam", "open Robin")
    assert [c["displayName"] for c in teams.graph.channels.values()] == ["tac-0001", "tac-0001-2"]
    teams.graph.token = "only-a-newer-token-is-accepted"
    reply = await teams.say("sam", "open Ash")
    assert "could not be made" in reply and "InvalidAuthenticationToken" in reply


async def test_someone_the_bot_cannot_look_up_cannot_join_a_private_channel(teams: TeamsHarness) -> None:
    await teams.say("sam", "open Robin")
    assert teams.graph is not None
    room = next(iter(teams.graph.channels))
    activity_text = await teams.say("sam", "invite @tom class-teacher", room=room)
    assert "Invited" in activity_text
    teams.platform.refs.remember_user(
        workspace="t", user_id="29:1Stranger", name="Stranger", directory_id=None, now=teams.core.clock.now()
    )
    with pytest.raises(Exception, match="Microsoft 365 account"):
        await teams.platform.add_members(workspace="t", room_id=room, user_ids=["29:1Stranger"])
