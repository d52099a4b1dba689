"""The `review-record` form through the Slack modal and the Teams card flows: validated, stored, and the
meeting recorded only after the edge's acknowledgement (the minutes follow via ``api.announce``)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.console.forms import form_request_ids
from bot.console.session import ConsoleBot
from bot.slack.form_flow import open_view, view_submission
from bot.teams.form_flow import card_submission, open_card
from handlers.clock import ManualClock
from handlers.forms import api
from storage.models import Review
from tests.bot.console.test_review_record_form import LONDON, _team_ids
from tests.bot.console.test_reviews import team
from tests.bot.slack.test_form_flow import submitted
from tests.bot.teams.test_forms import _as_teams_sends, _validator

pytestmark = pytest.mark.asyncio


async def _asked(bot: ConsoleBot, clock: ManualClock) -> tuple[str, str]:
    room = await team(bot)
    await bot.exec("sam", "/tac review on 20/10/2026 at 14:30", room=room)
    clock.set(datetime(2026, 10, 20, 15, 30, tzinfo=LONDON))
    await bot.exec("sam", "/tac review record", room=room)
    return room, form_request_ids([bot.replies[-1][1]])[0]


def _statuses(bot: ConsoleBot) -> list[str]:
    with bot.core.db.transaction() as s:
        return [r.status for r in s.query(Review).order_by(Review.number)]


async def test_the_slack_modal_records_the_meeting_after_the_ack(bot: ConsoleBot, clock: ManualClock) -> None:
    room, rid = await _asked(bot, clock)
    sam = bot.actor("sam")
    view = open_view(bot.core, sam, rid)
    assert view["type"] == "modal" and len(view["blocks"]) <= 100
    came = list(_team_ids(bot, rid).values())[:2]
    answers = {"attendees": came, "decided": "Carry on", "next_date": "2026-12-15", "next_time": "9.75"}
    outcome = await view_submission(bot.core, sam, submitted(view, answers))
    assert outcome.ack["response_action"] == "errors" and "next_time" in outcome.ack["errors"]
    answers["next_time"] = "9.15am"
    posted = len(bot.sent_to(room=room))
    outcome = await view_submission(bot.core, sam, submitted(view, answers))
    assert outcome.ack == {"response_action": "clear"} and outcome.post is not None
    assert len(bot.sent_to(room=room)) == posted  # nothing sent before the ack
    assert _statuses(bot) == ["held", "scheduled"]  # but recorded, in the submission's transaction
    await api.announce(bot.core, outcome.post)
    minutes = next(d.text for d in bot.sent_to(room=room) if "Decided" in d.text)
    assert "Next review: Tue 15 Dec 2026 at 09:15" in minutes


async def test_the_teams_card_is_valid_and_records_the_meeting(bot: ConsoleBot, clock: ManualClock) -> None:
    room, rid = await _asked(bot, clock)
    sam = bot.actor("sam")
    card = open_card(bot.core, sam, rid)
    _validator().validate(card)
    answers = {
        "attendees": list(_team_ids(bot, rid).values()),
        "decided": "Carry on",
        "next_date": "2026-09-01",
    }
    outcome = await card_submission(bot.core, sam, _as_teams_sends(card, answers))
    assert outcome.card is not None and outcome.reply is None and _statuses(bot) == ["scheduled"]
    answers["next_date"] = "2026-12-15"
    outcome = await card_submission(bot.core, sam, _as_teams_sends(card, answers))
    assert outcome.reply is not None and outcome.post is not None
    await api.announce(bot.core, outcome.post)
    minutes = next(d.text for d in bot.sent_to(room=room) if "Decided" in d.text)
    assert "Decided: Carry on" in minutes and "Tue 15 Dec 2026 at 14:30" in minutes
