"""From the e-mail to the portal: the links the mail job writes open the right pages, and a chaser's
answer link answers it (after asking)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import EmailMessage

from handlers.chasing.delivery import run_due
from storage.models import Action
from tests.bot.portal.conftest import Outbox, World
from tests.bot.portal.helpers import csrf, strict, words

_LINK = re.compile(r"http://portal\.test(/portal/\S+)")


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _about(outbox: Outbox, words_: str) -> EmailMessage:
    found = [m for m in outbox.sent if words_ in str(m["Subject"])]
    assert found, [str(m["Subject"]) for m in outbox.sent]
    return found[-1]


async def test_the_form_request_e_mail_s_link_opens_the_page_with_the_form(
    world: World, outbox: Outbox
) -> None:
    await run_due(world.core, now=world.core.clock.now())
    mail = _about(outbox, "a form is asked of you")
    body = _text(mail)
    assert "Robin" not in body and "Robin" not in str(mail["Subject"])  # the reference only
    [path] = _LINK.findall(body)
    response = await world.client.get(path)
    assert response.status == 200
    strict(response)
    text = words(await response.text())
    assert "TAC-0001 (Robin)" in text and "Educational psychology advice" in text


async def test_a_chaser_e_mail_s_done_link_asks_then_closes_the_action(world: World, outbox: Outbox) -> None:
    world.core.clock.set(datetime(2026, 10, 1, 8, 30, tzinfo=UTC))  # type: ignore[attr-defined]
    for _ in range(2):  # the chaser, then the e-mail it queued
        await run_due(world.core, now=world.core.clock.now())
    mail = _about(outbox, "an action of yours is due")
    links = _LINK.findall(_text(mail))
    done = next(p for p in links if p.endswith(f"/chaser/action/{world.action_id}/done"))
    page = await (await world.client.get(done)).text()  # what a mail scanner's prefetch does
    assert "Yes, it is done" in words(page)
    assert [a.status for a in world.rows(Action)] == ["open"]
    response = await world.client.post(done, data=csrf(page))
    assert response.status == 200
    assert "Action 1 on TAC-0001 is done" in words(await response.text())
    assert [a.status for a in world.rows(Action)] == ["done"]
