"""Slack across workspaces, end to end over HTTP: installs through Bolt's OAuth flow against the fake
Slack (its oauth.v2.access wire format), each workspace a school with its own SENCO, cases, reminders
and token, nothing crossing between them; uninstalls and revocations; tokens encrypted; rotation."""

from __future__ import annotations

import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select, text

from bot.server import make_app
from bot.settings import Settings
from bot.slack.platform import SlackPlatform
from bot.slack.plugin import BACKGROUND, slack_plugin
from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.platform import PlatformError
from handlers.replies import Reply
from storage.crypto import DataCipher, new_key
from storage.engine import Database
from storage.models import AuditEvent, School, Senco
from tests.fakes.slack_api import CLIENT_ID, CLIENT_SECRET, FakeSlack
from tests.fakes.slack_driver import SECRET, SlackDriver
from tests.handlers.chasing.helpers import at

A, B = "TA0001", "TB0002"  # two schools' workspaces
PEOPLE = {"UA0SAM": "Sam", "UA0TOM": "Tom", "UB0BEA": "Bea", "UB0BEN": "Ben"}
COOKIE = "slack-app-oauth-state"


@dataclass
class Many:
    slack: SlackDriver
    fake: FakeSlack
    cipher: DataCipher

    @property
    def platform(self) -> SlackPlatform:
        platform = self.slack.core.platforms["slack"]
        assert isinstance(platform, SlackPlatform)
        return platform


@pytest.fixture
async def many(db: Database, clock: ManualClock, fake: FakeSlack) -> AsyncIterator[Many]:
    fake.users.update(PEOPLE)
    fake.tokens.clear()  # no single-workspace token here: every token comes from an install
    key = new_key()
    settings = Settings(
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        TACBOT_DATA_KEY=key,
    )
    assert settings.slack_oauth and settings.slack_problem() is None
    core = Core(db=db, clock=clock, platforms={})  # the plug-in builds Slack from the settings
    app = make_app(core, plugins=[slack_plugin(settings)])
    async with TestClient(TestServer(app)) as client:
        yield Many(SlackDriver(client=client, fake=fake, background=app[BACKGROUND]), fake, DataCipher(key))


async def start(many: Many) -> tuple[str, str, str]:
    """GET /slack/install: Slack's authorize URL, its state, and the state cookie set for this browser."""
    response = await many.slack.client.get("/slack/install", allow_redirects=False)
    assert response.status == 302
    location = response.headers["Location"]
    assert location.startswith("https://slack.com/oauth/v2/authorize?")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    assert set(query["scope"].split(",")) >= {"commands", "chat:write", "groups:write"}
    return location, query["state"], response.cookies[COOKIE].value


async def finish(many: Many, *, code: str | None, state: str | None, cookie: str | None) -> tuple[int, str]:
    params = {k: v for k, v in (("code", code), ("state", state)) if v is not None}
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    response = await many.slack.client.get(
        "/slack/oauth_redirect", params=params, headers=headers, allow_redirects=False
    )
    return response.status, await response.text()


async def install(many: Many, team: str, name: str, user: str) -> None:
    """Install the app in ``team`` as ``user``, following the redirect to Slack and back."""
    location, state, cookie = await start(many)
    code = many.fake.approve(location, team=team, team_name=name, user=user)
    status, page = await finish(many, code=code, state=state, cookie=cookie)
    assert status == 200, page


def bots(db: Database) -> list[dict[str, Any]]:
    with db.transaction() as s:
        return [dict(r) for r in s.execute(text("SELECT * FROM slack_bots")).mappings()]


def installations(db: Database) -> list[dict[str, Any]]:
    with db.transaction() as s:
        return [dict(r) for r in s.execute(text("SELECT * FROM slack_installations")).mappings()]


async def two_schools(many: Many) -> None:
    await install(many, A, "Ash Primary", "UA0SAM")
    await install(many, B, "Beech Academy", "UB0BEA")


