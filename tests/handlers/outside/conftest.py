from __future__ import annotations

import pytest

from bot.console.session import ConsoleBot
from bot.mail.smtp import SmtpMailer
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.outside.config import Outside
from handlers.outside.links import LinkSigner
from tests.mailbox import Mailbox

PUBLIC = "https://tac.school.example"


@pytest.fixture
def outside(core: Core, clock: ManualClock, mailbox: Mailbox) -> Outside:
    core.outside = Outside(
        public_url=PUBLIC,
        links=LinkSigner(b"k" * 32, clock=clock, days=14),
        mailer=SmtpMailer(host=mailbox.host, port=mailbox.port, username=None, password=None, starttls=False),
    )
    return core.outside


@pytest.fixture
async def team(bot: ConsoleBot, outside: Outside) -> str:
    """TAC-0001 (Robin) with consent, a class teacher, an external EP and an external parent."""
    room = "tac-0001"
    await bot.exec("sam", "/tac open Robin")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" relationship parent scope all', room=room)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=room)
    said = await bot.exec(
        "sam",
        '/tac invite external "Dr Ann Vale" Ann.Vale@county.example educational-psychologist '
        'agency "County EP Service"',
        room=room,
    )
    assert "Invited Dr Ann Vale to TAC-0001" in said, said
    said = await bot.exec(
        "sam", '/tac invite external "Jo Taylor" jo.taylor@home.example parent-carer', room=room
    )
    assert "Invited Jo Taylor to TAC-0001" in said, said
    return room
