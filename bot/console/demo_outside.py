"""The demo's steps for a member outside the workspace: Kim Shah, the speech and language therapist, reads
the e-mails TAC Bot sent her (printed by the demo's mailer) and answers on the portal behind their link,
as her browser would post to `serve` (the portal's own tests drive a real browser)."""

from __future__ import annotations

from bot.console.session import ConsoleBot
from bot.mail.printed import PrintedMailer
from handlers.clock import ManualClock
from handlers.outside.portal import answer_poll, open_page, post_form
from handlers.replies import Reply

SALT_ADVICE: dict[str, str | list[str]] = {
    "involvement": "Assessed Robin at school on 2 October; spoke with Mrs Taylor.",
    "receptive": "Understands everyday instructions; two-step instructions need repeating.",
    "expressive": "Short sentences; word-finding pauses when tired.",
    "intelligibility": "familiar",
    "provision": "Language group with a trained TA; vocabulary pre-teaching before topic lessons.",
    "delivered_by": ["ta", "salt"],
    "frequency": "Twice a week",
    "duration": "30 minutes, for 12 weeks",
    "outcomes": "Robin follows two-step instructions in class without repetition.",
}


def _kims_link(bot: ConsoleBot) -> str:
    """The token of the personal link in the latest e-mail Kim was sent."""
    mailer = bot.core.outside.mailer if bot.core.outside is not None else None
    assert isinstance(mailer, PrintedMailer)
    latest = mailer.sent[-1].get_body(preferencelist=("plain",))
    assert latest is not None
    link = next(w for w in str(latest.get_content()).split() if "/portal/" in w)
    return link.rsplit("/portal/", 1)[1].split("/")[0]


async def kim_answers_the_poll_on_the_portal(bot: ConsoleBot, clock: ManualClock) -> None:
    """Kim follows the poll e-mail's link and picks her dates on the portal."""
    token = _kims_link(bot)
    page = await open_page(bot.core, token)
    assert page.poll is not None
    said = await answer_poll(bot.core, token, page.poll.review_id, {1: "can", 2: "cannot"})
    bot.replied("kim", Reply.text(f"(the portal) {page.reference}: {said}"))


async def kim_answers_on_the_portal(bot: ConsoleBot, clock: ManualClock) -> None:
    """Kim Shah, outside the workspace, follows the link in her e-mail and submits the form on the portal
    (what her browser posts to `serve`; the portal's tests drive a real browser)."""
    token = _kims_link(bot)
    page = await open_page(bot.core, token)
    form = page.forms[-1]
    done = await post_form(bot.core, token, form.request_id, SALT_ADVICE, submit=True)
    bot.replied("kim", Reply.text(f"(the portal) {page.reference}: {form.title}: {done.message}"))