async def test_two_workspaces_installed_each_a_school_with_its_installer_as_senco(
    many: Many, db: Database
) -> None:
    await two_schools(many)
    with db.transaction() as s:
        schools = {sc.external_id: sc for sc in s.scalars(select(School).where(School.platform == "slack"))}
        assert {k: v.name for k, v in schools.items()} == {A: "Ash Primary", B: "Beech Academy"}
        sencos = {(r.school_id, r.added_by) for r in s.scalars(select(Senco))}
        assert sencos == {
            (schools[A].id, "installed the Slack app"),
            (schools[B].id, "installed the Slack app"),
        }
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions.count("school.installed") == 2 and actions.count("senco.added") == 2
    # Installed again by someone else: the school keeps its SENCO; nobody else is promoted.
    await install(many, A, "Ash Primary", "UA0TOM")
    with db.transaction() as s:
        assert len(s.scalars(select(Senco)).all()) == 2
    assert {b["team_id"] for b in bots(db)} == {A, B}


async def test_cases_reminders_and_tokens_stay_in_their_own_workspace(
    many: Many, db: Database, clock: ManualClock
) -> None:
    await two_schools(many)
    slack, fake = many.slack, many.fake
    assert await slack.command("UA0SAM", "open Robin", team=A) == 200
    assert await slack.command("UB0BEA", "open Wren", team=B) == 200
    room_a, room_b = fake.channel_named("tac-0001", team=A), fake.channel_named("tac-0001", team=B)
    assert room_a is not None and room_b is not None  # TAC-0001 in each school
    # Every call for a workspace went with that workspace's own token.
    made = [c for c in fake.calls if c.method == "conversations.create"]
    assert sorted(c.team for c in made) == [A, B]
    for who, team, room in (("UA0SAM", A, room_a.id), ("UB0BEA", B, room_b.id)):
        await slack.command(
            who, 'consent given by "Parent" relationship parent scope all', channel=room, team=team
        )
    await slack.command("UA0SAM", "invite <@UA0TOM|tom> class-teacher", channel=room_a.id, team=A)
    await slack.command("UB0BEA", "invite <@UB0BEN|ben> class-teacher", channel=room_b.id, team=B)
    await slack.command(
        "UA0SAM", 'action add "Phonics" owner <@UA0TOM|tom> due 2026-09-28', channel=room_a.id, team=A
    )
    await slack.command(
        "UB0BEA", 'action add "Maths" owner <@UB0BEN|ben> due 2026-09-28', channel=room_b.id, team=B
    )
    before = len(fake.calls)
    clock.set(at(2026, 9, 28, 9))
    stats = await run_due(slack.core, now=clock.now())
    assert stats.sent == 2
    chasers = [c for c in fake.calls[before:] if c.method == "chat.postMessage"]
    by_channel = {c.args["channel"]: c.team for c in chasers}
    assert by_channel == {"DUA0TOM": A, "DUB0BEN": B}  # B's reminder went with B's token
    assert "Phonics" not in fake.texts([c.args for c in chasers if c.team == B])

    # A SENCO of A, writing from B's workspace, sees none of B's cases and cannot act there.
    fake.responses.clear()
    await slack.command("UA0SAM", "cases", team=B)
    await slack.command("UA0SAM", "status TAC-0001", team=B)
    await slack.command("UA0SAM", "open Intruder", team=B)
    said = slack.replies()
    assert "Wren" not in said and "Robin" not in said
    assert fake.channel_named("tac-0002", team=B) is None
    # Each SENCO sees their own school's TAC-0001.
    fake.responses.clear()
    await slack.command("UB0BEA", "status TAC-0001", team=B)
    assert "Wren" in slack.replies() and "Robin" not in slack.replies()


async def test_tokens_are_stored_encrypted(many: Many, db: Database) -> None:
    await two_schools(many)
    tokens = {team: many.fake.token_of(team) for team in (A, B)}
    rows = bots(db) + installations(db)
    assert rows
    for row in rows:
        stored = " ".join(str(v) for v in row.values())
        assert "xox" not in stored  # no token, bot or refresh, in plain text anywhere in the row
        assert many.cipher.decrypt(row["bot_token"]) == tokens[row["team_id"]]


