"""Information governance through the console: an input's notice names no answers, the key worker shares
(audited, with the reason), reads of case content are audited, and `audit` shows the trail to those
allowed, newest first and paged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import add_sencos
from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from storage.models import AuditEvent, InputShare
from tests.bot.console.test_forms import EP, team

pytestmark = pytest.mark.asyncio


def trail(bot: ConsoleBot, action: str | None = None) -> list[AuditEvent]:
    with bot.core.db.transaction() as s:
        rows = s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    return [r for r in rows if action is None or r.action == action]


async def submitted(bot: ConsoleBot) -> str:
    room = await team(bot)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    await bot.fill_form("anna", bot.form_requests("anna")[0], EP)
    return room


async def test_the_rooms_notice_names_form_author_and_date_and_never_an_answer(bot: ConsoleBot) -> None:
    room = await submitted(bot)
    notice = bot.sent_to(room=room)[-1].text
    assert "Educational psychology advice from @anna · Mon 14 Sep 2026 09:30" in notice
    assert "share input 1" in notice
    for answer in EP.values():
        assert answer not in notice
    assert "Persistent" not in notice and "Cognition" not in notice


async def test_the_author_and_the_key_worker_read_it_and_the_authors_read_is_audited(bot: ConsoleBot) -> None:
    room = await submitted(bot)
    assert "Persistent, kind, strong visual reasoning." in await bot.exec("sam", "/tac input 1", room=room)
    assert bot.replies[-1][1].direct  # for the asker alone, even where the room sees replies (Teams)
    assert trail(bot, "case.read") == []  # the key worker's reads are their own case's work
    assert "Persistent, kind" in await bot.exec("anna", "/tac input 1 case TAC-0001")
    [read] = trail(bot, "case.read")
    assert read.detail == {"what": "input", "number": 1} and read.actor_id is not None
    refused = await bot.exec("tom", "/tac input 1", room=room)
    assert "Only the key worker" in refused and "Persistent" not in refused
    assert "can't find" in await bot.exec("dan", "/tac input 1 case TAC-0001")
    assert len(trail(bot, "case.read")) == 1


async def test_share_input_posts_the_answers_and_records_who_and_why(bot: ConsoleBot) -> None:
    room = await submitted(bot)
    assert "Only the key worker" in await bot.exec("tom", "/tac share input 1", room=room)
    assert "has no input 7" in await bot.exec("sam", "/tac share input 7", room=room)
    assert "needs the reason" in await bot.exec("sam", "/tac share input 1 reason", room=room)
    assert trail(bot, "input.shared") == [] and len(bot.sent_to(room=room)) == 4
    said = await bot.exec("sam", '/tac share input 1 reason "for the review <!channel>"', room=room)
    assert said == "Shared input 1 (Educational psychology advice, version 1) with the room."
    post = bot.sent_to(room=room)[-1].text
    assert "Persistent, kind, strong visual reasoning." in post and "Daily phonics" in post
    assert "Shared with the team by the key worker: for the review" in post
    [row] = trail(bot, "input.shared")
    assert row.detail is not None and row.detail["why"] == "for the review <!channel>"
    assert row.detail["version"] == 1 and row.detail["to"] == "case room"
    again = await bot.exec("sam", "/tac share input 1", room=room)
    assert "already shared" in again and len(trail(bot, "input.shared")) == 1
    with bot.core.db.transaction() as s:
        assert len(s.scalars(select(InputShare)).all()) == 1


async def test_reads_of_case_content_by_members_are_audited_one_row_each(bot: ConsoleBot) -> None:
    room = await submitted(bot)
    await bot.exec("sam", "/tac status", room=room)
    await bot.exec("sam", "/tac plan", room=room)
    assert trail(bot, "case.read") == []
    await bot.exec("tom", "/tac status", room=room)
    await bot.exec("tom", "/tac plan", room=room)
    await bot.exec("anna", "/tac plan", room=room)
    assert [r.detail["what"] for r in trail(bot, "case.read") if r.detail] == ["status", "plan", "plan"]
    await bot.exec("dan", "/tac plan case TAC-0001")  # not a member: refused, nothing read
    assert len(trail(bot, "case.read")) == 3


async def test_audit_newest_first_paged_for_key_worker_senco_and_dsl(
    bot: ConsoleBot, clock: ManualClock
) -> None:
    room = await submitted(bot)
    await bot.exec("sam", '/tac share input 1 reason "for the review"', room=room)
    for _ in range(25):
        await bot.exec("tom", "/tac status", room=room)
    first = await bot.exec("sam", "/tac audit", room=room)
    assert bot.replies[-1][1].direct
    assert "Audit trail of TAC-0001: page 1 of 2, newest first" in first
    assert "Older: audit page 2" in first
    assert first.index("case.read · what: status") < len(first)
    page2 = await bot.exec("sam", "/tac audit page 2", room=room)
    assert "case.opened" in page2 and "input.shared" in page2 and "why: for the review" in page2
    assert page2.index("input.shared") < page2.index("case.opened")  # newest first
    assert "case.opened" not in first
    assert "no page 9" in await bot.exec("sam", "/tac audit 9", room=room)
    # Members who are not the key worker may not; outsiders learn nothing.
    assert "Only the key worker of TAC-0001, a SENCO or the DSL" in await bot.exec(
        "tom", "/tac audit", room=room
    )
    assert "can't find TAC-0001" in await bot.exec("dan", "/tac audit case TAC-0001")
    assert "can't find TAC-0009" in await bot.exec("dan", "/tac audit case TAC-0009")
    assert trail(bot, "audit.read") == []
    # The school's other SENCO and the DSL, not on the team, can, and their reading is audited.
    add_sencos(bot.core.db, [("console", "lee")], clock=clock, added_by="tests")
    assert "page 1 of 2" in await bot.exec("lee", "/tac audit case TAC-0001")
    bot.core.dsls = (("console", "ravi"),)
    assert "page 1 of 2" in await bot.exec("ravi", "/tac audit case TAC-0001")
    assert len(trail(bot, "audit.read")) == 2


async def test_the_demo_shares_an_input_shows_the_audit_and_exports_without_showing_pupil_details() -> None:
    import io

    from bot.console.demo import PUPIL, run_demo

    out = io.StringIO()
    assert await run_demo(out) == 0
    text = out.getvalue()
    assert "Shared input 1 (Educational psychology advice, version 1) with the room." in text
    assert "Shared with the team by the key worker: so the team can plan with it" in text
    assert "== Audit trail of TAC-0001: page 1 of" in text and "· review.recorded ·" in text
    assert "Thank you. Pupil details for TAC-0001 (Robin) is submitted." in text
    assert "TAC-0001/TAC-0001-subject-access.pdf" in text
    for secret in (*map(str, PUPIL.values()), "12 May 2017", "Robin James"):
        assert secret not in text, secret
    assert "went wrong" not in text
