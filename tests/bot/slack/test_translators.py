"""The two pure translators, on payloads recorded in Slack's documented shapes."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack import incoming
from bot.slack.prompt import prompt_view
from bot.slack.render import messages, view_blocks
from handlers.replies import (
    Bullets,
    Button,
    Buttons,
    Code,
    Divider,
    Fields,
    Heading,
    Mention,
    Note,
    Prompt,
    Reply,
    Strong,
    para,
    reply,
)
from tests.fakes.blockkit import check_blocks, check_view, pings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "slack"


def form(name: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl((FIXTURES / name).read_text().strip()))


def payload(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())  # type: ignore[no-any-return]


def test_slash_command_becomes_a_command_with_canonical_mentions_and_unescaped_text() -> None:
    cmd = incoming.command(form("slash_command.txt"))
    assert cmd.actor.platform == "slack" and cmd.actor.workspace == "T0001"
    assert cmd.actor.user_id == "U2147483697" and cmd.actor.display_name == "sam"
    assert cmd.room_id == "C2147483705"
    assert cmd.text == 'invite <@U0ANNA01|anna> educational-psychologist agency "Ed Psych & Co <North>"'


def test_a_slash_command_in_a_direct_message_has_no_room() -> None:
    cmd = incoming.command(form("slash_command_dm.txt"))
    assert cmd.room_id is None and cmd.text == "status TAC-0001"


def test_block_action_becomes_an_interaction() -> None:
    press = incoming.pressed(payload("block_actions.json"))
    assert press.prompt is None
    assert press.interaction.action == "chaser.done" and press.interaction.value == "1"
    assert press.interaction.room_id == "C2147483705" and press.interaction.actor.user_id == "U0ANNA01"
    assert press.response_url and press.trigger_id


def test_a_prompting_button_opens_a_modal_whose_submission_carries_the_input() -> None:
    press = incoming.pressed(payload("block_actions_prompt.json"))
    assert press.prompt == ("date", "New due date", "due")
    view = prompt_view(press, today="2026-09-14")
    assert check_view(view) == []
    assert view["blocks"][0]["element"]["type"] == "datepicker"
    recorded = payload("view_submission.json")
    assert json.loads(recorded["view"]["private_metadata"]) == json.loads(view["private_metadata"])
    done = incoming.submitted(recorded)
    assert done.errors == {}
    assert done.interaction.action == "chaser.later" and done.interaction.value == "1"
    assert done.interaction.inputs == {"due": "2026-10-02"} and done.interaction.room_id == "C2147483705"
    assert done.response_url == press.response_url


def test_an_empty_submission_is_refused_with_an_error() -> None:
    recorded = payload("view_submission.json")
    recorded["view"]["state"]["values"]["prompt"]["value"]["selected_date"] = None
    assert incoming.submitted(recorded).errors == {"prompt": "Please fill this in."}


def test_events() -> None:
    left = incoming.room_change(payload("member_left_channel.json"))
    assert (left.workspace, left.room_id, left.user_id) == ("T0001", "C2147483705", "U0ANNA01")
    opener = incoming.home_opener(payload("app_home_opened.json"))
    assert (opener.workspace, opener.user_id) == ("T0001", "U2147483697")


HOSTILE = 'Hi <!channel> <!here> <!everyone> <@U999> <https://evil.example|bank> & "x" >'


def test_user_text_never_pings_mentions_or_disguises_a_link() -> None:
    r = reply(
        Heading(HOSTILE),
        para(HOSTILE, " by ", Mention("U0ANNA01", "anna"), " ", Strong(HOSTILE), " ", Code(HOSTILE)),
        Fields((("Alias", (HOSTILE,)),)),
        Bullets(((HOSTILE,),)),
        Note((HOSTILE,)),
        summary=HOSTILE,
    )
    (msg,) = messages(r)
    dumped = json.dumps(msg.blocks) + msg.text
    assert not pings(dumped)
    assert re.findall(r"<@(\w+)", dumped) == ["U0ANNA01"]
    assert "<https" not in dumped and "&lt;!channel&gt;" in dumped
    assert check_blocks(msg.blocks) == []


def test_a_mention_with_a_non_slack_id_is_shown_as_text() -> None:
    (msg,) = messages(Reply.text(Mention("<!here>", "x")))
    assert "<" not in json.dumps(msg.blocks).replace("&lt;", "")


def test_long_content_is_split_within_every_limit() -> None:
    long = "word " * 3000 + "x" * 7000 + " & <" * 2000
    r = reply(
        Heading("h" * 400),
        *[para(long) for _ in range(3)],
        Fields(tuple((f"F{i}", ("v" * (i * 300),)) for i in range(25))),
        Bullets(tuple((f"item {i} " + "b" * 200,) for i in range(200))),
        Buttons(tuple(Button(f"Button {i} " + "l" * 100, f"x.y{i}", str(i)) for i in range(60))),
        Divider(),
        Note(("n" * 9000,)),
        summary="s" * 50000,
    )
    out = messages(r)
    assert len(out) > 1
    for msg in out:
        assert check_blocks(msg.blocks) == [] and len(msg.text) <= 4000
    assert check_blocks(view_blocks(r), surface="home") == []
    text = "".join(b.get("text", {}).get("text", "") for m in out for b in m.blocks)
    assert text.count("word") == 3 * 3000 and text.count("&amp; &lt;") == 3 * 2000


def test_buttons_carry_action_value_and_prompt() -> None:
    r = reply(
        Buttons(
            (
                Button("Done", "chaser.done", "7", style="primary"),
                Button("Need more time", "chaser.later", "7", prompt=Prompt("date", "New date", "due")),
            )
        ),
        summary="chaser",
    )
    (msg,) = messages(r)
    elements = msg.blocks[0]["elements"]
    assert [json.loads(e["value"]) for e in elements] == [
        {"a": "chaser.done", "v": "7"},
        {"a": "chaser.later", "v": "7", "p": ["date", "New date", "due"]},
    ]
    assert elements[0]["style"] == "primary" and elements[0]["action_id"] != elements[1]["action_id"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=4000), st.text(max_size=200))
def test_any_user_text_renders_safely(body: str, label: str) -> None:
    r = reply(
        Heading(label or "h"), para(body), Fields(((label or "l", (body,)),)), Note((body,)), summary=body
    )
    for msg in messages(r):
        dumped = json.dumps(msg.blocks) + msg.text
        assert not pings(dumped) and "<@" not in dumped and "<http" not in dumped
        assert check_blocks(msg.blocks) == []