async def test_missing_bad_or_replayed_states_are_refused(many: Many, db: Database) -> None:
    location, state, cookie = await start(many)
    code = many.fake.approve(location, team=A, team_name="Ash Primary", user="UA0SAM")
    assert (await finish(many, code=code, state=None, cookie=cookie))[0] in (400, 401)
    assert (await finish(many, code=code, state="made-up", cookie="made-up"))[0] == 401
    assert (await finish(many, code=code, state=state, cookie=None))[0] == 400  # another browser
    assert bots(db) == [] and not many.fake.called("oauth.v2.access")
    assert (await finish(many, code=code, state=state, cookie=cookie))[0] == 200
    again = many.fake.approve(location, team=A, team_name="Ash Primary", user="UA0TOM")
    assert (await finish(many, code=again, state=state, cookie=cookie))[0] == 401  # a state works once
    assert len(installations(db)) == 1


async def test_uninstalling_deletes_the_workspace_tokens_and_its_commands_stop(
    many: Many, db: Database
) -> None:
    await two_schools(many)
    slack, fake = many.slack, many.fake
    fake.revoke(A)  # Slack forgets the tokens, then tells the app
    assert await slack.event({"type": "app_uninstalled"}, event_id="Ev0UNINSTALL", team=A) == 200
    assert {b["team_id"] for b in bots(db)} == {B}
    assert {i["team_id"] for i in installations(db)} == {B}
    fake.responses.clear()
    assert await slack.command("UA0SAM", "open Robin", team=A) == 200
    assert fake.channel_named("tac-0001", team=A) is None
    assert "not installed" in slack.replies()
    with pytest.raises(PlatformError, match="not installed"):  # reminders for A find no token either
        await many.platform.direct_message(workspace=A, user_id="UA0TOM", reply=Reply.text("hello"))
    assert await slack.command("UB0BEA", "open Wren", team=B) == 200  # B carries on
    assert fake.channel_named("tac-0001", team=B) is not None


async def test_revoked_bot_tokens_are_deleted_and_commands_stop(many: Many, db: Database) -> None:
    await two_schools(many)
    slack, fake = many.slack, many.fake
    fake.revoke(B)
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT0001"]}}
    assert await slack.event(revoked, event_id="Ev0REVOKED", team=B) == 200
    assert {b["team_id"] for b in bots(db)} == {A}
    assert all(i["bot_token"] is None for i in installations(db) if i["team_id"] == B)
    assert await slack.command("UB0BEA", "open Wren", team=B) == 200
    assert fake.channel_named("tac-0001", team=B) is None
    assert not [c for c in fake.attempts if c.method == "conversations.create"]


async def test_an_expiring_rotating_token_is_refreshed_before_use(many: Many, db: Database) -> None:
    fake = many.fake
    fake.rotation_seconds = 3600  # expires within Bolt's two hours: refreshed at the next use
    await install(many, A, "Ash Primary", "UA0SAM")
    first = fake.token_of(A)
    (row,) = bots(db)
    assert row["bot_refresh_token"] and "xox" not in row["bot_refresh_token"]
    fake.rotation_seconds = 12 * 3600
    assert await many.slack.command("UA0SAM", "open Robin", team=A) == 200
    refreshes = [c for c in fake.calls if c.method == "oauth.v2.access" and c.args.get("grant_type")]
    assert len(refreshes) == 1
    assert first not in fake.tokens  # the old token no longer works, yet the room was made
    assert fake.channel_named("tac-0001", team=A) is not None
    (row,) = bots(db)
    assert many.cipher.decrypt(row["bot_token"]) == fake.token_of(A)


async def test_reminders_refresh_an_expiring_token_themselves(many: Many, db: Database) -> None:
    fake = many.fake
    fake.rotation_seconds = 3600
    await install(many, A, "Ash Primary", "UA0SAM")
    first = fake.token_of(A)
    fake.rotation_seconds = 12 * 3600
    await many.platform.direct_message(workspace=A, user_id="UA0TOM", reply=Reply.text("A reminder"))
    assert first not in fake.tokens
    assert [c.team for c in fake.calls if c.method == "chat.postMessage"] == [A]
    (row,) = bots(db)
    assert many.cipher.decrypt(row["bot_token"]) == fake.token_of(A)
