"""`invite external`, and everything a member would get by DM reaching them by e-mail, through a real
SMTP server: the case named by reference only, a fresh personal link in each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.console.session import ConsoleBot
from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.outside.config import Outside
from storage.models import AuditEvent, Case, ExternalContact, OutgoingMail
from tests.handlers.outside.conftest import PUBLIC
from tests.mailbox import Mailbox, html_of, links_in, text_of

EP = "ann.vale@county.example"
PARENT = "jo.taylor@home.example"


def assert_names_no_child(message: object) -> None:
    for part in (str(message["Subject"]), text_of(message), html_of(message)):  # type: ignore[index, arg-type]
        assert "Robin" not in part


async def test_invite_external_welcomes_by_email_with_a_personal_link(
    bot: ConsoleBot, team: str, mailbox: Mailbox, clock: ManualClock, outside: Outside
) -> None:
    roster = await bot.exec("sam", "/tac team", room=team)
    assert "Dr Ann Vale · Educational psychologist · County EP Service · external (by e-mail)" in roster
    assert "Jo Taylor · Parent or carer" in roster or "Jo Taylor" in roster
    room_posts = "\n".join(d.text for d in bot.sent_to(room=team))
    assert "Dr Ann Vale joined the team" in room_posts
    assert not mailbox.received  # queued: the queue sends it
    await run_due(bot.core, now=clock.now())
    (welcome,) = mailbox.to(EP)
    assert welcome["Subject"] == "TAC-0001: you are on the team around a child"
    assert "Hello Dr Ann Vale," in text_of(welcome)
    (link,) = links_in(welcome)
    assert link.startswith(f"{PUBLIC}/portal/")
    claim = outside.links.read(link.rsplit("/", 1)[1])
    with bot.core.db.transaction() as s:
        contact = s.scalars(select(ExternalContact).where(ExternalContact.email == EP)).one()
        case_id = s.scalars(select(Case.id).where(Case.reference == "TAC-0001")).one()
        assert (claim.person_id, claim.case_id) == (contact.person_id, case_id)
        assert s.scalars(select(OutgoingMail.state)).all() == ["sent", "sent"]
        assert len(s.scalars(select(AuditEvent).where(AuditEvent.action == "mail.sent")).all()) == 2
    assert_names_no_child(welcome)
    assert len(mailbox.to(PARENT)) == 1
    await run_due(bot.core, now=clock.now())  # sent once
    assert len(mailbox.received) == 2


async def test_named_by_quoted_name_asked_chased_invited_and_given_actions(
    bot: ConsoleBot, team: str, mailbox: Mailbox, clock: ManualClock
) -> None:
    said = await bot.exec("sam", '/tac request ep-advice from "dr ann vale" due in 2 weeks', room=team)
    assert "Dr Ann Vale" in said and "refused" not in said.lower()
    said = await bot.exec(
        "sam", '/tac action add "Observe Robin in class" owner "Dr Ann Vale" due in 1 week', room=team
    )
    assert "Added action 1" in said, said
    said = await bot.exec("sam", '/tac review on 12/10/2026 at 14:00 where "Room 2"', room=team)
    await run_due(bot.core, now=clock.now())
    subjects = sorted(str(m["Subject"]) for m in mailbox.to(EP))
    assert subjects == [
        "TAC-0001: a form is asked of you",
        "TAC-0001: a review meeting",
        "TAC-0001: you are on the team around a child",
    ], subjects
    meeting = next(m for m in mailbox.to(EP) if "review meeting" in str(m["Subject"]))
    (ics,) = [p for p in meeting.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = ics.get_payload(decode=True)
    assert b"BEGIN:VEVENT" in calendar and b"TAC-0001 review meeting" in calendar
    assert b"LOCATION" not in calendar and b"Room 2" not in calendar  # the place is on the page
    assert b"/tac" not in calendar and b"your TAC Bot page" in calendar
    for message in mailbox.to(EP):
        assert_names_no_child(message)
        assert "Observe" not in text_of(message)
    # The action's chaser, when it falls due: answer links, the action's text only behind them.
    mailbox.received.clear()
    clock.current += timedelta(days=7)
    await run_due(bot.core, now=clock.now())  # the chaser, which becomes an e-mail...
    await run_due(bot.core, now=clock.now())  # ...that the next pass sends (every 30 s in `serve`)
    chasers = [m for m in mailbox.to(EP) if "action of yours" in str(m["Subject"])]
    assert chasers, [m["Subject"] for m in mailbox.received]
    links = links_in(chasers[-1])
    assert [link.rsplit("/", 1)[1] for link in links[1:]] == ["done", "later", "blocked"]
    assert all("/chaser/action/" in link for link in links[1:])
    assert_names_no_child(chasers[-1])
    assert "Observe" not in text_of(chasers[-1])


async def test_unknown_quoted_name_and_bad_address_change_nothing(bot: ConsoleBot, team: str) -> None:
    said = await bot.exec("sam", '/tac remove "Dr Nobody"', room=team)
    assert 'I don\'t know anyone outside the workspace called "Dr Nobody"' in said
    said = await bot.exec(
        "sam", '/tac invite external "Bo" not-an-address educational-psychologist', room=team
    )
    assert "is not an e-mail address" in said
    said = await bot.exec("tom", '/tac invite external "Bo" bo@x.example educational-psychologist', room=team)
    assert "Only the key worker" in said
    said = await bot.exec(
        "sam", '/tac invite external "Bo" bo@x.example educational-psychologist case TAC-0099'
    )
    assert "can't find TAC-0099" in said
    with bot.core.db.transaction() as s:
        assert len(s.scalars(select(ExternalContact)).all()) == 2
    said = await bot.exec("sam", '/tac handover "Dr Ann Vale"', room=team)
    assert "outside the workspace" in said


async def test_consent_gate_applies(bot: ConsoleBot, outside: Outside) -> None:
    await bot.exec("sam", "/tac open Robin")
    said = await bot.exec(
        "sam",
        '/tac invite external "Dr Ann Vale" ann@county.example educational-psychologist',
        room="tac-0001",
    )
    assert "can join only once consent" in said
    with bot.core.db.transaction() as s:
        assert s.scalars(select(ExternalContact)).all() == []


async def test_removed_member_gets_nothing_more(
    bot: ConsoleBot, team: str, mailbox: Mailbox, clock: ManualClock
) -> None:
    await bot.exec("sam", '/tac request ep-advice from "Dr Ann Vale" due in 2 weeks', room=team)
    said = await bot.exec("sam", '/tac remove "Dr Ann Vale"', room=team)
    assert "Removed Dr Ann Vale from TAC-0001" in said, said
    await run_due(bot.core, now=clock.now())
    assert mailbox.to(EP) == []
    with bot.core.db.transaction() as s:
        states = s.scalars(select(OutgoingMail.state).where(OutgoingMail.person_id != 0)).all()
        assert "dropped" in states


async def test_no_mail_configured_refuses_invite_external(bot: ConsoleBot) -> None:
    await bot.exec("sam", "/tac open Robin")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" relationship parent scope all', room="tac-0001")
    said = await bot.exec(
        "sam",
        '/tac invite external "Dr Ann Vale" ann@county.example educational-psychologist',
        room="tac-0001",
    )
    assert "E-mail is off here" in said


def test_production_refuses_mail_without_an_https_public_url_or_with_plain_smtp() -> None:
    from bot.app import outside_for
    from bot.settings import Settings
    from handlers.outside.config import MailConfigError

    base = {"TACBOT_ENV": "production", "TACBOT_SMTP_HOST": "smtp.example", "TACBOT_DATA_KEY": "x"}
    with pytest.raises(MailConfigError, match="https://"):
        outside_for(Settings(**base), clock=ManualClock())  # type: ignore[arg-type]
    with pytest.raises(MailConfigError, match="STARTTLS"):
        outside_for(
            Settings(**base, TACBOT_PUBLIC_URL="https://tac.example", TACBOT_SMTP_STARTTLS=False),  # type: ignore[arg-type]
            clock=ManualClock(),
        )
    fine = outside_for(Settings(**base, TACBOT_PUBLIC_URL="https://tac.example/"), clock=ManualClock())  # type: ignore[arg-type]
    assert fine.public_url == "https://tac.example" and fine.mailer is not None


async def test_closing_the_case_still_cancels_the_meeting_in_their_calendar(
    bot: ConsoleBot, team: str, mailbox: Mailbox, clock: ManualClock
) -> None:
    await bot.exec("sam", '/tac review on 12/10/2026 at 14:00 where "Room 2"', room=team)
    await run_due(bot.core, now=clock.now())
    mailbox.received.clear()
    said = await bot.exec("sam", '/tac close reason "Moved school" confirm', room=team)
    assert "Closed" in said, said
    await run_due(bot.core, now=clock.now())
    cancelled = [m for m in mailbox.to(EP) if "cancelled" in str(m["Subject"])]
    assert [str(m["Subject"]) for m in cancelled] == ["TAC-0001: the review meeting is cancelled"]
    (ics,) = [p for p in cancelled[0].iter_attachments() if p.get_content_type() == "text/calendar"]
    assert b"METHOD:CANCEL" in ics.get_payload(decode=True)
    assert "/portal/" not in text_of(cancelled[0])  # the case is closed: a link would open nothing
    assert_names_no_child(cancelled[0])
    assert [m for m in mailbox.received if "cancelled" not in str(m["Subject"])] == []


async def test_an_email_about_something_already_done_is_dropped(
    bot: ConsoleBot, team: str, mailbox: Mailbox, clock: ManualClock
) -> None:
    await bot.exec("sam", '/tac action add "Observe in class" owner "Dr Ann Vale" due in 1 week', room=team)
    await run_due(bot.core, now=clock.now())  # the welcomes
    mailbox.received.clear()
    clock.current += timedelta(days=7)
    await run_due(bot.core, now=clock.now())  # the chaser, queued as an e-mail...
    assert "is done" in await bot.exec("sam", "/tac action done 1", room=team)
    await run_due(bot.core, now=clock.now())  # ...which no longer applies when it would go
    assert [m for m in mailbox.to(EP) if "action of yours" in str(m["Subject"])] == []
    with bot.core.db.transaction() as s:
        kinds = s.execute(select(OutgoingMail.kind, OutgoingMail.state)).all()
        assert ("action_due", "dropped") in [(k, st) for k, st in kinds]
