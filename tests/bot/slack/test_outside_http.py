"""People outside the workspace, on Slack over HTTP: `invite external` as Slack sends it (the address
auto-linked), Slack Connect when it is on (quietly not on a free plan), and e-mail through a real SMTP
server either way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

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
from storage.engine import Database
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
