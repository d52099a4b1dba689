"""Forms on Slack over signed HTTP: Open form -> views.open, submission checked, stored, announced."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
from pathlib import Path
from typing import Any

from sqlalchemy import select

from handlers.forms.library import FormLibrary
from storage.engine import Database
from storage.models import FormSubmission, InputRequest
from tests.bot.console.test_forms import EP
from tests.bot.slack.test_forms import _state
from tests.bot.slack.test_slack_http import open_case
from tests.fakes.blockkit import check_view
from tests.fakes.slack_driver import SlackDriver, buttons_in, press_payload, view_payload

TRIGGER_LIFE = 3.0  # seconds Slack honours a trigger id


async def ep_requested(slack: SlackDriver) -> tuple[str, dict[str, Any]]:
    """A case with Anna (EP) on the team and asked for ep-advice; returns the room and her button."""
    room = await open_case(slack)
    await slack.command("U0SAM", 'consent given by "Mrs Smith" relationship parent scope all', channel=room)
    await slack.command("U0SAM", "invite <@U0ANNA|anna> educational-psychologist", channel=room)
    await slack.command("U0SAM", "request ep-advice from <@U0ANNA|anna>", channel=room)
    return room, form_button(slack, "U0ANNA")


def form_button(slack: SlackDriver, user: str) -> dict[str, Any]:
    """The *Open form* button in ``user``'s DM (the only one)."""
    (button,) = [
        b for b in buttons_in(slack.fake.posts_to(f"D{user}")) if json.loads(b["value"])["a"] == "form.open"
    ]
    return button


async def open_form(slack: SlackDriver, user: str, button: dict[str, Any]) -> dict[str, Any] | None:
    """Press *Open form* in the DM as ``user``; the modal Slack was asked to open, if any."""
    before = len(slack.fake.called("views.open"))
    payload = press_payload(user, button, channel=f"D{user}", response_url=slack.fake.response_url())
    status, _ = await slack.interactive(payload)
    assert status == 200
    opened = slack.fake.called("views.open")[before:]
    if not opened:
        return None
    assert opened[0]["trigger_id"] == payload["trigger_id"]
    view: dict[str, Any] = opened[0]["view"]
    return view


async def submit(
    slack: SlackDriver, user: str, view: dict[str, Any], answers: dict[str, Any]
) -> dict[str, Any]:
    """Fill the modal in as Slack sends it (``view.state.values``) and submit; the ack's body."""
    status, text = await slack.interactive(
        view_payload(user, view, _state(view, answers), kind="view_submission")
    )
    assert status == 200
    return json.loads(text) if text else {}


def submissions(db: Database) -> list[FormSubmission]:
    with db.transaction() as s:
        return list(s.scalars(select(FormSubmission).order_by(FormSubmission.version)).all())


async def test_open_fill_submit_stores_the_answers_and_tells_the_room(
    slack: SlackDriver, db: Database
) -> None:
    room, button = await ep_requested(slack)
    view = await open_form(slack, "U0ANNA", button)
    assert view is not None and view["callback_id"] == "form.submit" and len(view["blocks"]) <= 100
    ack = await submit(slack, "U0ANNA", view, EP)
    assert ack == {"response_action": "clear"}
    (stored,) = submissions(db)
    assert stored.answers == EP and stored.version == 1
    with db.transaction() as s:
        assert s.scalars(select(InputRequest.state)).one() == "submitted"
    summary = slack.fake.texts(slack.fake.posts_to(room)[-1:])
    assert "Educational psychology advice" in summary and "<@U0ANNA>" in summary
    assert "is submitted" in slack.fake.texts(slack.fake.posts_to("DU0ANNA")[-1:])


async def test_a_second_submission_is_a_new_version_and_reopening_shows_it(
    slack: SlackDriver, db: Database
) -> None:
    _, button = await ep_requested(slack)
    view = await open_form(slack, "U0ANNA", button)
    assert view is not None
    await submit(slack, "U0ANNA", view, EP)
    again = await open_form(slack, "U0ANNA", button)
    assert again is not None and "version 1" in json.dumps(again)
    await submit(slack, "U0ANNA", again, {**EP, "strengths": "Persistent and funny."})
    assert [(s.version, s.answers["strengths"]) for s in submissions(db)] == [
        (1, EP["strengths"]),
        (2, "Persistent and funny."),
    ]


async def test_missing_and_overlong_answers_come_back_under_their_fields(
    slack: SlackDriver, db: Database
) -> None:
    _, button = await ep_requested(slack)
    view = await open_form(slack, "U0ANNA", button)
    assert view is not None
    ack = await submit(slack, "U0ANNA", view, {**EP, "outcomes": None, "strengths": "x" * 20000})
    assert ack["response_action"] == "errors" and set(ack["errors"]) == {"outcomes", "strengths"}
    assert "view" not in ack  # Slack keeps the modal, and what they typed, as it is
    assert submissions(db) == []
    posted = len(slack.fake.calls)
    await slack.background.drain()
    assert len(slack.fake.calls) == posted  # nothing announced


