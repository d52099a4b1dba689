"""Retention and erasure on SQLite and PostgreSQL: the weekly list (per-school retention years), erasing a
listed case completely (checked table by table through the schema's foreign keys), the audit tombstone
and a chain that still verifies, and early erasure only on a second person's approval."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.orm import Session

from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.errors import NotAllowed
from handlers.governance.erasure import approve_erasure, notify_retention, request_erasure, retention_erase
from handlers.governance.retention import ERASE_ORDER, KEPT, due_cases
from handlers.governance.sar import CASE_TABLES
from storage import audit
from storage.models import AuditEvent, Case, ErasureRequest
from storage.repo import policies
from tests.handlers.governance.seed import ASH, ROBIN, concerning, seed_two

pytestmark = pytest.mark.asyncio

LATER = datetime(2048, 3, 6, 9, tzinfo=UTC)  # Robin and Ash were born 4 March 2017: 31 years on


def dump(s: Session) -> str:
    meta = MetaData()
    meta.reflect(bind=s.connection())
    return "\n".join(str(row) for table in meta.sorted_tables for row in s.execute(select(table)))


def case(s: Session, ref: str) -> Case:
    return s.scalars(select(Case).where(Case.reference == ref)).one()


async def test_erasure_covers_every_table_the_export_covers() -> None:
    assert set(ERASE_ORDER) | set(KEPT) == set(CASE_TABLES) and not set(ERASE_ORDER) & set(KEPT)


async def test_the_list_follows_each_schools_retention_and_names_closed_cases_with_no_birth_date(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await seed_two(bot, clock)
    await bot.exec("sam", "/tac open Kit")
    await bot.exec("sam", '/tac close reason "moved away"', room="tac-0003")
    today = datetime(2026, 11, 2, tzinfo=UTC).date()
    with bot.core.db.transaction() as s:
        assert [(d.reference, d.until) for d in due_cases(s, cipher=bot.core.cipher, today=today)] == [
            ("TAC-0003", None)
        ]
        listed = due_cases(s, cipher=bot.core.cipher, today=LATER.date())
        assert [(d.reference, str(d.until)) for d in listed][:2] == [
            ("TAC-0001", "2048-03-04"),
            ("TAC-0002", "2048-03-04"),
        ]
        school_id = case(s, "TAC-0001").school_id
        policies.set_overrides(s, school_id=school_id, values={"retention_years": 35}, by="tests", now=LATER)
        assert [d.reference for d in due_cases(s, cipher=bot.core.cipher, today=LATER.date())] == ["TAC-0003"]


async def test_the_weekly_list_goes_to_the_senco_and_the_dsl_and_names_no_date(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await seed_two(bot, clock)
    bot.core.dsls = (("console", "ravi"),)
    clock.set(LATER)
    due = await notify_retention(bot.core, now=LATER)
    assert [d.reference for d in due] == ["TAC-0001", "TAC-0002"]
    for who in ("sam", "ravi"):
        [dm] = [d for d in bot.sent_to(user=who) if "retention check" in d.text]
        assert "TAC-0001 (Robin): past its retention period" in dm.text and "TAC-0002 (Ash)" in dm.text
        for secret in ("2017", "2048", "Mar", ROBIN.name, ROBIN.upn):
            assert secret not in dm.text and secret not in dm.reply.summary
    assert not [d for d in bot.sent_to(user="tom") if "retention check" in d.text]
    with bot.core.db.transaction() as s:
        [row] = [e for e in s.scalars(select(AuditEvent)) if e.action == "retention.listed"]
        assert row.detail is not None and row.detail["cases"] == ["TAC-0001", "TAC-0002"]


async def test_erasing_a_listed_case_removes_every_row_about_it_and_leaves_a_tombstone(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await seed_two(bot, clock)
    with bot.core.db.transaction() as s:
        before_ash = concerning(s, case(s, "TAC-0002").id)
        robin_id = case(s, "TAC-0001").id
    with pytest.raises(NotAllowed, match="not past its retention"):
        retention_erase(bot.core, reference="TAC-0001", school=None, approved_by="Dee DPO", now=clock.now())
    removed = retention_erase(bot.core, reference="tac-1", school=None, approved_by="Dee DPO", now=LATER)
    assert removed["form_submissions"] == 2 and removed["pupil_details"] == 1
    with bot.core.db.transaction() as s:
        left = {t: rows for t, rows in concerning(s, robin_id).items() if rows}
        assert set(left) == {"cases", "audit_events"}
        stub = case(s, "TAC-0001")
        assert (stub.alias, stub.status, stub.year_group) == ("", "erased", None)
        rows = audit.events_for_case(s, case_id=robin_id)
        assert all(e.detail is None and e.salt is None for e in rows[:-1])
        tomb = rows[-1]
        assert tomb.action == "case.erased" and tomb.detail is not None
        assert tomb.detail["reference"] == "TAC-0001" and tomb.detail["approved_by"] == "Dee DPO"
        assert tomb.detail["audit_rows_redacted"] == len(rows) - 1
        assert audit.verify(s).ok
        everything = dump(s)
        for marker in (ROBIN.marker, ROBIN.name, ROBIN.upn, "Robin reads aloud"):
            assert marker not in everything, marker
        assert ASH.marker in everything  # the other pupil's records are untouched
        assert concerning(s, case(s, "TAC-0002").id) == before_ash
    # Nobody reaches the erased case any more, and it cannot be erased or exported twice.
    assert "can't find" in await bot.exec("sam", "/tac status case TAC-0001")
    assert "can't find" in await bot.exec("sam", "/tac audit case TAC-0001")
    with pytest.raises(Exception, match="was erased"):
        retention_erase(bot.core, reference="TAC-0001", school=None, approved_by="Dee DPO", now=LATER)


async def test_early_erasure_needs_a_second_person_and_no_legal_hold(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await seed_two(bot, clock)
    row = request_erasure(
        bot.core,
        reference="TAC-0002",
        school=None,
        reason="Parent's request",
        requested_by="Sam Okafor",
        now=clock.now(),
    )
    with pytest.raises(NotAllowed, match="second person"):
        approve_erasure(bot.core, request_id=row.id, approved_by="sam okafor", no_hold=True, now=clock.now())
    with pytest.raises(NotAllowed, match="legal hold"):
        approve_erasure(bot.core, request_id=row.id, approved_by="Dee DPO", no_hold=False, now=clock.now())
    with pytest.raises(NotAllowed, match="is open"):
        approve_erasure(bot.core, request_id=row.id, approved_by="Dee DPO", no_hold=True, now=clock.now())
    await bot.exec("sam", '/tac close reason "left the school" confirm', room=ASH.room)
    reference, removed = approve_erasure(
        bot.core, request_id=row.id, approved_by="Dee DPO", no_hold=True, now=clock.now()
    )
    assert reference == "TAC-0002" and sum(removed.values()) > 20
    with bot.core.db.transaction() as s:
        req = s.get(ErasureRequest, row.id)
        assert req is not None and (req.state, req.approved_by) == ("erased", "Dee DPO")
        assert req.reason == "(cleared when the case was erased)"
        assert ASH.marker not in dump(s) and ROBIN.marker in dump(s)
        assert audit.verify(s).ok
    with pytest.raises(Exception, match="no pending erasure request"):
        approve_erasure(bot.core, request_id=row.id, approved_by="Dee DPO", no_hold=True, now=clock.now())


async def test_the_cli_lists_erases_and_records_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main
    from tests.handlers.governance.seed import file_database, seed_case

    bot, db = file_database(tmp_path, monkeypatch, "ret.db")
    await seed_case(bot, ROBIN)
    await seed_case(bot, ASH)
    db.dispose()
    assert await asyncio.to_thread(main, ["retention", "run", "--now", "2026-11-02T09:00"]) == 0
    assert "No case is past its retention period." in capsys.readouterr().out
    assert await asyncio.to_thread(main, ["retention", "run", "--now", "2048-03-06T09:00"]) == 0
    out = capsys.readouterr().out
    assert "TAC-0001: past its retention period" in out and "2 cases to review" in out
    assert await asyncio.to_thread(main, ["retention", "erase", "TAC-0001", "--approved-by", "Dee DPO"]) == 2
    assert "not past its retention period" in capsys.readouterr().err  # now is the real clock, 2026
    assert (
        await asyncio.to_thread(
            main, ["erasure", "request", "TAC-0002", "--reason", "Parent asked", "--requested-by", "Sam"]
        )
        == 0
    )
    assert "Erasure request 1 for TAC-0002 recorded" in capsys.readouterr().out
    assert (
        await asyncio.to_thread(main, ["erasure", "approve", "1", "--approved-by", "Sam", "--no-legal-hold"])
        == 2
    )
    assert "second person" in capsys.readouterr().err
    assert await asyncio.to_thread(main, ["erasure", "list"]) == 0
    assert "1. TAC-0002: pending, asked by Sam" in capsys.readouterr().out
    assert await asyncio.to_thread(main, ["audit", "verify"]) == 0


async def test_a_safeguarding_concern_holds_the_case_and_the_export_shows_only_that_it_exists(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    import io
    import json
    import zipfile

    from handlers.governance.operator import export_pupil
    from handlers.replies import Buttons

    await seed_two(bot, clock)
    bot.core.dsls = (("console", "dee"),)
    await bot.exec("tom", "/tac concern", room=ROBIN.room)
    key = next(
        b for block in bot.replies[-1][1].blocks if isinstance(block, Buttons) for b in block.buttons
    ).value
    answers = {
        "child": "Robin",
        "seen": "Bruise-marker-C on the arm",
        "when": "Today",
        "at_risk": "Robin",
        "done": "Told",
    }
    assert "is with the Designated Safeguarding Lead" in await bot.fill_form("tom", key, answers)
    _, content = export_pupil(
        bot.core.db,
        reference="TAC-0001",
        school=None,
        cipher=bot.core.cipher,
        forms=bot.core.forms,
        tz=bot.core.tz,
        now=LATER,
        by="tests",
    )
    archive = zipfile.ZipFile(io.BytesIO(content))
    [concern] = json.loads(archive.read("TAC-0001/tables/concerns.json"))
    assert concern["answers"].startswith("(withheld: a safeguarding record")
    everything = b"".join(archive.read(n) for n in archive.namelist())
    assert b"Bruise-marker-C" not in everything
    with pytest.raises(NotAllowed, match="safeguarding concern"):
        retention_erase(bot.core, reference="TAC-0001", school=None, approved_by="Dee DPO", now=LATER)
    with bot.core.db.transaction() as s:
        assert case(s, "TAC-0001").alias == "Robin" and ROBIN.marker in dump(s)  # nothing was erased
