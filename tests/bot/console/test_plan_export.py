"""`plan export`: Word and PDF posted to the room, read back; only the key worker may export."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from bot.console.session import ConsoleBot
from handlers.plan import snapshot
from handlers.plan.export.content import build
from handlers.plan.export.pdf import render_pdf, unicode_font
from storage.models import Case
from tests.bot.console.test_plan import team

EXPORTED = date(2026, 9, 14)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


async def planned(bot: ConsoleBot) -> str:
    room = await team(bot)
    await bot.exec(
        "sam",
        "/tac outcome add “Robin reads 3 short books aloud by July 2027” measure “Robin’s reading log”",
        room=room,
    )
    await bot.exec(
        "sam",
        '/tac action add "Language screen" owner @priya due in 3 weeks where "Clinic" cost £40 outcome 1',
        room=room,
    )
    await bot.exec(
        "sam",
        '/tac action add "Phonics" owner @tom due in 2 weeks often "3x weekly" cost "30 min"',
        room=room,
    )
    return room


async def test_export_posts_word_and_pdf_that_read_back(bot: ConsoleBot, tmp_path: Path) -> None:
    room = await planned(bot)
    bot.platform.export_dir = tmp_path
    reply = await bot.exec("sam", "/tac plan export", room=room)
    assert "Posted the plan of TAC-0001" in reply
    uploads = [d for d in bot.sent_to(room=room) if d.files]
    names = [d.files[0][0] for d in uploads]
    assert names == ["TAC-0001-plan-2026-09-14.docx", "TAC-0001-plan-2026-09-14.pdf"]
    assert listing(tmp_path) == sorted(names)

    docx = Document(io.BytesIO(uploads[0].files[0][1]))
    text = "\n".join(p.text for p in docx.paragraphs)
    cells = "\n".join(c.text for t in docx.tables for r in t.rows for c in r.cells)
    assert "Joint agency plan: TAC-0001 (Robin)" in text
    assert "Robin reads 3 short books aloud by July 2027" in cells and "Robin’s reading log" in cells
    assert "Language screen" in cells and "Priya Shah" in cells and "NHS SALT" in cells and "£40" in cells
    assert "Speech and language therapist" in cells  # the team
    assert "Jo Taylor" in cells and "Parent" in cells  # consent: who gave it and their relationship
    assert "Robin Taylor" not in text + cells  # only the alias, never a name the room does not hold

    pdf = pdf_text(uploads[1].files[0][1])
    assert "Robin reads 3 short books aloud by July 2027" in pdf
    assert "Robin’s reading log" in pdf and "£40" in pdf and "Language screen" in pdf


async def test_pdf_with_the_built_in_font_keeps_pound_and_curly_quotes(bot: ConsoleBot) -> None:
    room = await planned(bot)
    await bot.exec("sam", "/tac plan export", room=room)
    with bot.core.db.transaction() as s:
        case = s.query(Case).one()
        plan = snapshot.load(s, case=case, today=bot.core.clock.now().date(), tz=bot.core.tz)
    doc = build(plan, produced=plan.today)
    for font_dir in {None, unicode_font()}:
        text = pdf_text(render_pdf(doc, font_dir=font_dir))
        assert "Robin’s reading log" in text and "£40" in text, font_dir


async def test_only_the_key_worker_can_export(bot: ConsoleBot) -> None:
    room = await planned(bot)
    assert "Only the key worker" in await bot.exec("tom", "/tac plan export", room=room)
    assert "can't find" in await bot.exec("dan", "/tac plan export case TAC-0001")
    assert not [d for d in bot.sent_to(room=room) if d.files]


async def test_help_and_a_closed_case(bot: ConsoleBot) -> None:
    room = await planned(bot)
    assert "outcome measure <n>" in await bot.exec("tom", "/tac help outcome")
    assert "often <how often>" in await bot.exec("tom", "/tac help action")
    assert "review poll" in await bot.exec("tom", "/tac help review")
    await bot.exec("sam", "/tac close confirm", room=room)
    assert "room archived" in await bot.exec("sam", "/tac plan export case TAC-0001")


async def test_the_export_as_a_parent_reads_it(bot: ConsoleBot) -> None:
    await bot.exec("sam", "/tac open Robin year 4 route ehc-assessment")
    room = "tac-0001"
    await bot.exec("sam", '/tac consent given by "Jo Taylor" relationship parent scope all', room=room)
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room=room)
    await bot.exec("sam", '/tac action add "Observe Robin in class" owner @anna due in 2 weeks', room=room)
    await bot.exec("sam", '/tac action add "Reading diary" owner @sam due in 3 weeks cost "tbc"', room=room)
    await bot.exec("sam", "/tac plan export", room=room)
    docx_file, pdf_file = (d.files[0] for d in bot.sent_to(room=room) if d.files)
    word = Document(io.BytesIO(docx_file[1]))
    for page in word.sections:  # A4 landscape, as the PDF
        assert (round(page.page_width.mm), round(page.page_height.mm)) == (297, 210)
    pdf = PdfReader(io.BytesIO(pdf_file[1]))
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages} == {
        (842, 595)
    }
    text = "\n".join(p.text for p in word.paragraphs)
    consent_rows = [
        [c.text for c in r.cells]
        for t in word.tables
        for r in t.rows
        if len(r.cells) == 5 and "Jo Taylor" in r.cells[2].text
    ]
    assert consent_rows == [
        ["14 Sep 2026", "Given", "Jo Taylor", "Parent", "all agencies (education, health, social care)"]
    ]
    assert "Route: EHC needs assessment" in text and "ehc-assessment" not in text
    cells = "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "Educational psychology service" in cells  # the agency, not the role, when none was named
    assert "Not costed: action 1, 2." in text and "Not costed: action 1, 2." in pdf_text(pdf_file[1])


def _snapshot(actions: int) -> snapshot.PlanSnapshot:
    kw = snapshot.Who("sam", "Sam Okafor", "senco", "School")
    return snapshot.PlanSnapshot(
        reference="TAC-0001",
        alias="Robin",
        year_group="4",
        route="sen-support",
        key_worker=kw,
        outcomes=(),
        actions=tuple(
            snapshot.ActionRow(
                n,
                f"Phonics group {n} in the library with a trained teaching assistant",
                kw,
                date(2026, 10, 1),
                "Library",
                "3x weekly",
                "30 min",
                None,
                False,
                False,
                None,
            )
            for n in range(1, actions + 1)
        ),
        team=(snapshot.MemberRow(kw, False, True),),
        consents=(snapshot.ConsentRow(True, "Jo Taylor", "parent", "all", date(2026, 9, 14)),),
        consent_in_force="education, health, social-care",
        reviews=(snapshot.ReviewRow(1, "scheduled", datetime(2026, 11, 3, 14, 30), "Room 2", None),),
        today=date(2026, 9, 14),
    )


@pytest.mark.parametrize("actions", [3, 12])
def test_no_near_empty_last_page_and_no_section_cut_from_its_heading(actions: int) -> None:
    pages = PdfReader(io.BytesIO(render_pdf(build(_snapshot(actions), produced=EXPORTED)))).pages
    titles = {s.title for s in build(_snapshot(actions), produced=EXPORTED).sections}
    for page in pages[1:]:
        lines = [
            line for line in page.extract_text().splitlines() if line.strip() and not line.startswith("Page ")
        ]
        assert lines[0] in titles, lines[:3]  # a page starts with a whole section, never the end of one
    if len(pages) > 1:
        last = [line for line in pages[-1].extract_text().splitlines() if line.strip()]
        assert len(last) >= 5, last
