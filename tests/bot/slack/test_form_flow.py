"""The Slack modal flow through the real forms API: submit, errors, steps, drafts, refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.console.session import ConsoleBot
from bot.slack.form_flow import open_view, save_modal_draft, view_submission
from handlers.errors import NotAllowed
from handlers.forms import api
from handlers.forms.library import FormLibrary
from storage.models import FormSubmission
from tests.bot.console.test_forms import EP, team
from tests.bot.slack.test_forms import _state

pytestmark = pytest.mark.asyncio


def submitted(view: dict, answers: dict) -> dict:  # type: ignore[type-arg]
    """The ``view`` of a view_submission payload: the modal as shown, with the person's answers."""
    return {**view, "state": {"values": _state(view, answers)}}


async def test_submit_clears_the_modal_and_the_summary_follows_the_ack(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    rid = bot.form_requests("anna")[0]
    anna = bot.actor("anna")
    outcome = await view_submission(bot.core, anna, submitted(open_view(bot.core, anna, rid), EP))
    assert outcome.ack == {"response_action": "clear"}
    assert bot.sent_to(room=room)[-1].text.startswith("@tom joined")  # nothing posted before the ack
    assert outcome.post is not None
    await api.announce(bot.core, outcome.post)
    assert "Educational psychology advice from @anna" in bot.sent_to(room=room)[-1].text


async def test_missing_answers_come_back_under_their_fields(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    rid = bot.form_requests("anna")[0]
    anna = bot.actor("anna")
    outcome = await view_submission(
        bot.core, anna, submitted(open_view(bot.core, anna, rid), {**EP, "outcomes": None})
    )
    assert outcome.ack == {
        "response_action": "errors",
        "errors": {"outcomes": "Please answer this question."},
    }
    with bot.core.db.transaction() as s:
        assert s.scalars(select(FormSubmission)).all() == []


async def test_nothing_opens_for_someone_not_asked(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    rid = bot.form_requests("anna")[0]
    with pytest.raises(NotAllowed, match="not sent to you"):
        open_view(bot.core, bot.actor("tom"), rid)
    assert open_view(bot.core, bot.actor("sam"), rid)["type"] == "modal"  # the key worker may


async def test_draft_from_the_modal_is_filled_back_in(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    rid = bot.form_requests("anna")[0]
    anna = bot.actor("anna")
    reply = save_modal_draft(bot.core, anna, submitted(open_view(bot.core, anna, rid), {"strengths": "Kind"}))
    assert "Draft saved" in reply.summary
    again = open_view(bot.core, anna, rid)
    strengths = next(b for b in again["blocks"] if b.get("block_id") == "strengths")
    assert strengths["element"]["initial_value"] == "Kind"


async def test_a_long_school_form_goes_step_by_step(bot: ConsoleBot, tmp_path: Path) -> None:
    sections = "".join(
        f"  - title: Part {s}\n    fields:\n"
        + "".join(
            f"      - {{id: q{s}_{i}, label: Question {i}, type: short_text, "
            f"required: {str(i == 0).lower()}}}\n"
            for i in range(30)
        )
        for s in range(5)
    )
    (tmp_path / "long-form.yaml").write_text(
        "id: long-form\ntitle: A long school form\nfor: Anyone\nintroduction: A long form of the school.\n"
        f"sections:\n{sections}",
        "utf-8",
    )
    bot.core.forms = FormLibrary.load(tmp_path)
    room = await team(bot)
    await bot.exec("sam", "/tac request long-form from @tom", room=room)
    rid, tom = bot.form_requests("tom")[0], bot.actor("tom")
    view = open_view(bot.core, tom, rid)
    missing = await view_submission(bot.core, tom, submitted(view, {}))
    assert missing.ack["response_action"] == "errors" and "q0_0" in missing.ack["errors"]
    assert "q4_0" not in missing.ack["errors"]  # only the fields on this step
    answers = {f"q{s}_{i}": f"answer {s}.{i}" for s in range(5) for i in range(30)}
    steps_seen = 0
    while True:
        outcome = await view_submission(bot.core, tom, submitted(view, answers))
        if outcome.ack["response_action"] != "update":
            break
        view = outcome.ack["view"]
        steps_seen += 1
        assert json.loads(view["private_metadata"])["step"] == steps_seen
        assert len(view["blocks"]) <= 100
    assert steps_seen >= 1 and outcome.ack == {"response_action": "clear"}
    with bot.core.db.transaction() as s:
        (sub,) = s.scalars(select(FormSubmission)).all()
        assert sub.answers == answers
