"""People outside the tenant, on Teams over HTTP: `invite external` through /api/messages. With Graph and
a tenant that allows guests, a B2B invitation (`POST /invitations`), the guest into the team and into the
case's private channel; a tenant that refuses guests (or a Graph that never answers) changes nothing but
that; without Graph there is nothing to call. E-mail and the portal carry on either way."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from sqlalchemy import select

from bot.mail.smtp import SmtpMailer
from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.governance.sar import CASE_TABLES
from handlers.outside.config import Outside
from handlers.outside.links import LinkSigner
from handlers.room_guard import reconcile_rooms
from storage.engine import Database
from storage.models import AuditEvent, Case, ConversationRef, OutgoingMail, RoomMismatch
from tests.bot.teams.conftest import CASE_CHANNEL, TeamsHarness, start_harness, stop_harness
from tests.bot.teams.fakes import PEOPLE
from tests.bot.teams.fixtures import TENANT, recorded
from tests.mailbox import Mailbox, text_of

pytestmark = pytest.mark.asyncio

EP = "ann.vale@county.example"
TEAM = "team-oak-primary"
INVITE = f'invite external "Dr Ann Vale" {EP} educational-psychologist agency "County EP"'
WELCOME = "TAC-0001: you are on the team around a child"


def _outside(clock: ManualClock, mailbox: Mailbox) -> Outside:
    return Outside(
        public_url="https://tac.school.example",
        links=LinkSigner(b"t" * 32, clock=clock, days=14),
        mailer=SmtpMailer(host=mailbox.host, port=mailbox.port, username=None, password=None, starttls=False),
    )


@pytest.fixture
async def teams(db: Database, clock: ManualClock, mailbox: Mailbox) -> AsyncIterator[TeamsHarness]:
    """Case rooms as Graph private channels, and e-mail on."""
    harness = await start_harness(db, clock, graph=True, outside=_outside(clock, mailbox))
    yield harness
    await stop_harness(harness)


@pytest.fixture
async def teams_threads(db: Database, clock: ManualClock, mailbox: Mailbox) -> AsyncIterator[TeamsHarness]:
    """No Graph (case rooms are threads in one channel), and e-mail on."""
    harness = await start_harness(
        db, clock, graph=False, outside=_outside(clock, mailbox), TACBOT_TEAMS_CHANNEL_ID=CASE_CHANNEL
    )
    yield harness
    await stop_harness(harness)


async def _case(teams: TeamsHarness) -> str:
    assert "Opened case TAC-0001" in await teams.say("sam", "open Robin")
    if teams.graph is not None:
        room = next(iter(teams.graph.channels))
    else:
        room = teams.connector.created[-1]["channelData"]["channel"]["id"]
        room = next(s.conversation for s in teams.connector.sent if s.conversation.startswith(room))
    assert "Recorded consent" in await teams.say("sam", 'consent given by "Jo Taylor" scope all', room=room)
    return room


async def _teams_says_they_joined(teams: TeamsHarness, room: str, guest: str) -> None:
    """The conversationUpdate Teams sends the bot when a member is added to a channel it is in."""
    account = {"id": "29:1GuestAnnVaLe8sQ2", "name": "Dr Ann Vale (Guest)", "aadObjectId": guest}
    teams.connector.accounts[account["id"]] = account  # the Bot Connector's member lookup knows them
    activity = recorded("conversation_update_installed")
    activity.update(
        id="f:guest-added",
        serviceUrl=teams.connector.url,
        membersAdded=[{"id": account["id"]}],
        conversation={**activity["conversation"], "id": room},
        channelData={**activity["channelData"], "eventType": "channelMemberAdded", "channel": {"id": room}},
    )
    assert await teams.post(activity) in (200, 201)


def _no_mention_of_outsiders(teams: TeamsHarness) -> None:
    """No card the bot sent @mentions an external member: they are named in plain text."""
    for sent in teams.connector.sent:
        entities = ((sent.activity.get("attachments") or [{}])[0].get("content") or {}).get("msteams") or {}
        assert all(not e["mentioned"]["id"].startswith("ext.") for e in entities.get("entities", []))
        assert "<at>Dr Ann Vale</at>" not in str(sent.activity)
        assert "ext." not in sent.text


async def _welcomed(teams: TeamsHarness, mailbox: Mailbox, clock: ManualClock) -> None:
    with teams.core.db.transaction() as s:
        assert list(s.scalars(select(OutgoingMail))), "nothing queued"
    assert not mailbox.received  # queued: the reminders queue sends it
    await run_due(teams.core, now=clock.now())
    assert WELCOME in [str(m["Subject"]) for m in mailbox.to(EP)]
    assert all("Robin" not in text_of(m) for m in mailbox.to(EP))


async def test_a_guest_is_invited_into_the_team_and_the_private_channel(
    teams: TeamsHarness, mailbox: Mailbox, clock: ManualClock
) -> None:
    assert teams.graph is not None
    room = await _case(teams)
    reply = await teams.say("sam", INVITE, room=room)
    assert "Invited Dr Ann Vale to TAC-0001" in reply
    guest = teams.graph.invited[EP]
    invitation, to_team = teams.graph.guest_calls()
    assert invitation[:2] == ("POST", "invitations")
    assert invitation[2] is not None
    body = dict(invitation[2])
    redirect = body.pop("inviteRedirectUrl")
    assert body == {
        "invitedUserEmailAddress": EP,
        "invitedUserDisplayName": "Dr Ann Vale",
        "sendInvitationMessage": True,
    }
    where = urlsplit(redirect)
    assert where.scheme == "https" and where.netloc == "teams.microsoft.com"
    assert where.path.startswith(f"/l/channel/{quote(room, safe='')}/")
    assert parse_qs(where.query) == {"groupId": [TEAM], "tenantId": [TENANT]}
    assert to_team == (
        "POST",
        f"teams/{TEAM}/members",
        {
            "@odata.type": "#microsoft.graph.aadUserConversationMember",
            "roles": ["guest"],
            "user@odata.bind": f"https://graph.microsoft.com/v1.0/users('{guest}')",
        },
    )
    assert teams.graph.team_members == {guest: ["guest"]}
    into_channel = [c for c in teams.graph.calls if c[1] == f"teams/{TEAM}/channels/{room}/members"]
    assert into_channel[-1][2] == {
        "@odata.type": "#microsoft.graph.aadUserConversationMember",
        "roles": [],
        "user@odata.bind": f"https://graph.microsoft.com/v1.0/users('{guest}')",
    }
    assert teams.graph.members[room] == [PEOPLE["sam"].aad, guest]
    posts = len(teams.connector.sent)
    await _teams_says_they_joined(teams, room, guest)  # the guest TAC Bot invited is not an intruder
    assert teams.graph.members[room] == [PEOPLE["sam"].aad, guest]
    assert len(teams.connector.sent) == posts  # and nobody is told of someone added by hand
    with teams.core.db.transaction() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent))]
        assert "room.outsider_joined" not in actions and "room.removal_refused" not in actions
        case = s.scalars(select(Case)).one()
        kept = s.scalars(select(ConversationRef).where(CASE_TABLES["conversation_refs"](s, case))).all()
        assert sorted(r.kind for r in kept) == ["guest", "room"]  # exported and erased with the case
    joined = teams.room_posts(room)[-1]
    assert "Dr Ann Vale joined the team" in joined.text
    roster = await teams.say("sam", "team", room=room)
    assert "Dr Ann Vale" in roster and "external (by e-mail)" in roster
    await teams.say("sam", 'request ep-advice from "Dr Ann Vale" due in 2 weeks', room=room)
    _no_mention_of_outsiders(teams)
    assert all("ext." not in str(c["members"]) for c in teams.connector.created if c.get("members"))
    await _welcomed(teams, mailbox, clock)


@pytest.mark.parametrize("policy", ["refused", "silent"])
async def test_a_tenant_without_guests_changes_nothing_but_the_invitation(
    teams: TeamsHarness,
    mailbox: Mailbox,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
    policy: str,
) -> None:
    assert teams.graph is not None and teams.platform.graph is not None
    teams.graph.guests = policy  # type: ignore[assignment]
    teams.platform.graph.guest_timeout = 0.3  # "silent": the client gives up, the command goes on
    room = await _case(teams)
    before = len(teams.graph.calls)
    with caplog.at_level(logging.DEBUG):
        reply = await teams.say("sam", INVITE, room=room)
    assert "Invited Dr Ann Vale to TAC-0001" in reply
    assert [c[:2] for c in teams.graph.calls[before:]] == [("POST", "invitations")]
    assert teams.graph.members[room] == [PEOPLE["sam"].aad] and teams.graph.team_members == {}
    assert "Dr Ann Vale joined the team" in teams.room_posts(room)[-1].text
    assert "teams guest not added (invitation)" in caplog.text
    assert EP not in caplog.text and "Ann Vale" not in caplog.text
    _no_mention_of_outsiders(teams)
    await _welcomed(teams, mailbox, clock)


async def test_without_graph_there_is_no_guest_and_e_mail_carries_on(
    teams_threads: TeamsHarness, mailbox: Mailbox, clock: ManualClock
) -> None:
    assert teams_threads.graph is None and teams_threads.platform.graph is None
    room = await _case(teams_threads)
    created = len(teams_threads.connector.created)
    assert "Invited Dr Ann Vale to TAC-0001" in await teams_threads.say("sam", INVITE, room=room)
    assert teams_threads.connector.created[created:] == []  # no 1:1 chat (nor anything else) for them
    assert any("Dr Ann Vale joined the team" in p.text for p in teams_threads.room_posts(room))
    _no_mention_of_outsiders(teams_threads)
    await _welcomed(teams_threads, mailbox, clock)
    assert not await teams_threads.platform.invite_guest(
        workspace=TENANT, room_id=room, email=EP, name="Dr Ann Vale", person="ext.0", slack_connect=False
    )


def _guest_rows(teams: TeamsHarness) -> list[tuple[str, str | None]]:
    with teams.core.db.transaction() as s:
        rows = s.scalars(select(ConversationRef).where(ConversationRef.kind == "guest")).all()
        return [(r.key, r.directory_id) for r in rows]


async def _guest_in_room(teams: TeamsHarness) -> tuple[str, str]:
    assert teams.graph is not None
    room = await _case(teams)
    assert "Invited Dr Ann Vale to TAC-0001" in await teams.say("sam", INVITE, room=room)
    guest = teams.graph.invited[EP]
    await _teams_says_they_joined(teams, room, guest)
    assert guest in teams.graph.members[room]
    [(key, directory_id)] = _guest_rows(teams)  # the guest account, linked to the external member
    assert key.startswith(room + " ext.") and directory_id == guest
    return room, guest


async def test_remove_takes_the_guest_out_of_the_private_channel(teams: TeamsHarness) -> None:
    assert teams.graph is not None
    room, guest = await _guest_in_room(teams)
    reply = await teams.say("sam", 'remove "Dr Ann Vale"', room=room)
    assert "Removed Dr Ann Vale from TAC-0001" in reply and "not from its room" not in reply
    assert teams.graph.members[room] == [PEOPLE["sam"].aad]  # out of the channel: the room is unreadable
    assert ("DELETE", f"teams/{TEAM}/channels/{room}/members/m-{guest}", None) in teams.graph.calls
    assert _guest_rows(teams) == []  # forgotten: added back by hand, they would be an intruder
    assert not teams.platform.refs.is_guest(room_id=room, directory_id=guest)
    _no_mention_of_outsiders(teams)


async def test_withdrawn_consent_takes_the_guest_out_too(teams: TeamsHarness) -> None:
    assert teams.graph is not None
    room, guest = await _guest_in_room(teams)
    reply = await teams.say("sam", 'consent withdrawn by "Jo Taylor" scope all', room=room)
    assert "removed from the team" in reply and "Dr Ann Vale" in reply
    assert "could not be taken out" not in reply
    assert guest not in teams.graph.members[room]
    assert _guest_rows(teams) == []


async def test_a_graph_refusal_is_kept_retried_and_shown_to_the_key_worker(teams: TeamsHarness) -> None:
    assert teams.graph is not None
    room, guest = await _guest_in_room(teams)
    teams.graph.keep_in.add(guest)
    reply = await teams.say("sam", 'remove "Dr Ann Vale"', room=room)
    assert "Removed from the team of TAC-0001, but not from its room" in reply and "Forbidden" in reply
    assert guest in teams.graph.members[room]
    with teams.core.db.transaction() as s:
        [mismatch] = s.scalars(select(RoomMismatch)).all()
        assert mismatch.user_id.startswith("ext.") and mismatch.room_id == room
        assert mismatch.why == "removed from the team" and mismatch.resolved_at is None
        assert "room.removal_refused" in [e.action for e in s.scalars(select(AuditEvent))]
    assert _guest_rows(teams) != []  # still linked, so the retry knows whom to take out
    status = await teams.say("sam", "status", room=room)
    assert "The room does not match the team: Dr Ann Vale (removed from the team" in status
    assert await reconcile_rooms(teams.core) == 0  # still refused: kept
    teams.graph.keep_in.clear()
    assert await reconcile_rooms(teams.core) == 1
    assert guest not in teams.graph.members[room] and _guest_rows(teams) == []
    with teams.core.db.transaction() as s:
        assert s.scalars(select(RoomMismatch)).one().resolved_at is not None
    _no_mention_of_outsiders(teams)


async def _teams_says_they_left(teams: TeamsHarness, room: str, account: dict[str, str]) -> None:
    """The conversationUpdate Teams sends the bot when a member leaves (or is taken out of) a channel."""
    activity = recorded("conversation_update_installed")
    activity.pop("membersAdded", None)
    activity.update(
        id=f"f:left-{account['id']}",
        serviceUrl=teams.connector.url,
        membersRemoved=[account],
        conversation={**activity["conversation"], "id": room},
        channelData={**activity["channelData"], "eventType": "channelMemberRemoved", "channel": {"id": room}},
    )
    assert await teams.post(activity) in (200, 201)


async def test_leaving_the_channel_by_hand_takes_a_member_off_the_team(teams: TeamsHarness) -> None:
    """The room is the team on Teams too: a member (or an external member's guest account) who leaves the
    private channel comes off the case's team, and the key worker is told."""
    assert teams.graph is not None
    room, guest = await _guest_in_room(teams)
    await _teams_says_they_left(teams, room, {"id": "29:1GuestAnnVaLe8sQ2", "aadObjectId": guest})
    roster = await teams.say("sam", "team", room=room)
    assert "Dr Ann Vale" not in roster
    told = [s.text for s in teams.connector.sent if "left the room of" in (s.text or "")]
    assert told and "Dr Ann Vale" in told[-1]
    assert _guest_rows(teams) == []
    with teams.core.db.transaction() as s:
        left = s.scalars(select(AuditEvent).where(AuditEvent.action == "member.left_room")).all()
        assert len(left) == 1
    await _teams_says_they_left(teams, room, {"id": "29:1GuestAnnVaLe8sQ2", "aadObjectId": guest})
    with teams.core.db.transaction() as s:  # told twice (a retry): nothing more happens
        assert len(s.scalars(select(AuditEvent).where(AuditEvent.action == "member.left_room")).all()) == 1
