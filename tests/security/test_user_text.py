"""Issue 12 item 6: control characters never get in, an export that fails says why, and `plan.exported`
is audited once the files are in the room (not before rendering)."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select, update

from bot.console.session import ConsoleBot
from handlers.forms.answers import check_answers
from handlers.model import Actor, Command, Interaction
from handlers.plan.export import use_case
from handlers.text import clean_text
from storage.models import AuditEvent, Outcome
from tests.bot.console.test_plan import team
from tests.formsamples import resolved


def exported(bot: ConsoleBot) -> list[AuditEvent]:
    with bot.core.db.transaction() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "plan.exported")))


def test_clean_text_keeps_tabs_and_newlines_only_where_allowed() -> None:
    raw = "a\x0bb\x00c\td\r\ne\u202ef\x1b[31mg\u2028h 👩\u200d🏫"
    assert clean_text(raw, multiline=True) == "abc\td\nef[31mg\nh 👩\u200d🏫"
    assert clean_text(raw, multiline=False) == "abc d ef[31mg h 👩\u200d🏫"


def test_commands_prompts_and_names_are_cleaned_on_the_way_in() -> None:
    actor = Actor(platform="console", workspace="w", user_id="u", display_name="Sam\x0b\nSmith")
    assert actor.display_name == "Sam Smith"
    command = Command(actor=actor, text='outcome add "Reads\x0b aloud"', names={"U1": "An\x07na"})
    assert command.text == 'outcome add "Reads aloud"' and command.names == {"U1": "Anna"}
    pressed = Interaction(actor=actor, action="chaser.blocked", value="1", inputs={"reason": "wait\x0b\nfor"})
    assert pressed.inputs == {"reason": "wait for"}


def test_form_answers_lose_control_characters_and_single_lines_their_breaks() -> None:
    form = resolved("pupil-voice")
    short = next(f for f in form.fields if f.type == "short_text")
    long = next(f for f in form.fields if f.type == "long_text")
    checked = check_answers(form, {short.id: "one\ntwo\x0b", long.id: "line one\x0b\nline\ttwo"}, draft=True)
    assert checked.answers[short.id] == "one two"
    assert checked.answers[long.id] == "line one\nline\ttwo"


async def test_a_vertical_tab_in_an_outcome_no_longer_breaks_the_export(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", '/tac outcome add "Robin\x0b reads aloud by July 2027" measure "log"', room=room)
    with bot.core.db.transaction() as s:
        assert s.scalars(select(Outcome.text)).one() == "Robin reads aloud by July 2027"
        # a row stored before this check existed (or by another route) still exports
        s.execute(update(Outcome).values(text="Robin\x0b reads\x1b aloud by July 2027"))
    reply = await bot.exec("sam", "/tac plan export", room=room)
    assert "Posted the plan of TAC-0001" in reply, reply
    docx = next(d for d in bot.sent_to(room=room) if d.files and d.files[0][0].endswith(".docx"))
    cells = "\n".join(
        c.text for t in Document(io.BytesIO(docx.files[0][1])).tables for r in t.rows for c in r.cells
    )
    assert "Robin reads aloud by July 2027" in cells


async def test_an_export_that_cannot_be_rendered_says_why_and_audits_nothing(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = await team(bot)
    await bot.exec("sam", '/tac outcome add "Robin reads aloud by July 2027"', room=room)

    def broken(doc: object) -> bytes:
        raise ValueError("All strings must be XML compatible")

    monkeypatch.setattr(use_case, "render_docx", broken)
    reply = await bot.exec("sam", "/tac plan export", room=room)
    assert "could not be made into Word and PDF files" in reply and "XML compatible" in reply, reply
    assert "Nothing was posted" in reply
    assert [d for d in bot.sent_to(room=room) if d.files] == []
    assert exported(bot) == []


async def test_plan_exported_is_audited_after_delivery_and_only_for_what_arrived(bot: ConsoleBot) -> None:
    room = await team(bot)
    bot.platform.fail_next["upload_file"] = "Slack refused the file (not_in_channel)."
    reply = await bot.exec("sam", "/tac plan export", room=room)
    assert "could not be posted as Word" in reply
    assert exported(bot) == []  # today it is audited before rendering, whether or not anything arrived

    seen_at_upload: list[int] = []
    upload = bot.platform.upload_file

    async def watching(**kwargs: object) -> None:
        seen_at_upload.append(len(exported(bot)))
        await upload(**kwargs)  # type: ignore[arg-type]

    bot.platform.upload_file = watching  # type: ignore[method-assign]
    assert "Posted the plan" in await bot.exec("sam", "/tac plan export", room=room)
    assert seen_at_upload == [0, 0]
    (event,) = exported(bot)
    assert event.detail["files"] == ["TAC-0001-plan-2026-09-14.docx", "TAC-0001-plan-2026-09-14.pdf"]
