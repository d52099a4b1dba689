"""Slack end to end over HTTP: signed requests in, the real AsyncWebClient out to a fake Slack."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse

from storage.engine import Database
from storage.models import AuditEvent, Membership
from tests.fakes.slack_api import BOT_USER, Channel, FakeSlack
from tests.fakes.slack_driver import SlackDriver, signed_headers


async def open_case(slack: SlackDriver, alias: str = "Robin") -> str:
    assert await slack.command("U0SAM", f"open {alias}") == 200
    room = slack.fake.channel_named("tac-0001")
    assert room is not None
    return room.id


async def test_forged_and_expired_signatures_are_refused_and_change_nothing(slack: SlackDriver) -> None:
    body = urllib.parse.urlencode(
        {"team_id": "T0001", "user_id": "U0SAM", "command": "/tac", "text": "open Robin"}
    )
    kind = {"Content-Type": "application/x-www-form-urlencoded"}
    forged = signed_headers(body, secret="not-the-secret")
    response = await slack.client.post("/slack/events", data=body, headers={**kind, **forged})
    assert response.status == 401
    expired = signed_headers(body, at=int(time.time()) - 60 * 10)
    response = await slack.client.post("/slack/events", data=body, headers={**kind, **expired})
    assert response.status == 401
    response = await slack.client.post("/slack/events", data=body, headers=kind)
    assert response.status == 401
    await slack.background.drain()
    assert slack.fake.attempts == [] and slack.fake.responses == []


async def test_a_senco_opens_a_case_with_a_private_room(slack: SlackDriver, db: Database) -> None:
    room_id = await open_case(slack)
    room = slack.fake.channels[room_id]
    assert room.private and room.members == {BOT_USER, "U0SAM"}
    assert room.topic.startswith("TAC-0001") and room.purpose.startswith("TAC-0001")
    create = slack.fake.called("conversations.create")[0]
    assert create["name"] == "tac-0001" and str(create["is_private"]).lower() in ("true", "1")
    welcome = slack.fake.texts(slack.fake.posts_to(room_id))
    assert "TAC-0001" in welcome and "Robin" in welcome
    assert "Opened case" in slack.replies()
    assert slack.fake.responses[-1]["response_type"] == "ephemeral"


async def test_a_non_member_asking_status_learns_nothing(slack: SlackDriver) -> None:
    room_id = await open_case(slack)
    await slack.command("U0TOM", "status case TAC-0001")
    await slack.command("U0TOM", "status", channel=room_id)
    await slack.command("U0TOM", "status case TAC-0999")
    answers = [json.dumps(r) for r in slack.fake.responses[-3:]]
    assert all("Robin" not in a and "Stage" not in a for a in answers)
    assert answers[0].replace("TAC-0001", "X") == answers[2].replace("TAC-0999", "X")


async def test_only_a_senco_may_open_a_case(slack: SlackDriver) -> None:
    await slack.command("U0TOM", "open Robin")
    assert "Only a SENCO" in slack.replies()
    assert slack.fake.called("conversations.create") == []


async def test_a_taken_name_gets_a_numeric_suffix(slack: SlackDriver, fake: FakeSlack) -> None:
    fake.channels["COLD"] = Channel(id="COLD", name="tac-0001", private=True)  # an old channel
    await slack.command("U0SAM", "open Robin")
    names = [c.args["name"] for c in fake.attempts if c.method == "conversations.create"]
    assert names == ["tac-0001", "tac-0001-2"]
    created = fake.channel_named("tac-0001-2")
    assert created is not None and "U0SAM" in created.members
    assert "Opened case" in slack.replies()


async def test_an_invitation_slack_refuses_is_explained(slack: SlackDriver, db: Database) -> None:
    room_id = await open_case(slack)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room_id)
    assert "U0TOM" in slack.fake.channels[room_id].members
    slack.fake.fail_next["conversations.invite"] = ["cant_invite"]
    await slack.command("U0SAM", "invite <@U0JO|jo> teaching-assistant", channel=room_id)
    assert "Slack would not let me add them" in slack.replies()
    await slack.command("U0SAM", "invite <@U0NOBODY> teaching-assistant", channel=room_id)
    assert "know anyone called" in slack.replies()
    await slack.command("U0SAM", "invite <@U0TOM> class-teacher", channel=room_id)  # already in: fine
    assert "already on the team" in json.dumps(slack.fake.responses[-1])
    await slack.command("U0SAM", "invite <@U0JO|jo> teaching-assistant", channel=room_id)  # the retry
    assert "U0JO" in slack.fake.channels[room_id].members
    assert "already on the team" in json.dumps(slack.fake.responses[-1])


async def test_a_room_that_cannot_be_made_is_retried_by_repeating_open(slack: SlackDriver) -> None:
    slack.fake.fail_next["conversations.create"] = ["restricted_action"]
    await slack.command("U0SAM", "open Robin")
    assert "could not be made" in slack.replies() and "workspace setting" in slack.replies()
    await slack.command("U0SAM", "status case TAC-0001")
    assert "not ready" in json.dumps(slack.fake.responses[-1])
    await slack.command("U0SAM", "open Robin")
    assert slack.fake.channel_named("tac-0001") is not None


async def test_a_429_storm_loses_no_message_and_repeats_none(
    slack: SlackDriver, fake: FakeSlack, slept: list[float]
) -> None:
    room_id = await open_case(slack)
    await slack.command("U0SAM", 'consent given by "Mrs Smith" relationship parent', channel=room_id)
    fake.rate_limited = 7
    fake.retry_after = "2"
    for user in ("U0TOM", "U0JO", "U0PRIYA"):
        await slack.command("U0SAM", f"invite <@{user}> teaching-assistant", channel=room_id, settle=False)
    await slack.background.drain()
    joined = [p for p in fake.posts_to(room_id) if "joined the team" in p["text"]]
    assert len(joined) == 3 and len({json.dumps(p["blocks"]) for p in joined}) == 3
    for user in ("U0TOM", "U0JO", "U0PRIYA"):
        assert sum(f"<@{user}>" in json.dumps(p["blocks"]) for p in joined) == 1
        assert user in fake.channels[room_id].members
    assert fake.rate_limited == 0 and len(slept) == 7 and all(2.0 <= s < 2.2 for s in slept)


async def test_close_posts_a_summary_then_archives(slack: SlackDriver) -> None:
    room_id = await open_case(slack)
    await slack.command("U0SAM", 'close reason "moved school"', channel=room_id)
    assert slack.fake.channels[room_id].archived
    assert "is closed" in slack.fake.texts(slack.fake.posts_to(room_id))
    assert [c.method for c in slack.fake.calls][-2:] == ["chat.postMessage", "conversations.archive"]


async def test_app_home_for_a_senco_and_for_anyone_else(slack: SlackDriver) -> None:
    await open_case(slack)
    home = {"type": "app_home_opened", "user": "U0SAM", "channel": "D0SAM", "tab": "home", "event_ts": "1.2"}
    assert await slack.event(home, event_id="Ev1") == 200
    view = slack.fake.called("views.publish")[-1]
    assert view["user_id"] == "U0SAM" and view["view"]["type"] == "home"
    assert "TAC-0001" in json.dumps(view["view"]) and "Overdue actions" in json.dumps(view["view"])
    assert await slack.event({**home, "user": "U0TOM"}, event_id="Ev2") == 200
    other = json.dumps(slack.fake.called("views.publish")[-1]["view"])
    assert "TAC-0001" not in other and "help" in other.lower()


async def test_a_retried_event_is_handled_once(slack: SlackDriver) -> None:
    home = {"type": "app_home_opened", "user": "U0SAM", "channel": "D0SAM", "tab": "home", "event_ts": "1.2"}
    await slack.event(home, event_id="EvSame")
    await slack.event(
        home, event_id="EvSame", **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert len(slack.fake.called("views.publish")) == 1


async def test_leaving_the_room_by_hand_updates_the_roster(slack: SlackDriver, db: Database) -> None:
    room_id = await open_case(slack)
    await slack.command("U0SAM", "invite <@U0TOM> class-teacher", channel=room_id)
    left = {
        "type": "member_left_channel",
        "user": "U0TOM",
        "channel": room_id,
        "channel_type": "C",
        "team": "T0001",
    }
    assert await slack.event(left, event_id="EvLeft") == 200
    await slack.event({**left, "user": BOT_USER}, event_id="EvBot")  # the bot's own: ignored
    with db.transaction() as s:
        rows = s.query(Membership).filter(Membership.removed_reason == "left the room").all()
        assert len(rows) == 1 and not rows[0].active
        assert s.query(AuditEvent).filter(AuditEvent.action == "member.left_room").count() == 1
    dm = slack.fake.posts_to("DU0SAM")
    assert "left the room" in slack.fake.texts(dm)
    await slack.command("U0SAM", "team", channel=room_id)
    assert "Tom" not in json.dumps(slack.fake.responses[-1])


async def test_a_button_press_round_trip(slack: SlackDriver) -> None:
    from handlers import dispatch
    from handlers.core import Ask
    from handlers.model import Interaction
    from handlers.replies import Reply

    seen: list[Interaction] = []

    async def echo(ask: Ask, interaction: Interaction) -> Reply:
        seen.append(interaction)
        return Reply.text(f"pressed {interaction.action} {interaction.value} {interaction.inputs}")

    dispatch.INTERACTIONS["echo"] = echo
    try:
        user = {"id": "U0ANNA", "username": "anna", "name": "anna", "team_id": "T0001"}
        button = {
            "action_id": "tac:1",
            "block_id": "b",
            "type": "button",
            "action_ts": "1.1",
            "text": {"type": "plain_text", "text": "Done"},
            "value": json.dumps({"a": "echo.done", "v": "7"}),
        }
        payload = {
            "type": "block_actions",
            "user": user,
            "team": {"id": "T0001", "domain": "r"},
            "trigger_id": "1.2.3",
            "response_url": slack.fake.response_url(),
            "channel": {"id": "C0ROOM", "name": "tac-0001"},
            "container": {"type": "message", "channel_id": "C0ROOM", "message_ts": "1.1"},
            "actions": [button],
        }
        status, _ = await slack.interactive(payload)
        assert status == 200 and seen[-1].action == "echo.done" and seen[-1].value == "7"
        assert seen[-1].room_id == "C0ROOM" and seen[-1].actor.user_id == "U0ANNA"
        assert "pressed echo.done 7" in slack.replies()

        button["value"] = json.dumps({"a": "echo.later", "v": "7", "p": ["date", "New date", "due"]})
        await slack.interactive(payload)
        view = slack.fake.called("views.open")[-1]["view"]
        view["state"] = {
            "values": {"prompt": {"value": {"type": "datepicker", "selected_date": "2026-10-02"}}}
        }
        submission = {"type": "view_submission", "user": user, "team": {"id": "T0001"}, "view": view}
        status, _ = await slack.interactive(submission)
        assert status == 200 and seen[-1].inputs == {"due": "2026-10-02"} and seen[-1].room_id == "C0ROOM"

        view["state"] = {"values": {"prompt": {"value": {"type": "datepicker", "selected_date": None}}}}
        status, text = await slack.interactive(submission)
        assert status == 200 and json.loads(text)["response_action"] == "errors"
        assert len(seen) == 2
    finally:
        del dispatch.INTERACTIONS["echo"]


async def test_invitations_pass_the_consent_gate_and_remove_kicks(slack: SlackDriver) -> None:
    room_id = await open_case(slack)
    await slack.command("U0SAM", "invite <@U0ANNA|anna> educational-psychologist", channel=room_id)
    assert "can join only once consent covering" in json.dumps(slack.fake.responses[-1])
    assert slack.fake.called("conversations.invite") == [{"channel": room_id, "users": "U0SAM"}]
    await slack.command("U0SAM", 'consent given by "Mrs Smith" relationship parent', channel=room_id)
    await slack.command("U0SAM", "invite <@U0ANNA|anna> educational-psychologist", channel=room_id)
    assert "U0ANNA" in slack.fake.channels[room_id].members
    assert "You have been added" in slack.fake.texts(slack.fake.posts_to("DU0ANNA"))
    await slack.command("U0SAM", "remove <@U0ANNA>", channel=room_id)
    assert slack.fake.called("conversations.kick") == [{"channel": room_id, "user": "U0ANNA"}]
    assert "U0ANNA" not in slack.fake.channels[room_id].members
    kicked = {"type": "member_left_channel", "user": "U0ANNA", "channel": room_id, "team": "T0001"}
    await slack.event(kicked, event_id="EvKick")  # Slack reports our own kick too: nothing more happens
    assert "left the room" not in slack.fake.texts(slack.fake.posts_to("DU0SAM"))


async def test_user_text_reaches_slack_escaped(slack: SlackDriver) -> None:
    room_id = await open_case(slack)
    await slack.command("U0SAM", 'outcome add "Reads &lt;!channel&gt; &amp; <!here> aloud"', channel=room_id)
    answer = json.dumps(slack.fake.responses[-1])
    assert "&lt;!channel&gt; &amp; &lt;!here&gt;" in answer  # the fake also checks nothing pings


async def test_slack_can_verify_the_request_url(slack: SlackDriver) -> None:
    body = json.dumps(
        {
            "token": "deprecated",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    status, text = await slack.post(body, "application/json")
    assert status == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in text


async def test_a_prompt_slack_could_not_open_asks_to_press_again(slack: SlackDriver) -> None:
    slack.fake.fail_next["views.open"] = ["expired_trigger_id"]
    user = {"id": "U0ANNA", "username": "anna", "name": "anna", "team_id": "T0001"}
    value = json.dumps({"a": "chaser.later", "v": "1", "p": ["date", "New date", "due"]})
    button = {
        "action_id": "tac:1",
        "type": "button",
        "text": {"type": "plain_text", "text": "Later"},
        "value": value,
    }
    payload = {
        "type": "block_actions",
        "user": user,
        "team": {"id": "T0001"},
        "trigger_id": "1.2.3",
        "response_url": slack.fake.response_url(),
        "container": {"type": "message", "channel_id": "C0ROOM"},
        "actions": [button],
    }
    status, _ = await slack.interactive(payload)
    assert status == 200 and "press the button again" in slack.replies()


async def test_the_ack_never_waits_for_slow_work(slack: SlackDriver) -> None:
    await slack.command("U0SAM", "help")  # Bolt checks its token (auth.test) on the first request
    slack.fake.hold = asyncio.Event()  # then Slack's Web API stalls
    assert await slack.command("U0SAM", "open Robin", settle=False) == 200
    assert len(slack.background) == 1 and slack.fake.channels == {}
    slack.fake.hold.set()
    await slack.background.drain()
    assert slack.fake.channel_named("tac-0001") is not None and "Opened case" in slack.replies()
