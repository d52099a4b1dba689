"""End to end, following the links: members outside the workspace invited through the console
(`invite external`), their e-mails received by a real SMTP server (aiosmtpd), each link opened against
serve's aiohttp app with the portal mounted; the form submitted with the CSRF token read from its page,
a chaser answered by its Done link, and the old link refused (naming no case) after `remove`. SQLite and
PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.console.session import ConsoleBot
from bot.mail.smtp import SmtpMailer
from bot.portal.limits import RateLimiter
from bot.portal.web import portal_plugin
from bot.server import make_app
from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.outside.config import Outside
from handlers.outside.links import LinkSigner
from storage.models import Action, FormSubmission, InputRequest
from tests.bot.console.test_forms import EP
from tests.bot.portal.conftest import Ticks
from tests.bot.portal.helpers import csrf, strict, words
from tests.mailbox import Mailbox, links_in, text_of

PUBLIC = "https://tac.school.example"
EP_ADDRESS = "ann.vale@county.example"
PARENT_ADDRESS = "jo.taylor@home.example"
PARENT = {
    "about": "Cheerful, loves dinosaurs and building things.",
    "worries": "Reading homework ends in tears most evenings.",
    "hopes": "To enjoy books and feel confident in class.",
}
ROOM = "tac-0001"


@pytest.fixture
def outside(clock: ManualClock, mailbox: Mailbox) -> Outside:
    """E-mail on, through the test's SMTP server (this module's: the portal's conftest has none)."""
    return Outside(
        public_url=PUBLIC,
        links=LinkSigner(b"k" * 32, clock=clock, days=14),
        mailer=SmtpMailer(host=mailbox.host, port=mailbox.port, username=None, password=None, starttls=False),
    )


@pytest.fixture
async def client(core: Core) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    app = make_app(core, plugins=[portal_plugin(limiter=RateLimiter(rate=1.0, burst=100, clock=Ticks()))])
    async with TestClient(TestServer(app)) as client:
        yield client


def path_of(link: str) -> str:
    """A link from an e-mail as a path on serve (the public address is the test server's)."""
    assert link.startswith(f"{PUBLIC}/portal/"), link
    return urlsplit(link).path


def only(mailbox: Mailbox, address: str, subject: str) -> str:
    """The one e-mail to ``address`` whose subject says ``subject``: its personal link."""
    [message] = [m for m in mailbox.to(address) if subject in str(m["Subject"])]
    assert "Robin" not in text_of(message) and "Robin" not in str(message["Subject"])
    return links_in(message)[0]


async def invited(bot: ConsoleBot) -> None:
    await bot.exec("sam", "/tac open Robin")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" relationship parent scope all', room=ROOM)
    said = await bot.exec(
        "sam",
        f'/tac invite external "Dr Ann Vale" {EP_ADDRESS} educational-psychologist agency "County EP"',
        room=ROOM,
    )
    assert "Invited Dr Ann Vale to TAC-0001" in said, said
    said = await bot.exec("sam", f'/tac invite external "Jo Taylor" {PARENT_ADDRESS} parent-carer', room=ROOM)
    assert "Invited Jo Taylor to TAC-0001" in said, said


async def submit_from_email(
    bot: ConsoleBot,
    client: TestClient,
    link: str,
    answers: dict[str, str],
    title: str,  # type: ignore[type-arg]
) -> None:
    """The e-mail's link opens the form itself; its page's CSRF token; the POST."""
    form_path = path_of(link)
    assert "/form/" in form_path
    response = await client.get(form_path)
    assert response.status == 200
    strict(response)
    form_page = await response.text()
    assert title in words(form_page)
    page = await client.get(form_path.rsplit("/form/", 1)[0])  # the person's page lists it too
    assert page.status == 200 and title in words(await page.text())
    before = len(bot.sent_to(room=ROOM))
    response = await client.post(form_path, data={**answers, **csrf(form_page), "intent": "submit"})
    assert response.status == 200, words(await response.text())
    assert "is submitted" in words(await response.text())
    notices = [d.text for d in bot.sent_to(room=ROOM)[before:]]
    assert any(title in n for n in notices), notices
    assert not any(v in n for n in notices for v in answers.values())  # the room hears of it, not what


async def test_from_the_email_to_the_form_the_chaser_and_a_closed_link(
    bot: ConsoleBot,
    core: Core,
    client: TestClient,
    mailbox: Mailbox,
    clock: ManualClock,  # type: ignore[type-arg]
) -> None:
    await invited(bot)
    said = await bot.exec("sam", '/tac request ep-advice from "Dr Ann Vale" due in 2 weeks', room=ROOM)
    assert "refused" not in said.lower(), said
    said = await bot.exec("sam", '/tac request parent-views from "Jo Taylor" due in 2 weeks', room=ROOM)
    assert "refused" not in said.lower(), said
    said = await bot.exec(
        "sam", '/tac action add "Observe Robin in class" owner "Dr Ann Vale" due in 1 week', room=ROOM
    )
    assert "Added action 1" in said, said
    await run_due(core, now=clock.now())

    # The EP: from the e-mail to the form, submitted; the room hears of it.
    welcome = only(mailbox, EP_ADDRESS, "you are on the team")
    assert (await client.get(path_of(welcome))).status == 200
    await submit_from_email(
        bot, client, only(mailbox, EP_ADDRESS, "a form is asked of you"), EP, "Educational psychology advice"
    )
    # The parent: the same from their own e-mail.
    await submit_from_email(
        bot, client, only(mailbox, PARENT_ADDRESS, "a form is asked of you"), PARENT, "Parent and carer views"
    )
    with core.db.transaction() as s:
        assert sorted(s.scalars(select(InputRequest.state))) == ["submitted", "submitted"]
        assert len(s.scalars(select(FormSubmission)).all()) == 2

    # The action's chaser e-mail, a week later: its Done link asks first, the POST closes the action.
    clock.current += timedelta(days=7)
    await run_due(core, now=clock.now())  # the chaser, which becomes an e-mail...
    await run_due(core, now=clock.now())  # ...sent by the next pass
    [chaser] = [m for m in mailbox.to(EP_ADDRESS) if "action of yours" in str(m["Subject"])]
    assert "Observe" not in text_of(chaser) and "Robin" not in text_of(chaser)
    [done] = [link for link in links_in(chaser) if link.endswith("/done")]
    response = await client.get(path_of(done))
    assert response.status == 200
    page = await response.text()
    assert "Yes, it is done" in words(page) and "Observe Robin in class" in words(page)
    with core.db.transaction() as s:
        assert s.scalars(select(Action.status)).one() == "open"  # a GET changes nothing
    response = await client.post(path_of(done), data=csrf(page))
    assert response.status == 200
    assert "Action 1 on TAC-0001 is done" in words(await response.text())
    with core.db.transaction() as s:
        assert s.scalars(select(Action.status)).one() == "done"

    # Removed: the old links open nothing, and say nothing of the case.
    said = await bot.exec("sam", '/tac remove "Dr Ann Vale"', room=ROOM)
    assert "Removed Dr Ann Vale from TAC-0001" in said, said
    for link in (welcome, done):
        response = await client.get(path_of(link))
        assert response.status in (403, 410)
        strict(response)
        text = words(await response.text())
        assert "TAC-0001" not in text and "Robin" not in text and "Observe" not in text
    assert (await client.post(path_of(done), data=csrf(page))).status in (403, 410)
    # The parent's link still opens their page.
    assert (await client.get(path_of(only(mailbox, PARENT_ADDRESS, "you are on the team")))).status == 200