async def test_someone_not_asked_is_refused_and_nothing_opens(slack: SlackDriver, db: Database) -> None:
    room, button = await ep_requested(slack)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room)
    assert await open_form(slack, "U0TOM", button) is None
    refusal = slack.fake.responses[-1]
    assert refusal["response_type"] == "ephemeral" and "not sent to you" in json.dumps(refusal)
    assert "Robin" not in json.dumps(refusal)
    assert await open_form(slack, "U0SAM", button) is not None  # the key worker may
    view = await open_form(slack, "U0ANNA", button)
    assert view is not None
    ack = await submit(slack, "U0TOM", view, EP)  # a submission forged for someone else's form
    assert ack == {} and submissions(db) == []
    assert "not sent to you" in slack.fake.texts(slack.fake.posts_to("DU0TOM"))


async def test_save_draft_keeps_what_was_typed_and_reopening_fills_it_in(slack: SlackDriver) -> None:
    _, button = await ep_requested(slack)
    view = await open_form(slack, "U0ANNA", button)
    assert view is not None
    typed = {"strengths": "Kind & persistent", "involvement": "One visit so far."}
    status, _ = await slack.interactive(
        view_payload("U0ANNA", view, _state(view, typed), kind="block_actions")
    )
    assert status == 200
    (update,) = slack.fake.called("views.update")
    assert update["view_id"] == "V0FORM" and "your draft" in json.dumps(update["view"])
    again = await open_form(slack, "U0ANNA", button)
    assert again is not None
    filled = {
        b["block_id"]: b["element"].get("initial_value") for b in again["blocks"] if b["type"] == "input"
    }
    assert filled["strengths"] == "Kind & persistent" and filled["involvement"] == "One visit so far."
    assert filled["outcomes"] is None


async def test_an_expired_trigger_asks_to_press_again(slack: SlackDriver) -> None:
    _, button = await ep_requested(slack)
    slack.fake.fail_next["views.open"] = ["expired_trigger_id"]
    assert await open_form(slack, "U0ANNA", button) is None
    assert "press Open form again" in json.dumps(slack.fake.responses[-1])


async def test_a_long_school_form_goes_step_by_step_over_http(
    slack: SlackDriver, db: Database, tmp_path: Path
) -> None:
    def question(s: int, i: int) -> str:
        return f"      - {{id: q{s}_{i}, label: Question {i}, type: short_text, required: {i == 0}}}\n"

    sections = "".join(
        f"  - title: Part {s}\n    fields:\n" + "".join(question(s, i) for i in range(30)) for s in range(5)
    )
    (tmp_path / "long-form.yaml").write_text(
        "id: long-form\ntitle: A long school form\nfor: Anyone\nintroduction: A long form.\n"
        f"sections:\n{sections.replace('True', 'true').replace('False', 'false')}",
        "utf-8",
    )
    slack.core.forms = FormLibrary.load(tmp_path)
    room = await open_case(slack)
    await slack.command("U0SAM", 'consent given by "Mrs Smith" relationship parent scope all', channel=room)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room)
    await slack.command("U0SAM", "request long-form from <@U0TOM|tom>", channel=room)
    view = await open_form(slack, "U0TOM", form_button(slack, "U0TOM"))
    assert view is not None and view["submit"]["text"] == "Next"
    answers = {f"q{s}_{i}": f"answer {s}.{i}" for s in range(5) for i in range(30)}
    steps = 0
    while True:
        ack = await submit(slack, "U0TOM", view, answers)
        if ack.get("response_action") != "update":
            break
        view, steps = ack["view"], steps + 1
        assert check_view(view) == [] and json.loads(view["private_metadata"])["step"] == steps
    assert steps >= 1 and ack == {"response_action": "clear"}
    (stored,) = submissions(db)
    assert stored.answers == answers


async def test_the_form_opens_at_once_even_while_other_work_queues(slack: SlackDriver) -> None:
    _, button = await ep_requested(slack)
    gate = asyncio.Event()

    async def slow() -> None:
        await gate.wait()

    for _ in range(4):  # more than the background's slots: a queued press would wait for these
        slack.background.spawn(slow(), name="slow work")
    payload = press_payload("U0ANNA", button, channel="DU0ANNA", response_url=slack.fake.response_url())
    started = time.monotonic()
    status, _ = await slack.post(
        urllib.parse.urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )
    assert status == 200
    await asyncio.wait_for(slack.fake.answered("views.open").wait(), TRIGGER_LIFE)
    took = time.monotonic() - started
    gate.set()
    await slack.background.drain()
    assert slack.fake.called("views.open") and took < TRIGGER_LIFE / 3, took
