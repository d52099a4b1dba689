"""Chasers on Slack: delivered by DM, answered with their buttons over signed HTTP; 429s lose nothing."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from storage.engine import Database
from storage.models import Action, Reminder
from tests.bot.slack.test_slack_http import open_case
from tests.fakes.slack_driver import SlackDriver, buttons_in, press_payload, view_payload
from tests.handlers.chasing.helpers import at


async def chased(slack: SlackDriver, clock: ManualClock) -> dict[str, dict[str, Any]]:
    """Tom owns action 1, due Mon 28 Sep; the chaser goes out that morning. Its buttons by label."""
    room = await open_case(slack)
    await slack.command("U0SAM", 'consent given by "Mrs Smith" relationship parent scope all', channel=room)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room)
    await slack.command("U0SAM", 'action add "Phonics group" owner <@U0TOM|tom> due 2026-09-28', channel=room)
    clock.set(at(2026, 9, 28, 9))
    stats = await run_due(slack.core, now=clock.now())
    assert stats.sent == 1
    dm = slack.fake.posts_to("DU0TOM")[-1]
    assert "Reminder: TAC-0001" in slack.fake.texts([dm])
    # The message names its action; Slack's `text` (the notification) names the reference and kind only.
    assert "Phonics group" in json.dumps(dm["blocks"])
    assert dm["text"] == "TAC-0001: Action 1 is due today (Mon 28 Sep)."
    return {b["text"]["text"]: b for b in buttons_in([dm])}


def action(db: Database) -> Action:
    with db.transaction() as s:
        found = s.scalars(select(Action)).one()
        s.expunge(found)
        return found


async def press(slack: SlackDriver, user: str, button: dict[str, Any]) -> None:
    payload = press_payload(user, button, channel=f"D{user}", response_url=slack.fake.response_url())
    status, _ = await slack.interactive(payload)
    assert status == 200


async def test_the_chaser_has_its_three_buttons_and_done_marks_the_action_done(
    slack: SlackDriver, clock: ManualClock, db: Database
) -> None:
    buttons = await chased(slack, clock)
    assert set(buttons) == {"Done", "Need more time", "Blocked"}
    await press(slack, "U0TOM", buttons["Done"])
    assert "is done" in json.dumps(slack.fake.responses[-1])
    assert action(db).status == "done"


async def test_need_more_time_asks_for_a_date_and_moves_the_action(
    slack: SlackDriver, clock: ManualClock, db: Database
) -> None:
    buttons = await chased(slack, clock)
    await press(slack, "U0TOM", buttons["Need more time"])
    (opened,) = slack.fake.called("views.open")
    view = opened["view"]
    assert view["blocks"][0]["element"]["type"] == "datepicker"
    values = {"prompt": {"value": {"type": "datepicker", "selected_date": "2026-10-09"}}}
    status, _ = await slack.interactive(view_payload("U0TOM", view, values, kind="view_submission"))
    assert status == 200
    assert "now due Fri 09 Oct 2026" in json.dumps(slack.fake.responses[-1])
    moved = action(db)
    assert moved.due.isoformat() == "2026-10-09" and moved.status == "open"


async def test_a_rate_limit_outlasting_the_retries_puts_the_chaser_back_not_lost(
    slack: SlackDriver, clock: ManualClock, db: Database, slept: list[float]
) -> None:
    room = await open_case(slack)
    await slack.command("U0SAM", 'consent given by "Mrs Smith" relationship parent scope all', channel=room)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room)
    await slack.command("U0SAM", 'action add "Phonics group" owner <@U0TOM|tom> due 2026-09-28', channel=room)
    waited: list[float] = []

    async def wait(seconds: float) -> None:
        waited.append(seconds)

    before = len(slack.fake.posts_to("DU0TOM"))  # the welcome to the team
    slack.fake.rate_limited = 10_000
    slack.fake.retry_after = "5"
    clock.set(at(2026, 9, 28, 9))
    stats = await run_due(slack.core, now=clock.now(), sleep=wait)
    assert stats.sent == 0 and stats.rate_limited >= 1 and all(w == 5.0 for w in waited)
    assert slept and all(5.0 <= s < 5.2 for s in slept)  # Slack's own retry handler waited first
    assert len(slack.fake.posts_to("DU0TOM")) == before
    with db.transaction() as s:
        (row,) = s.scalars(select(Reminder).where(Reminder.step == "due")).all()
        assert row.state == "pending"
    slack.fake.rate_limited = 0
    clock.set(at(2026, 9, 28, 9, 5))
    assert (await run_due(slack.core, now=clock.now(), sleep=wait)).sent == 1
    (chaser,) = slack.fake.posts_to("DU0TOM")[before:]
    assert "Reminder: TAC-0001" in slack.fake.texts([chaser])


async def test_blocked_asks_why_and_tells_the_key_worker(
    slack: SlackDriver, clock: ManualClock, db: Database
) -> None:
    buttons = await chased(slack, clock)
    await press(slack, "U0TOM", buttons["Blocked"])
    (opened,) = slack.fake.called("views.open")
    assert opened["view"]["blocks"][0]["element"]["type"] == "plain_text_input"
    values = {"prompt": {"value": {"type": "plain_text_input", "value": "No room free <!channel>"}}}
    status, _ = await slack.interactive(view_payload("U0TOM", opened["view"], values, kind="view_submission"))
    assert status == 200 and "told the key worker" in json.dumps(slack.fake.responses[-1])
    note = slack.fake.texts(slack.fake.posts_to("DU0SAM")[-1:])
    assert "Blocked: TAC-0001" in note and "No room free &lt;!channel&gt;" in note
    assert "Action 1*: Phonics group" in note and "Phonics" not in slack.fake.posts_to("DU0SAM")[-1]["text"]
