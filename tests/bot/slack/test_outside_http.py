"""People outside the workspace, on Slack over HTTP: `invite external` as Slack sends it (the address
auto-linked), Slack Connect when it is on (quietly not on a free plan), and e-mail through a real SMTP
server either way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import add_sencos
from bot.mail.smtp import SmtpMailer
from bot.server import make_app
from bot.settings import Settings
from bot.slack.client import web_client
from bot.slack.platform import SlackPlatform
from bot.slack.plugin import BACKGROUND, slack_plugin
from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.outside.config import Outside
from handlers.outside.links import LinkSigner
from handlers.room_guard import reconcile_rooms
from storage.engine import Database
from storage.models import AuditEvent, ConversationRef, RoomMismatch
from tests.fakes.slack_api import TOKEN, FakeSlack
from tests.fakes.slack_driver import SECRET, SlackDriver
from tests.mailbox import Mailbox, text_of

EP = "ann.vale@county.example"


@pytest.fixture(params=[False, True], ids=["email-only", "slack-connect"])
def connect(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
def core(db: Database, clock: ManualClock, fake: FakeSlack, mailbox: Mailbox, connect: bool) -> Core:
    async def sleep(seconds: float) -> None:
        await asyncio.sleep(0)

    platform = SlackPlatform(web_client(TOKEN, base_url=fake.api_url, sleep=sleep))
    outside = Outside(
        public_url="https://tac.school.example",
        links=LinkSigner(b"s" * 32, clock=clock, days=14),
        mailer=SmtpMailer(host=mailbox.host, port=mailbox.port, username=None, password=None, starttls=False),
        slack_connect=connect,
    )
    add_sencos(db, [("slack", "U0SAM")], clock=clock, added_by="tests")
    return Core(db=db, clock=clock, platforms={"slack": platform}, outside=outside)


@pytest.fixture
async def slack(core: Core, fake: FakeSlack) -> AsyncIterator[SlackDriver]:
    settings = Settings(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.api_url)
    app = make_app(core, plugins=[slack_plugin(settings)])
    async with TestClient(TestServer(app)) as client:
        yield SlackDriver(client=client, fake=fake, background=app[BACKGROUND])


async def _case_with_consent(slack: SlackDriver) -> str:
    assert await slack.command("U0SAM", "open Robin") == 200
    room = slack.fake.channel_named("tac-0001")
    assert room is not None
    await slack.command(
        "U0SAM", 'consent given by "Jo Taylor" relationship parent scope all', channel=room.id
    )
    return room.id


@pytest.mark.parametrize("paid", [False, True], ids=["free-plan", "paid-plan"])
async def test_invite_external_over_slack(
    slack: SlackDriver, core: Core, mailbox: Mailbox, clock: ManualClock, connect: bool, paid: bool
) -> None:
    slack.fake.connect = paid
    room_id = await _case_with_consent(slack)
    typed = f'invite external "Dr Ann Vale" <mailto:{EP}|{EP}> educational-psychologist agency "County EP"'
    assert await slack.command("U0SAM", typed, channel=room_id) == 200
    assert "Dr Ann Vale to TAC-0001" in slack.replies()
    posted = slack.fake.texts(slack.fake.posts_to(room_id))
    assert "Dr Ann Vale" in posted and "joined the team" in posted and "ext." not in posted
    assert all("ext." not in str(c) for c in slack.fake.called("conversations.invite"))
    shared = slack.fake.called("conversations.inviteShared")
    if connect and paid:
        assert len(shared) == 1 and shared[0]["channel"] == room_id and EP in str(shared[0]["emails"])
    else:
        assert shared == []  # off, or refused (not_paid) and quietly left to e-mail
    await slack.command("U0SAM", "team", channel=room_id)
    assert "external (by e-mail)" in slack.replies()
    await slack.command("U0SAM", 'request ep-advice from "Dr Ann Vale" due in 2 weeks', channel=room_id)
    assert "Dr Ann Vale" in slack.replies()
    await run_due(core, now=clock.now())
    subjects = sorted(str(m["Subject"]) for m in mailbox.to(EP))
    assert subjects == ["TAC-0001: a form is asked of you", "TAC-0001: you are on the team around a child"]
    assert all("Robin" not in text_of(m) for m in mailbox.to(EP))
    assert all("ext." not in str(c) for c in slack.fake.called("conversations.open"))


ANN = "U0ANNVALE"  # Dr Ann Vale's user id in her own workspace, seen in the shared channel
COUNTY = "T0COUNTY"
INVITE = f'invite external "Dr Ann Vale" <mailto:{EP}|{EP}> educational-psychologist agency "County EP"'


def _joined(user: str, room: str, team: str) -> dict[str, str]:
    """``member_joined_channel`` as Slack sends it for someone joining a shared channel."""
    return {"type": "member_joined_channel", "user": user, "channel": room, "channel_type": "G", "team": team}


def _guests(core: Core) -> list[tuple[str, str | None]]:
    with core.db.transaction() as s:
        rows = s.scalars(select(ConversationRef).where(ConversationRef.kind == "guest")).all()
        return [(r.key, r.directory_id) for r in rows]


def _kicked(slack: SlackDriver) -> list[str]:
    return [str(c["user"]) for c in slack.fake.called("conversations.kick")]


async def _ann_accepts(slack: SlackDriver, core: Core) -> str:
    slack.fake.connect = True
    room = await _case_with_consent(slack)
    assert await slack.command("U0SAM", INVITE, channel=room) == 200
    assert slack.fake.shared_invites == [(room, EP)]
    [(key, linked)] = _guests(core)
    assert key.startswith(room + " ext.") and linked is None  # asked in, not yet joined
    slack.fake.accept_shared_invite(room, user=ANN, team=COUNTY, email=EP.upper(), name="Ann Vale")
    assert await slack.event(_joined(ANN, room, COUNTY), event_id="EvAnn") == 200
    return room


@pytest.mark.parametrize("connect", [True])
async def test_a_slack_connect_member_who_accepts_stays_and_remove_takes_them_out(
    slack: SlackDriver, core: Core
) -> None:
    room = await _ann_accepts(slack, core)
    assert _kicked(slack) == [] and ANN in slack.fake.channels[room].members  # not an intruder
    assert [c["user"] for c in slack.fake.called("users.info")][-1] == ANN
    [(_, linked)] = _guests(core)
    assert linked == ANN
    with core.db.transaction() as s:
        acts = [e.action for e in s.scalars(select(AuditEvent))]
        assert "guest.joined" in acts and "room.outsider_joined" not in acts
    dms = len(slack.fake.called("conversations.open"))
    assert await slack.event(_joined(ANN, room, COUNTY), event_id="EvAnnAgain") == 200  # told twice: stays
    assert _kicked(slack) == [] and len(slack.fake.called("conversations.open")) == dms
    assert await slack.command("U0SAM", 'remove "Dr Ann Vale"', channel=room) == 200
    assert (
        "Removed Dr Ann Vale from TAC-0001" in slack.replies() and "not from its room" not in slack.replies()
    )
    assert _kicked(slack) == [ANN] and ANN not in slack.fake.channels[room].members
    assert _guests(core) == []
    # Slack reports the kick; and should she be added back by hand, she is an outsider like anyone
    assert (
        await slack.event({**_joined(ANN, room, COUNTY), "type": "member_left_channel"}, event_id="L1") == 200
    )
    slack.fake.channels[room].members.add(ANN)
    assert await slack.event(_joined(ANN, room, COUNTY), event_id="EvAnnBack") == 200
    assert _kicked(slack) == [ANN, ANN]
    assert slack.fake.problems == []


@pytest.mark.parametrize("connect", [True])
async def test_withdrawn_consent_takes_the_slack_connect_member_out(slack: SlackDriver, core: Core) -> None:
    room = await _ann_accepts(slack, core)
    await slack.command("U0SAM", 'consent withdrawn by "Jo Taylor" scope all', channel=room)
    assert "Dr Ann Vale (Educational psychologist)" in slack.replies()
    assert _kicked(slack) == [ANN] and _guests(core) == []


@pytest.mark.parametrize("connect", [True])
async def test_a_refused_kick_is_kept_and_the_key_worker_told(slack: SlackDriver, core: Core) -> None:
    room = await _ann_accepts(slack, core)
    slack.fake.fail_next["conversations.kick"] = ["restricted_action"]
    assert await slack.command("U0SAM", 'remove "Dr Ann Vale"', channel=room) == 200
    assert "Removed from the team of TAC-0001, but not from its room" in slack.replies()
    with core.db.transaction() as s:
        [mismatch] = s.scalars(select(RoomMismatch)).all()
        assert mismatch.user_id.startswith("ext.") and mismatch.resolved_at is None
    assert _guests(core) != []  # still linked: the retry knows whom to take out
    assert await reconcile_rooms(core) == 1
    assert _kicked(slack) == [ANN] and _guests(core) == []


@pytest.mark.parametrize("connect", [True])
async def test_someone_else_from_outside_is_taken_out_as_today(slack: SlackDriver, core: Core) -> None:
    slack.fake.connect = True
    room = await _case_with_consent(slack)
    slack.fake.users["U0JO"] = "Jo Inside"
    slack.fake.channels[room].members.add("U0JO")  # nobody asked in yet: no look-up at all
    assert await slack.event(_joined("U0JO", room, "T0001"), event_id="EvJo") == 200
    assert _kicked(slack) == ["U0JO"] and slack.fake.called("users.info") == []
    assert await slack.command("U0SAM", INVITE, channel=room) == 200
    other = "someone.else@county.example"  # another address than the one invited
    slack.fake.accept_shared_invite(room, user="U0MALLORY", team=COUNTY, email=other, name="Mallory")
    assert await slack.event(_joined("U0MALLORY", room, COUNTY), event_id="EvMal") == 200
    assert _kicked(slack) == ["U0JO", "U0MALLORY"]
    [(_, linked)] = _guests(core)
    assert linked is None  # still waiting for Dr Ann Vale


@pytest.mark.parametrize("connect", [True])
async def test_a_slack_connect_member_leaving_the_room_leaves_the_team(
    slack: SlackDriver, core: Core
) -> None:
    room = await _ann_accepts(slack, core)
    slack.fake.channels[room].members.discard(ANN)
    left = {**_joined(ANN, room, COUNTY), "type": "member_left_channel"}
    assert await slack.event(left, event_id="EvAnnLeft") == 200
    await slack.command("U0SAM", "team", channel=room)
    assert "Dr Ann Vale" not in slack.fake.texts(slack.fake.responses[-1:])
    assert _guests(core) == []
    told = slack.fake.texts(slack.fake.posts_to("DU0SAM"))
    assert "Dr Ann Vale left the room of" in told and "ext." not in told
