"""`plan export`: Word and PDF posted to the room, read back; only the key worker may export."""

from __future__ import annotations

import io
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

pytestmark = pytest.mark.asyncio


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
    assert "parent" in cells and "Jo Taylor" not in cells  # consent: relationship and scope, no names
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
