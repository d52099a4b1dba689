"""Issue 12 item 5: the room is the team. Someone added to a case room by hand is taken out again (or
the key worker told); every refused removal is retried by the reconciling job until the room matches the
team, and `status` shows the mismatch meanwhile. All audited."""

from __future__ import annotations

from sqlalchemy import select

from bot.ticker import every_pass
from handlers.room_guard import reconcile_rooms
from storage.engine import Database
from storage.models import AuditEvent, RoomMismatch
from tests.bot.slack.test_slack_http import open_case
from tests.bot.teams.conftest import TeamsHarness
from tests.bot.teams.fakes import PEOPLE
from tests.bot.teams.fixtures import recorded
from tests.fakes.slack_api import BOT_USER
from tests.fakes.slack_driver import SlackDriver


def joined(user: str, room: str) -> dict[str, str]:
    return {
        "type": "member_joined_channel",
        "user": user,
        "channel": room,
        "channel_type": "G",
        "team": "T0001",
    }


def actions(db: Database) -> list[str]:
    with db.transaction() as s:
        return [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def mismatches(db: Database) -> list[RoomMismatch]:
    with db.transaction() as s:
        return list(s.scalars(select(RoomMismatch).where(RoomMismatch.resolved_at.is_(None))))


def kicked(slack: SlackDriver) -> list[str]:
    return [str(c["user"]) for c in slack.fake.called("conversations.kick")]


async def status_text(slack: SlackDriver, room: str) -> str:
    await slack.command("U0SAM", "status", channel=room)
    return slack.fake.texts(slack.fake.responses[-1:])


async def test_someone_added_by_hand_is_taken_out_again_and_the_key_worker_told(
    slack: SlackDriver, db: Database
) -> None:
    room = await open_case(slack)
    await slack.command("U0SAM", "invite <@U0TOM> class-teacher", channel=room)
    assert await slack.event(joined("U0TOM", room), event_id="EvTom") == 200  # on the team: stays
    await slack.event(joined(BOT_USER, room), event_id="EvBot")  # the bot itself: ignored
    assert kicked(slack) == []
    slack.fake.channels[room].members.add("U0JO")  # a member adds Jo in Slack, outside TAC Bot
    assert await slack.event(joined("U0JO", room), event_id="EvJo") == 200
    assert kicked(slack) == ["U0JO"] and "U0JO" not in slack.fake.channels[room].members
    assert "room.outsider_joined" in actions(db) and "room.outsider_removed" in actions(db)
    told = slack.fake.texts(slack.fake.posts_to("DU0SAM")[-1:])
    assert "<@U0JO>" in told and "took them out again" in told
    assert mismatches(db) == []


async def test_a_refused_removal_is_retried_until_the_room_matches_and_status_shows_it(
    slack: SlackDriver, db: Database
) -> None:
    room = await open_case(slack)
    slack.fake.channels[room].members.add("U0JO")
    slack.fake.fail_next["conversations.kick"] = ["restricted_action"]
    await slack.event(joined("U0JO", room), event_id="EvJo")
    assert "U0JO" in slack.fake.channels[room].members
    told = slack.fake.texts(slack.fake.posts_to("DU0SAM")[-1:])
    assert "would not let me take them out" in told and "Please remove them" in told
    (mismatch,) = mismatches(db)
    assert mismatch.user_id == "U0JO" and mismatch.why == "joined by hand"
    assert "room.removal_refused" in actions(db)
    shown = await status_text(slack, room)
    assert "The room does not match the team" in shown and "<@U0JO>" in shown

    slack.fake.fail_next["conversations.kick"] = ["restricted_action"]
    assert await reconcile_rooms(slack.core) == 0  # still refused: kept, counted
    assert mismatches(db)[0].attempts == 2
    await every_pass(slack.core)  # the clock's pass reconciles too
    assert "U0JO" not in slack.fake.channels[room].members and mismatches(db) == []
    assert "room.reconciled" in actions(db)
    assert "does not match" not in await status_text(slack, room)


async def test_a_remove_the_platform_refuses_is_retried_too(slack: SlackDriver, db: Database) -> None:
    room = await open_case(slack)
    await slack.command("U0SAM", "invite <@U0TOM> class-teacher", channel=room)
    slack.fake.fail_next["conversations.kick"] = ["restricted_action"]
    await slack.command("U0SAM", "remove <@U0TOM>", channel=room)
    assert "U0TOM" in slack.fake.channels[room].members
    (mismatch,) = mismatches(db)
    assert mismatch.why == "removed from the team"
    assert "<@U0TOM>" in await status_text(slack, room)
    assert await reconcile_rooms(slack.core) == 1
    assert "U0TOM" not in slack.fake.channels[room].members and mismatches(db) == []


async def test_only_the_key_worker_sees_the_mismatch(slack: SlackDriver, db: Database) -> None:
    room = await open_case(slack)
    await slack.command("U0SAM", "invite <@U0TOM> class-teacher", channel=room)
    slack.fake.channels[room].members.add("U0JO")
    slack.fake.fail_next["conversations.kick"] = ["restricted_action"]
    await slack.event(joined("U0JO", room), event_id="EvJo")
    await slack.command("U0TOM", "status", channel=room)
    assert "does not match" not in slack.fake.texts(slack.fake.responses[-1:])


async def test_teams_a_channel_member_added_by_hand_is_taken_out_again(
    teams: TeamsHarness, db: Database
) -> None:
    assert "Opened case TAC-0001" in await teams.say("sam", "open Robin")
    assert teams.graph is not None
    ((room, _),) = teams.graph.channels.items()
    await teams.say("dan", "help")  # TAC Bot knows Dan (and his Entra id) from a chat
    dan = PEOPLE["dan"]
    teams.graph.members[room].append(dan.aad)  # a channel owner adds Dan in Teams
    activity = recorded("conversation_update_installed")
    activity.update(
        id="f:dan-added",
        serviceUrl=teams.connector.url,
        membersAdded=[{"id": dan.id}],
        conversation={**activity["conversation"], "id": room},
        channelData={**activity["channelData"], "eventType": "channelMemberAdded", "channel": {"id": room}},
    )
    assert await teams.post(activity) in (200, 201)
    assert dan.aad not in teams.graph.members[room]
    assert "room.outsider_joined" in actions(db) and "room.outsider_removed" in actions(db)
