"""Forms as Adaptive Cards 1.5: valid against the published schema, a round trip, errors on the card."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema
import pytest

from bot.teams.forms import card, from_submit
from handlers.forms.answers import check_answers
from handlers.forms.library import builtin_library
from tests.conftest import spec
from tests.formsamples import resolved, sample_answers, view_of

FORMS = sorted(builtin_library())


@cache
def _validator() -> jsonschema.Draft6Validator:
    schema = json.loads(spec("adaptive-card-1.5.json").read_text("utf-8"))
    assert schema["$schema"].startswith("http://json-schema.org/draft-06/")
    return jsonschema.Draft6Validator(schema)


def _inputs(c: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in c["body"] if e["type"].startswith("Input.")}


@pytest.mark.parametrize("form_id", FORMS)
def test_every_form_renders_to_a_valid_adaptive_card(form_id: str) -> None:
    form = resolved(form_id)
    for answers in ({}, sample_answers(form)):
        c = card(view_of(form, answers))
        errors = sorted(_validator().iter_errors(c), key=str)
        assert errors == [], errors[0].message if errors else ""
        assert c["version"] == "1.5"
        assert set(_inputs(c)) == {f.id for f in form.fields}
        assert c["actions"][0]["data"] == {"action": "form.submit", "request": "42"}


def _as_teams_sends(c: dict[str, Any], answers: dict[str, Any], action: int = 0) -> dict[str, Any]:
    """The Action.Submit data with every input's value, as strings, the way Teams posts it."""
    data = dict(c["actions"][action]["data"])
    for fid, el in _inputs(c).items():
        a = answers.get(fid)
        if el["type"] == "Input.Toggle":
            data[fid] = el["valueOn"] if a else el["valueOff"]
        elif a is None:
            data[fid] = ""
        elif isinstance(a, list):
            data[fid] = ",".join(a)
        else:
            data[fid] = str(a)
    return data


@pytest.mark.parametrize("form_id", FORMS)
def test_round_trip_render_fill_parse_gives_the_same_answers(form_id: str) -> None:
    form = resolved(form_id)
    answers = sample_answers(form)
    action, request_id, raw = from_submit(_as_teams_sends(card(view_of(form)), answers))
    assert (action, request_id) == ("form.submit", "42")
    checked = check_answers(form, raw)
    assert checked.ok and checked.answers == answers


def test_errors_are_shown_on_the_card_with_the_answers_kept() -> None:
    form = builtin_library()["teacher-input"]
    view = view_of(form)
    raw = from_submit(_as_teams_sends(card(view), {"attendance": "120", "strengths": "Kind"}))[2]
    checked = check_answers(form, raw)
    assert checked.errors["attendance"] == "Enter 100 or less."
    c = card(view, answers={**checked.answers, "attendance": 120}, errors=checked.errors)
    assert _validator().is_valid(c)
    texts = [e.get("text") for e in c["body"] if e["type"] == "TextBlock" and e.get("color") == "Attention"]
    assert "Enter 100 or less." in texts and "Please answer this question." in texts
    assert _inputs(c)["strengths"]["value"] == "Kind"
    assert _inputs(c)["attendance"]["value"] == 120


def test_save_draft_is_its_own_action() -> None:
    form = builtin_library()["parent-views"]
    data = _as_teams_sends(card(view_of(form)), {"about": "Loves trains"}, action=1)
    action, request_id, raw = from_submit(data)
    assert (action, request_id, raw["about"]) == ("form.draft", "42", "Loves trains")


def test_the_private_pupil_details_card_offers_no_draft() -> None:
    import dataclasses

    form = builtin_library()["pupil-details"]
    c = card(dataclasses.replace(view_of(form), drafts=False))
    assert set(_inputs(c)) == {"full_name", "date_of_birth", "upn"}
    assert [a["title"] for a in c["actions"]] == ["Submit"]
    assert sorted(_validator().iter_errors(c), key=str) == []
