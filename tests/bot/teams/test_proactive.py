"""Proactive messages through stored conversation references, and card buttons coming back."""

from __future__ import annotations

import pytest

from bot.teams.refs import References
from handlers import dispatch
from handlers.core import Ask
from handlers.model import Interaction
from handlers.replies import Button, Buttons, Prompt, Reply, para, reply
from tests.bot.teams.cardcheck import assert_valid_card
from tests.bot.teams.conftest import TeamsHarness
from tests.bot.teams.fakes import PEOPLE, card_text
from tests.bot.teams.fixtures import TENANT

pytestmark = pytest.mark.asyncio

CHASER = reply(
    para("Your action 7 is due tomorrow."),
    Buttons(
        (
            Button("Done", "chaser.done", "7", style="primary"),
            Button("Need more time", "chaser.later", "7", prompt=Prompt("date", "New date", "due")),
        )
    ),
    summary="Action 7 is due tomorrow",
    private=False,
)


async def test_a_chaser_goes_through_the_stored_reference(teams: TeamsHarness) -> None:
    await teams.say("tom", "help")  # Tom has talked to the bot once: his 1:1 chat is remembered
    refs = References(teams.core.db)
    stored = refs.reference(kind="user", key=PEOPLE["tom"].id)
    assert stored is not None and stored.conversation.id == "a:1tomPersonalChat"
    before = len(teams.connector.created)
    await teams.platform.direct_message(workspace=TENANT, user_id=PEOPLE["tom"].id, reply=CHASER)
    sent = teams.connector.to("a:1tomPersonalChat")[-1]
    assert sent is teams.connector.sent[-1] and "due tomorrow" in sent.text
    assert sent.activity["summary"] == "Action 7 is due tomorrow"
    actions = [e for e in sent.activity["attachments"][0]["content"]["body"] if e["type"] == "ActionSet"]
    assert actions[0]["actions"][0]["data"] == {"action": "chaser.done", "value": "7"}
    assert len(teams.connector.created) == before  # no new conversation was needed


async def test_someone_never_met_gets_a_new_one_to_one_chat_which_is_then_remembered(
    teams: TeamsHarness,
) -> None:
    await teams.say("sam", "help")  # the tenant's service URL is known from here on
    ravi = PEOPLE["ravi"].id
    await teams.platform.direct_message(workspace=TENANT, user_id=ravi, reply=CHASER)
    created = teams.connector.created[-1]
    assert created["members"] == [{"id": ravi}] and created["channelData"] == {"tenant": {"id": TENANT}}
    conversation = teams.connector.sent[-1].conversation
    assert "due tomorrow" in teams.connector.sent[-1].text
    await teams.platform.direct_message(workspace=TENANT, user_id=ravi, reply=CHASER)
    assert len(teams.connector.created) == 1 and teams.connector.sent[-1].conversation == conversation


async def test_chaser_buttons_come_back_as_interactions_with_their_inputs(
    teams: TeamsHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Interaction] = []

    async def chaser(ask: Ask, interaction: Interaction) -> Reply:
        seen.append(interaction)
        return Reply.text(f"Noted: {interaction.action} {interaction.value} {interaction.inputs}")

    monkeypatch.setitem(dispatch.INTERACTIONS, "chaser", chaser)
    assert "Noted: chaser.done 7 {}" in await teams.press("tom", {"action": "chaser.done", "value": "7"})
    reply_text = await teams.press("tom", {"action": "chaser.later", "value": "7", "in_due": "2026-10-01"})
    assert "{'due': '2026-10-01'}" in reply_text
    assert seen[-1].actor.platform == "teams" and seen[-1].actor.user_id == PEOPLE["tom"].id
    assert "no longer does anything" in await teams.press("tom", {"action": "nothing.here", "value": ""})


async def test_installing_the_bot_in_a_team_remembers_the_channel_and_tenant(teams: TeamsHarness) -> None:
    from tests.bot.teams.fixtures import recorded

    activity = recorded("conversation_update_installed")
    activity["serviceUrl"] = teams.connector.url
    assert await teams.post(activity) in (200, 201)
    refs = References(teams.core.db)
    room = refs.reference(kind="room", key="19:5c4001general@thread.tacv2")
    service = refs.reference(kind="service", key=TENANT)
    assert room is not None and service is not None and service.service_url == teams.connector.url
    await teams.platform.post(workspace=TENANT, room_id="19:5c4001general@thread.tacv2", reply=CHASER)
    assert "due tomorrow" in teams.connector.last_text("19:5c4001general@thread.tacv2")


async def test_an_action_execute_invoke_is_answered_and_handled(
    teams: TeamsHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.bot.teams.fixtures import recorded

    async def chaser(ask: Ask, interaction: Interaction) -> Reply:
        return Reply.text(f"Marked action {interaction.value} done.")

    monkeypatch.setitem(dispatch.INTERACTIONS, "chaser", chaser)
    activity = recorded("card_execute_invoke")
    activity["serviceUrl"] = teams.connector.url
    response = await teams.client.post("/api/messages", json=activity)
    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert_valid_card(body["value"])
    assert "Marked action 7 done." in card_text({"attachments": [{"content": body["value"]}]})
