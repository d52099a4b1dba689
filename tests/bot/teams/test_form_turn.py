"""Forms on Teams end to end over /api/messages: request, Open form, errors on the card, draft, submit."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from handlers.forms.library import builtin_library
from storage.models import FormSubmission, InputRequest
from tests.bot.teams.cardcheck import assert_valid_card
from tests.bot.teams.conftest import TeamsHarness
from tests.bot.teams.fakes import PEOPLE, Sent, card_text, submit
from tests.bot.teams.fixtures import recorded
from tests.bot.teams.test_forms import _as_teams_sends, _inputs
from tests.formsamples import sample_answers

pytestmark = pytest.mark.asyncio

EP = builtin_library()["ep-advice"]


async def _requested(teams: TeamsHarness) -> tuple[str, Sent]:
    """Robin's case with Anna on the team; `request ep-advice from @anna` typed in the case channel."""
    await teams.say("anna", "help")  # Anna's 1:1 chat with the bot is known
    await teams.say("sam", "open Robin")
    assert teams.graph is not None
    room = next(iter(teams.graph.channels))
    await teams.say("sam", 'consent given by "Jo Taylor" scope all', room=room)
    await teams.say("sam", "invite @anna educational-psychologist", room=room)
    reply = await teams.say("sam", "request ep-advice from @anna due 15/12", room=room)
    assert "Educational psychology advice" in reply or "EP" in reply, reply
    dm = teams.connector.to("a:1annaPersonalChat")[-1]
    assert "You are asked for" in dm.text and "TAC-0001 (Robin)" in dm.text
    assert_valid_card(dm.activity["attachments"][0]["content"])
    return room, dm


def _buttons(sent: Sent) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit":
                found[node["title"]] = node["data"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(sent.activity["attachments"][0]["content"])
    return found


async def _press(teams: TeamsHarness, who: str, data: dict[str, Any], *, on: Sent | None) -> list[Sent]:
    """Press a card's Action.Submit in the 1:1 chat; return what the connector received for it."""
    activity = submit(who, data, service_url=teams.connector.url)
    activity["id"] = str(next(teams.ids))
    activity["replyToId"] = on.id if on is not None else "1789376199999"
    before = len(teams.connector.sent)
    assert await teams.post(activity) in (200, 201)
    return teams.connector.sent[before:]


def _card(sent: Sent) -> dict[str, Any]:
    content: dict[str, Any] = sent.activity["attachments"][0]["content"]
    assert_valid_card(content)
    return content


async def _open(teams: TeamsHarness, dm: Sent) -> Sent:
    [shown] = await _press(teams, "anna", _buttons(dm)["Open form"], on=dm)
    assert not shown.updated and "Educational" in shown.text
    assert set(_inputs(_card(shown))) == {f.id for f in EP.fields}
    return shown


def _request_state(teams: TeamsHarness) -> tuple[str, int]:
    with teams.core.db.transaction() as s:
        request = s.scalars(select(InputRequest)).one()
        versions = len(list(s.scalars(select(FormSubmission))))
        return request.state, versions


async def test_request_open_invalid_then_valid_submission_over_http(teams: TeamsHarness) -> None:
    room, dm = await _requested(teams)
    shown = await _open(teams, dm)
    form_card = _card(shown)
    answers: dict[str, Any] = dict(sample_answers(EP))
    required = next(f for f in EP.fields if f.required and f.type in ("short_text", "long_text"))
    kept = next(f for f in EP.fields if f.type == "long_text" and f.id != required.id)
    answers[required.id] = None
    [again] = await _press(teams, "anna", _as_teams_sends(form_card, answers), on=shown)
    assert again.updated and again.id == shown.id  # the same card, shown back in place
    errors_card = _card(again)
    assert "Some answers need another look" in again.text and "Please answer this question." in again.text
    assert _inputs(errors_card)[kept.id]["value"] == answers[kept.id]
    assert _request_state(teams) == ("open", 0)

    answers[required.id] = "Robin reads well with support."
    posted = await _press(teams, "anna", _as_teams_sends(errors_card, answers), on=again)
    confirmation = next(s for s in posted if s.updated)
    assert confirmation.id == shown.id and "is submitted" in confirmation.text
    assert "Input." not in str(_card(confirmation))  # the form is replaced: nothing left to press
    assert _request_state(teams) == ("submitted", 1)
    summary = teams.room_posts(room)[-1]
    assert "from <at>Anna Evans</at>" in summary.text and "input 1" in summary.text
    assert_valid_card(summary.activity["attachments"][0]["content"])


async def test_save_draft_then_the_form_reopens_with_it(teams: TeamsHarness) -> None:
    _, dm = await _requested(teams)
    shown = await _open(teams, dm)
    field = next(f for f in EP.fields if f.type == "long_text")
    data = _as_teams_sends(_card(shown), {field.id: "Half written <at>Sam</at> https://x.example"}, action=1)
    [saved] = await _press(teams, "anna", data, on=shown)
    assert not saved.updated and "Draft saved" in saved.text
    reopened = await _open(teams, dm)
    assert _inputs(_card(reopened))[field.id]["value"] == "Half written <at>Sam</at> https://x.example"
    assert "your draft" in reopened.text
    assert _request_state(teams) == ("open", 0)


async def test_someone_not_asked_gets_a_polite_refusal_and_no_form(teams: TeamsHarness) -> None:
    _, dm = await _requested(teams)
    for who in ("dan", "tom"):
        [refusal] = await _press(teams, who, _buttons(dm)["Open form"], on=None)
        assert "this form was not sent to you" in refusal.text
        assert "Input." not in str(_card(refusal))
    forged = {"action": "form.submit", "request": _buttons(dm)["Open form"]["value"], "background": "x"}
    [refusal] = await _press(teams, "dan", forged, on=None)
    assert "not sent to you" in refusal.text and _request_state(teams) == ("open", 0)


async def test_a_card_too_old_to_edit_comes_back_as_a_new_message(teams: TeamsHarness) -> None:
    _, dm = await _requested(teams)
    shown = await _open(teams, dm)
    data = _as_teams_sends(_card(shown), {})
    [again] = await _press(teams, "anna", data, on=None)  # the pressed card's id is unknown
    assert not again.updated and "Some answers need another look" in again.text


async def test_action_execute_on_a_form_answers_with_the_card(teams: TeamsHarness) -> None:
    _, dm = await _requested(teams)
    activity = recorded("card_execute_invoke")
    person = PEOPLE["anna"]
    activity["from"] = {"id": person.id, "name": person.name, "aadObjectId": person.aad}
    activity.update(serviceUrl=teams.connector.url)
    activity["value"]["action"]["data"] = _buttons(dm)["Open form"]
    response = await teams.client.post("/api/messages", json=activity)
    body = await response.json()
    assert response.status == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert_valid_card(body["value"])
    assert set(_inputs(body["value"])) == {f.id for f in EP.fields}
    assert "Educational" in card_text({"attachments": [{"content": body["value"]}]})
