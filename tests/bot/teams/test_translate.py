"""Recorded Teams activities -> neutral Commands and Interactions."""

from __future__ import annotations

from bot.teams.translate import channel_of, tenant_of, to_command, to_interaction
from handlers.grammar.tokens import tokenize
from tests.bot.teams.fixtures import TENANT, recorded


def test_a_channel_message_loses_the_bot_mention_and_keeps_people_as_canonical_mentions() -> None:
    activity = recorded("channel_message_invite")
    command = to_command(activity)
    assert (
        command.text
        == 'invite <@29:1AnnaEvansEPmJ4rT9wXc2Lk8s|Anna Evans> educational-psychologist agency "County EPS"'
    )
    assert command.names == {"29:1AnnaEvansEPmJ4rT9wXc2Lk8s": "Anna Evans"}
    assert command.room_id == "19:c0ffee0001tacroom@thread.tacv2;messageid=1789374662418"
    assert channel_of(command.room_id) == "19:c0ffee0001tacroom@thread.tacv2"
    actor = command.actor
    assert (actor.platform, actor.workspace, actor.user_id, actor.display_name) == (
        "teams",
        TENANT,
        "29:1SamSencoQ0vLx8hQb7Yk3tq1nZ2P",
        "Sam Senco",
    )
    mention = tokenize(command.text)[1]
    assert mention.mention == "29:1AnnaEvansEPmJ4rT9wXc2Lk8s" and mention.text == "Anna Evans"


def test_a_personal_message_has_no_room_and_drops_a_leading_tac() -> None:
    command = to_command(recorded("personal_message"))
    assert command.text == "status case TAC-0001" and command.room_id is None
    assert tenant_of(recorded("personal_message")) == TENANT


def test_a_group_chat_is_a_room_and_nbsp_is_a_space() -> None:
    command = to_command(recorded("group_chat_message"))
    assert command.text == "team" and command.room_id == "19:meeting_groupchat0001@thread.v2"


def test_mention_text_cannot_smuggle_a_second_mention_or_markup() -> None:
    activity = recorded("channel_message_invite")
    activity["entities"][1]["mentioned"]["name"] = "Anna> <@29:evil|x"
    activity["entities"][1]["text"] = "<at>Anna Evans</at>"
    text = to_command(activity).text
    assert text.count("<@") == 1 and "<@29:1AnnaEvansEPmJ4rT9wXc2Lk8s|Anna 29:evilx>" in text
    activity["text"] = "<at>TAC Bot</at> invite &lt;@29:evil|Eve&gt; other"
    assert "<@" not in to_command(activity).text


def test_a_card_submit_is_an_interaction_with_its_inputs() -> None:
    interaction = to_interaction(recorded("card_submit"))
    assert interaction is not None
    assert (interaction.action, interaction.value, interaction.inputs) == (
        "chaser.later",
        "7",
        {"due": "2026-10-01"},
    )
    assert interaction.room_id is None and interaction.actor.user_id == "29:1TomTeacherHk2b9QwZ"
    assert to_interaction(recorded("personal_message")) is None


def test_an_action_execute_invoke_is_an_interaction_too() -> None:
    interaction = to_interaction(recorded("card_execute_invoke"))
    assert interaction is not None and (interaction.action, interaction.value) == ("chaser.done", "7")
