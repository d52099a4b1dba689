"""The Teams card flow through the real forms API: submit, errors kept on the card, drafts, refusal."""

from __future__ import annotations

import pytest

from bot.console.session import ConsoleBot
from bot.teams.form_flow import card_submission, open_card
from handlers.errors import NotAllowed
from handlers.forms import api
from tests.bot.console.test_forms import team
from tests.bot.teams.test_forms import _as_teams_sends, _inputs, _validator

pytestmark = pytest.mark.asyncio

TEACHER = {
    "reading": "below",
    "writing": "well-below",
    "maths": "at",
    "strengths": "Great at construction",
    "what_works": "Short tasks, a visual timetable",
    "concern_contexts": ["lessons", "transitions"],
    "attendance": 96,
    "engagement": 3,
}


async def test_a_card_submission_is_stored_and_summarised(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request teacher-input from @tom", room=room)
    rid, tom = bot.form_requests("tom")[0], bot.actor("tom")
    outcome = await card_submission(bot.core, tom, _as_teams_sends(open_card(bot.core, tom, rid), TEACHER))
    assert outcome.card is None and outcome.reply is not None and "submitted" in outcome.reply.summary
    assert outcome.post is not None
    await api.announce(bot.core, outcome.post)
    assert "Class teacher input from @tom" in bot.sent_to(room=room)[-1].text


async def test_errors_come_back_on_the_card_keeping_what_was_typed(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request teacher-input from @tom", room=room)
    rid, tom = bot.form_requests("tom")[0], bot.actor("tom")
    data = _as_teams_sends(open_card(bot.core, tom, rid), {**TEACHER, "attendance": 140, "what_works": None})
    outcome = await card_submission(bot.core, tom, data)
    assert outcome.card is not None and _validator().is_valid(outcome.card)
    inputs = _inputs(outcome.card)
    assert inputs["attendance"]["value"] == 140 and inputs["strengths"]["value"] == "Great at construction"
    red = [b["text"] for b in outcome.card["body"] if b.get("color") == "Attention"]
    assert "Enter 100 or less." in red and "Please answer this question." in red


async def test_save_draft_from_the_card_and_the_refusal(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request teacher-input from @tom", room=room)
    rid, tom = bot.form_requests("tom")[0], bot.actor("tom")
    data = _as_teams_sends(open_card(bot.core, tom, rid), {"strengths": "Kind"}, action=1)
    outcome = await card_submission(bot.core, tom, data)
    assert outcome.reply is not None and "Draft saved" in outcome.reply.summary
    assert _inputs(open_card(bot.core, tom, rid))["strengths"]["value"] == "Kind"
    with pytest.raises(NotAllowed):
        open_card(bot.core, bot.actor("anna"), rid)
    with pytest.raises(NotAllowed):
        await card_submission(bot.core, bot.actor("anna"), data)
