"""The portal's tests: a case with a member outside the workspace (invited with `invite external`), and
serve's aiohttp app with the portal mounted, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import add_sencos
from bot.console.platform import ConsolePlatform
from bot.console.session import ConsoleBot
from bot.portal.limits import RateLimiter
from bot.portal.web import portal_plugin
from bot.server import make_app
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.outside.config import Outside
from handlers.outside.links import LinkSigner
from storage.engine import Database
from storage.models import Action, Case, ExternalContact, InputRequest
from tests.bot.console.test_forms import team

EXTERNAL = "Dr Ann Vale"  # invited with `invite external`, named by this quoted name


class Ticks:
    """The rate limiter's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


@pytest.fixture
def outside(clock: ManualClock, outbox: Outbox) -> Outside:
    return Outside(
        public_url="http://portal.test",
        links=LinkSigner(b"k" * 32, clock=clock, days=30),
        mailer=outbox,
    )


@pytest.fixture
def core(db: Database, clock: ManualClock, console_platform: ConsolePlatform, outside: Outside) -> Core:
    core = Core(db=db, clock=clock, platforms={"console": console_platform}, outside=outside)
    add_sencos(db, [("console", "sam")], clock=clock, added_by="tests")
    return core


@dataclass
class World:
    bot: ConsoleBot
    core: Core
    client: TestClient  # type: ignore[type-arg]
    ticks: Ticks
    case_id: int
    person_id: int
    request_id: int
    action_id: int
    room: str

    def path(self, rest: str = "", *, person_id: int | None = None) -> str:
        """A fresh personal link's path (as the e-mails carry it), with ``rest`` under it."""
        assert self.core.outside is not None
        link = self.core.outside.link(person_id=person_id or self.person_id, case_id=self.case_id, path=rest)
        return link.removeprefix("http://portal.test")

    def rows(self, model: type) -> list:  # type: ignore[type-arg]
        with self.core.db.transaction() as s:
            return list(s.scalars(select(model)).all())


async def add_external(bot: ConsoleBot, *, room: str, role: str, name: str, email: str) -> int:
    """An external member, invited as a key worker does: `invite external "<name>" <email> <role>`."""
    said = await bot.exec("sam", f'/tac invite external "{name}" {email} {role}', room=room)
    assert f"Invited {name} to" in said, said
    with bot.core.db.transaction() as s:
        return s.scalars(select(ExternalContact.person_id).where(ExternalContact.email == email)).one()


class Outbox:
    """A mailer that keeps what it is given (the e-mails' own tests use a real SMTP server)."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    async def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


Serve = Callable[..., TestServer]


@pytest.fixture
async def world(core: Core, bot: ConsoleBot) -> AsyncIterator[World]:
    room = await team(bot)
    person_id = await add_external(
        bot, room=room, role="educational-psychologist", name=EXTERNAL, email="ann@example.org"
    )
    asked = await bot.exec("sam", f'/tac request ep-advice from "{EXTERNAL}" due 2026-10-15', room=room)
    assert "Asked" in asked, asked
    added = await bot.exec(
        "sam", f'/tac action add "Observe Robin in class" owner "{EXTERNAL}" due 2026-10-01', room=room
    )
    assert "Added action 1" in added, added
    with core.db.transaction() as s:
        request_id = s.scalars(select(InputRequest.id)).one()
        action_id = s.scalars(select(Action.id)).one()
        case_id = s.scalars(select(Case.id)).one()
    ticks = Ticks()
    app = make_app(core, plugins=[portal_plugin(limiter=RateLimiter(rate=1.0, burst=40, clock=ticks))])
    async with TestClient(TestServer(app)) as client:
        yield World(bot, core, client, ticks, case_id, person_id, request_id, action_id, room)
