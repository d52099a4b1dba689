"""`tacbot export pupil`: two pupils seeded through the use cases; one exported. Every table of the schema
(reflected) is walked: each row concerning that pupil is in the export, nothing of the other's is, and a
new table the export does not cover makes the check fail."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.governance.operator import export_pupil
from handlers.governance.sar import CASE_TABLES, NOT_ABOUT_A_CASE, collect
from storage.models import Case
from tests.bot.console.test_plan_export import pdf_text
from tests.handlers.governance.seed import ASH, ROBIN, concerning, ids, seed_two, tables_in_schema

pytestmark = pytest.mark.asyncio


def problems(s: Session, *, exported: dict[str, list[dict[str, object]]], mine: int, other: int) -> list[str]:
    found: list[str] = []
    for table in sorted(tables_in_schema(s)):
        if table not in CASE_TABLES and table not in NOT_ABOUT_A_CASE:
            found.append(f"{table}: neither exported nor declared not about a case")
    want, avoid = concerning(s, mine), concerning(s, other)
    for table, rows in want.items():
        got = ids(exported.get(table, []))
        if rows - got:
            found.append(f"{table}: rows {sorted(map(str, rows - got))} about the pupil are not exported")
        if got & avoid.get(table, set()):
            found.append(f"{table}: rows of the other pupil are exported")
    return found


def case(s: Session, ref: str) -> Case:
    return s.query(Case).filter(Case.reference == ref).one()


async def test_the_export_holds_every_row_about_the_pupil_and_nothing_of_another(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await seed_two(bot, clock)
    reference, content = export_pupil(
        bot.core.db,
        reference="tac-1",
        school=None,
        cipher=bot.core.cipher,
        forms=bot.core.forms,
        tz=bot.core.tz,
        now=datetime(2026, 11, 2, 9, tzinfo=UTC),
        by="tests",
    )
    assert reference == "TAC-0001"
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    exported = {
        n.removeprefix("TAC-0001/tables/").removesuffix(".json"): json.loads(archive.read(n))
        for n in names
        if n.startswith("TAC-0001/tables/")
    }
    with bot.core.db.transaction() as s:
        robin, ash = case(s, "TAC-0001"), case(s, "TAC-0002")
        assert problems(s, exported=exported, mine=robin.id, other=ash.id) == []
        about_robin = concerning(s, robin.id)
        # Seeded through the use cases, the pupil's case fills many tables:
        assert {t for t, rows in about_robin.items() if rows} >= {
            "cases",
            "memberships",
            "consents",
            "rooms",
            "input_requests",
            "form_submissions",
            "form_drafts",
            "input_shares",
            "pupil_details",
            "outcomes",
            "actions",
            "reviews",
            "review_slots",
            "review_answers",
            "reminders",
            "audit_events",
            "referrals",
            "family_updates",
        }
    everything = "\n".join(
        archive.read(n).decode("utf-8", "replace") for n in names if n.endswith((".json", ".txt"))
    )
    pdf = pdf_text(archive.read("TAC-0001/TAC-0001-subject-access.pdf"))
    for marker in (ROBIN.marker, ROBIN.name, ROBIN.upn, "Strengths (v2) of", "Strengths of Quokka"):
        assert marker in everything and marker in pdf.replace("\n", " "), marker
    for marker in (ASH.marker, ASH.name, ASH.upn):
        assert marker not in everything and marker not in pdf, marker
    details = json.loads(archive.read("TAC-0001/pupil-details.json"))
    assert details["details"] == {"full_name": ROBIN.name, "date_of_birth": "2017-03-04", "upn": ROBIN.upn}
    third = json.loads(archive.read("TAC-0001/third-parties.json"))
    assert all(t["review_before_release"] for t in third)
    assert {"Tom Reid", "Dr Anna Novak", f"Parent of {ROBIN.marker}"} <= {t["name"] for t in third}
    assert "[third party: review before release]" in pdf.replace("\n", " ")
    with bot.core.db.transaction() as s:
        trail = collect(s, case=case(s, "TAC-0001"), cipher=None).tables["audit_events"]
    assert trail[-1]["action"] == "case.subject_access_export" and trail[-1]["detail"]["by"] == "tests"


async def test_a_new_table_about_a_case_that_the_export_does_not_cover_fails_the_check(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    await seed_two(bot, clock)
    with pytest.raises(Rollback), bot.core.db.transaction() as s:
        robin, ash = case(s, "TAC-0001"), case(s, "TAC-0002")
        exported = collect(s, case=robin, cipher=bot.core.cipher).tables
        assert problems(s, exported=exported, mine=robin.id, other=ash.id) == []
        s.execute(
            text("CREATE TABLE case_notes (id INTEGER PRIMARY KEY, case_id INTEGER REFERENCES cases (id))")
        )
        s.execute(text("INSERT INTO case_notes (id, case_id) VALUES (1, :c)"), {"c": robin.id})
        found = problems(s, exported=exported, mine=robin.id, other=ash.id)
        assert "case_notes: neither exported nor declared not about a case" in found
        assert "case_notes: rows ['1'] about the pupil are not exported" in found
        raise Rollback


class Rollback(Exception):
    """Raised to roll the made-up table back."""


async def test_the_cli_writes_a_zip_that_reads_well(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main
    from tests.handlers.governance.seed import file_database, seed_case

    bot, db = file_database(tmp_path, monkeypatch, "sar.db")
    out = tmp_path / "sar.zip"
    assert main(["export", "pupil", "TAC-0001", "--out", str(out)]) == 2
    assert "There is no case TAC-0001" in capsys.readouterr().err and not out.exists()
    await seed_case(bot, ROBIN)
    db.dispose()
    assert main(["export", "pupil", "TAC-0001", "--out", str(out)]) == 0
    assert "Wrote the subject access export of TAC-0001" in capsys.readouterr().out
    assert out.stat().st_mode & 0o077 == 0  # readable by its owner only
    archive = zipfile.ZipFile(out)
    pdf = pdf_text(archive.read("TAC-0001/TAC-0001-subject-access.pdf"))
    for heading in (
        "Subject access export: TAC-0001",
        "The pupil",
        "Consent",
        "The team",
        "Input 1",
        "The plan",
        "Audit trail",
        "Third parties named",
    ):
        assert heading in pdf, heading
    assert ROBIN.name in pdf and "Strengths (v2) of" in pdf.replace("\n", " ")
