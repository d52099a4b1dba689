"""`pupil details`: a private form, encrypted at rest with TACBOT_DATA_KEY; the details never reach a room,
a DM, a notification, a reminder, a log line or the plan export."""

from __future__ import annotations

import io
import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from bot.console.session import ConsoleBot
from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.errors import NotAllowed
from handlers.forms import api
from storage.crypto import DataCipher, new_key
from storage.engine import Database
from storage.models import AuditEvent, FormDraft, FormSubmission, PupilDetails
from storage.repo import pupils
from tests.bot.console.test_forms import EP, team
from tests.bot.console.test_plan_export import pdf_text
from tests.handlers.chasing.helpers import at

pytestmark = pytest.mark.asyncio

NAME = "Robin Zephyrine Quigley-Marsh"
UPN = "A123456789012"
DETAILS = {"full_name": NAME, "date_of_birth": "2017-03-04", "upn": UPN}
MARKERS = ("Zephyrine", "Quigley", UPN, "2017-03-04", "04 Mar 2017", "4 March 2017", "04/03/2017")


def stored_details(db: Database, cipher: DataCipher | None) -> tuple[pupils.Details | None, str]:
    """The pupil details as the key reads them back, and every row that could hold them in plain text
    (theirs, as stored, included), as text to search."""
    with db.transaction() as s:
        [row] = s.scalars(select(PupilDetails)).all()
        details = pupils.load(s, case_id=row.case_id, cipher=cipher)
        tables = (
            "pupil_details",
            "form_submissions",
            "form_drafts",
            "audit_events",
            "input_requests",
            "cases",
        )
        dump = "\n".join(str(r) for table in tables for r in s.execute(text(f"SELECT * FROM {table}")).all())
    return details, dump


def everything_sent(bot: ConsoleBot) -> str:
    out = []
    for d in bot.platform.deliveries:
        out.append(d.text)
        out.append(d.reply.summary)  # the notification text
        for name, content in d.files:
            if name.endswith(".pdf"):
                out.append(pdf_text(content))
            elif name.endswith(".docx"):
                from docx import Document

                doc = Document(io.BytesIO(content))
                out += [p.text for p in doc.paragraphs]
                out += [c.text for t in doc.tables for r in t.rows for c in r.cells]
            else:
                out.append(content.decode("utf-8", "replace"))
    out += [reply.summary for _, reply in bot.replies]
    return "\n".join(out)


async def test_pupil_details_are_private_encrypted_and_go_nowhere(
    bot: ConsoleBot, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    room = await team(bot)
    assert "Pupil details are off" in await bot.exec("sam", "/tac pupil details", room=room)
    bot.core.cipher = DataCipher(new_key())
    assert "Only the key worker" in await bot.exec("tom", "/tac pupil details", room=room)
    assert "can't find" in await bot.exec("dan", "/tac pupil details case TAC-0001")
    opened = await bot.exec("sam", "/tac pupil details", room=room)
    assert "[Open form]" in opened and "only in a subject access export" in opened
    assert bot.replies[-1][1].direct  # its form is for the key worker alone, even in a Teams channel
    rid = _last_request_id(bot)
    # Bad answers are shown under their fields and nothing is stored.
    bad = await api.submit_form(bot.core, bot.actor("sam"), rid, {**DETAILS, "upn": "12345"})
    assert set(bad.errors) == {"upn"}
    bad = await api.submit_form(bot.core, bot.actor("sam"), rid, {**DETAILS, "date_of_birth": "2027-01-01"})
    assert set(bad.errors) == {"date_of_birth"}
    with pytest.raises(NotAllowed, match="keeps no drafts"):
        api.save_draft(bot.core, bot.actor("sam"), rid, DETAILS)
    ok = await bot.fill_form("sam", rid, DETAILS)
    assert ok == "Thank you. Pupil details for TAC-0001 (Robin) is submitted."
    # Stored encrypted only: no submission, no draft, no plain text anywhere in the database.
    details, dump = stored_details(bot.core.db, bot.core.cipher)
    assert details == pupils.Details(NAME, date(2017, 3, 4), UPN)
    with bot.core.db.transaction() as s:
        assert s.scalars(select(FormSubmission)).all() == [] and s.scalars(select(FormDraft)).all() == []
        assert "pupil.details_recorded" in [e.action for e in s.scalars(select(AuditEvent))]
    assert all(m not in dump for m in MARKERS)
    # Opening the form again shows nothing back.
    assert "submitting replaces them" in await bot.exec("sam", "/tac pupil details", room=room)
    again = api.open_form(bot.core, bot.actor("sam"), _last_request_id(bot))
    assert again.answers == {} and again.drafts is False  # never shown back; no Save draft offered
    # The whole life of the case: inputs, plan, export, reviews, reminders, the digest.
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    await bot.fill_form("anna", bot.form_requests("anna")[-1], EP)
    await bot.exec("sam", "/tac share input 1", room=room)
    await bot.exec("sam", '/tac outcome add "Robin reads aloud"', room=room)
    await bot.exec("sam", '/tac action add "Phonics" owner @tom due 2026-09-28', room=room)
    for command in ("status", "plan", "team", "inputs", "input 1", "audit", "plan export"):
        await bot.exec("sam", f"/tac {command}", room=room)
        await bot.exec("tom", f"/tac {command}", room=room)
    await bot.exec("sam", "/tac review on 2026-10-20 at 14:30", room=room)
    for day in (at(2026, 9, 28, 9), at(2026, 10, 5, 9), at(2026, 10, 13, 9), at(2026, 10, 19, 9)):
        clock.set(day)
        await run_due(bot.core, now=clock.now())
    clock.advance(timedelta(days=1))
    await bot.exec("sam", '/tac close reason "done"', room=room)
    sent = everything_sent(bot)
    assert "Phonics" in sent and "TAC-0001-plan" in sent  # the collection works
    for marker in MARKERS:
        assert marker not in sent, marker
        assert marker not in caplog.text, marker


def _last_request_id(bot: ConsoleBot) -> str:
    from bot.console.forms import form_request_ids

    return form_request_ids([r for who, r in bot.replies if who == "sam"])[-1]
