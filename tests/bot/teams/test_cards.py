"""Neutral replies -> Adaptive Cards: valid 1.5 cards, user text inert, mentions real."""

from __future__ import annotations

from bot.teams.cards import attachment, escape, render_card
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
from tests.bot.teams.cardcheck import assert_valid_card

SAM = Mention(user_id="29:1sam", name="Sam Senco")


def everything() -> Reply:
    return reply(
        Heading("Team Around the Child: TAC-0001"),
        Fields((("Case", ("TAC-0001",)), ("Route", ("sen-support",)))),
        Fields((("Key worker", (SAM,)),)),
        Divider(),
        para("Opened case ", Strong("TAC-0001 (Robin)"), " for ", SAM, ". Try ", Code("status"), "."),
        Bullets((("one",), (SAM, " · senco"))),
        Buttons(
            (
                Button("Done", "chaser.done", "7", style="primary"),
                Button("Need more time", "chaser.later", "7", prompt=Prompt("date", "New date", "due")),
                Button("Blocked", "chaser.blocked", "7", style="danger", prompt=Prompt("text", "Why?")),
            )
        ),
        Note(("Type `help`.",)),
        summary="Opened TAC-0001",
    )


def test_every_block_renders_to_a_valid_card() -> None:
    card = render_card(everything())
    assert_valid_card(card)
    assert card["version"] == "1.5"
    types = [e["type"] for e in card["body"]]
    assert types[:3] == ["TextBlock", "FactSet", "Container"]  # a mention in a field -> ColumnSet rows
    assert card["body"][2]["items"][0]["type"] == "ColumnSet"
    assert card["body"][3]["separator"] is True
    assert attachment(everything())["contentType"] == "application/vnd.microsoft.card.adaptive"


def test_buttons_submit_action_and_value_and_prompts_show_a_card() -> None:
    actions = next(e for e in render_card(everything())["body"] if e["type"] == "ActionSet")["actions"]
    done, later, blocked = actions
    assert done == {
        "type": "Action.Submit",
        "title": "Done",
        "data": {"action": "chaser.done", "value": "7"},
        "style": "positive",
    }
    assert later["type"] == "Action.ShowCard"
    assert later["card"]["body"][0]["type"] == "Input.Date" and later["card"]["body"][0]["id"] == "in_due"
    assert later["card"]["actions"][0]["data"] == {"action": "chaser.later", "value": "7"}
    assert blocked["card"]["body"][0]["type"] == "Input.Text"


def test_mentions_are_real_teams_mentions() -> None:
    card = render_card(everything())
    assert card["msteams"]["entities"] == [
        {"type": "mention", "text": "<at>Sam Senco</at>", "mentioned": {"id": "29:1sam", "name": "Sam Senco"}}
    ]
    paragraph = card["body"][3]["text"]
    assert "<at>Sam Senco</at>" in paragraph and "**TAC-0001 \\(Robin\\)**" in paragraph


def test_user_text_cannot_become_markdown_links_or_mentions() -> None:
    nasty = "**bold** _it_ [click](https://evil.example/x) www.evil.example <at>Sam Senco</at> `code`"
    card = render_card(Reply.text("Reason: ", nasty))
    assert_valid_card(card)
    text = card["body"][0]["text"]
    assert "msteams" not in card  # no mention entity came from user text
    # Backticks read as a command hint, as Slack shows them as code: bold, still escaped inside.
    assert text.endswith(" **code**")
    text = text.removesuffix(" **code**")
    for live in ("**", "[click]", "https://", "www.evil", "<at>", "](", "_it_"):
        assert live not in text, live
    hinted = render_card(Reply.text("`[click](https://evil.example) @channel`"))["body"][0]["text"]
    assert "](" not in hinted and "https://" not in hinted and "\\[click\\]" in hinted
    assert escape("- a list?\n2. or this") == "\\- a list?\n2\\. or this"
    assert escape("plain words, stay plain") == "plain words, stay plain"


def test_a_refusal_is_marked_and_an_empty_reply_still_says_something() -> None:
    refused = Reply(blocks=(para("Only a SENCO can open a case."),), summary="no", refused=True)
    assert render_card(refused)["body"][0]["color"] == "Attention"
    card = render_card(Reply(summary="Nothing to show"))
    assert_valid_card(card)
    assert card["body"][0]["text"] == "Nothing to show"


def test_a_member_outside_the_tenant_is_named_not_mentioned() -> None:
    """An ``ext.`` member has no Teams account: their name in plain text, no <at> tag, no entity."""
    outsider = Mention(user_id="ext.0123456789abcdef", name="Dr <Ann> Vale")
    card = render_card(Reply.text(outsider, " joined the team, with ", SAM, ".", private=False))
    assert_valid_card(card)
    text = card["body"][0]["text"]
    assert text.startswith("Dr \\<Ann\\> Vale joined the team")  # escaped like any text
    assert "<at>Dr" not in text and "ext." not in str(card)
    assert card["fallbackText"] == "Dr <Ann> Vale joined the team, with @Sam Senco."
    assert [e["mentioned"]["id"] for e in card["msteams"]["entities"]] == ["29:1sam"]
    nameless = render_card(Reply.text(Mention(user_id="ext.0123456789abcdef"), " joined.", private=False))
    assert "ext." not in str(nameless) and "msteams" not in nameless
    assert nameless["body"][0]["text"] == "someone joined." == nameless["fallbackText"]
