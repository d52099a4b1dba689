"""Corrections over signed Slack HTTP (issue 10): `close` with work open asks first with a Confirm button;
pressing it closes and archives; a handover is announced in the room."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage.engine import Database
from storage.models import Case
from tests.bot.slack.test_slack_http import open_case
from tests.fakes.slack_driver import SlackDriver, buttons_in, press_payload


async def test_close_with_open_work_asks_and_the_confirm_button_closes(
    slack: SlackDriver, db: Database
) -> None:
    room = await open_case(slack)
    await slack.command("U0SAM", 'consent given by "Mrs Smith" relationship parent scope all', channel=room)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room)
    await slack.command("U0SAM", 'action add "Phonics group" owner <@U0TOM|tom> due in 2 weeks', channel=room)
    await slack.command("U0SAM", 'close reason "moved school"', channel=room)
    asked = slack.fake.responses[-1]
    assert "still has open work" in json.dumps(asked) and "Phonics group" in json.dumps(asked)
    assert not slack.fake.channels[room].archived
    confirm = next(b for b in buttons_in([asked]) if b["text"]["text"] == "Confirm")
    payload = press_payload("U0SAM", confirm, channel=room, response_url=slack.fake.response_url())
    status, _ = await slack.interactive(payload)
    assert status == 200
    assert slack.fake.channels[room].archived
    with db.transaction() as s:
        case = s.scalars(select(Case)).one()
        assert case.status == "closed" and case.close_reason == "moved school"


async def test_handover_over_slack(slack: SlackDriver, db: Database) -> None:
    room = await open_case(slack)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room)
    await slack.command("U0SAM", "handover <@U0TOM|tom>", channel=room)
    assert "now the key worker instead of" in slack.fake.texts(slack.fake.posts_to(room))
    assert "You are now the key worker" in slack.fake.texts(slack.fake.posts_to("DU0TOM"))
    await slack.command("U0TOM", "alias Robbie", channel=room)
    with db.transaction() as s:
        assert s.scalars(select(Case)).one().alias == "Robbie"


async def test_reopen_on_slack_makes_a_new_channel_as_a_bot_cannot_unarchive(
    slack: SlackDriver, db: Database
) -> None:
    room = await open_case(slack)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room)
    await slack.command("U0SAM", "close", channel=room)
    assert slack.fake.channels[room].archived
    await slack.command("U0SAM", "reopen case TAC-0001", channel="DU0SAM")
    assert "Reopened" in json.dumps(slack.fake.responses[-1])
    assert [c.method for c in slack.fake.attempts if c.method == "conversations.unarchive"]
    new = slack.fake.channel_named("tac-0001-2")
    assert new is not None and {"U0SAM", "U0TOM"} <= new.members
    assert "is open again" in slack.fake.texts(slack.fake.posts_to(new.id))
    await slack.command("U0TOM", "team", channel=new.id)  # the case is found from its new room
    assert "Team around" in json.dumps(slack.fake.responses[-1])
