"""Forms as Slack modals: within Block Kit's limits, split into steps when long, and a round trip."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.slack.forms import (
    MAX_BLOCKS,
    answers_from_state,
    errors_response,
    metadata,
    modal,
    step_of,
    steps,
)
from handlers.forms.answers import check_answers
from handlers.forms.library import Field, Form, Section, builtin_library
from tests.formsamples import resolved, sample_answers, view_of

FORMS = sorted(builtin_library())


def _texts(node: Any) -> list[dict[str, Any]]:
    """Every text object anywhere in the view."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") in ("plain_text", "mrkdwn") and "text" in node:
            found.append(node)
        for v in node.values():
            found += _texts(v)
    elif isinstance(node, list):
        for v in node:
            found += _texts(v)
    return found


def check_limits(view: dict[str, Any]) -> None:
    assert view["type"] == "modal" and view["callback_id"] == "form.submit"
    assert len(view["blocks"]) <= MAX_BLOCKS
    assert len(view["title"]["text"]) <= 24 and len(view["submit"]["text"]) <= 24
    assert len(view["private_metadata"]) <= 3000
    block_ids = [b["block_id"] for b in view["blocks"] if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    for b in view["blocks"]:
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= 150
        if b["type"] == "input":
            assert len(b["label"]["text"]) <= 2000 and len(b["block_id"]) <= 255
            el = b["element"]
            assert len(el["action_id"]) <= 255
            if el["type"] in ("radio_buttons", "checkboxes"):
                assert len(el["options"]) <= 10
            if "options" in el:
                assert len(el["options"]) <= 100
                assert all(len(o["text"]["text"]) <= 75 and len(o["value"]) <= 150 for o in el["options"])
            if el["type"] == "plain_text_input":
                assert el["max_length"] <= 3000
    assert all(t["type"] == "plain_text" for t in _texts(view)), "only plain text: nothing can ping or link"


@pytest.mark.parametrize("form_id", FORMS)
def test_every_form_renders_to_a_modal_within_slacks_limits(form_id: str) -> None:
    form = resolved(form_id)
    for step in range(len(steps(form))):
        check_limits(modal(view_of(form, sample_answers(form)), step=step))


def _state(view: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """``view.state.values`` as Slack sends it when a person has filled the modal in."""
    values: dict[str, Any] = {}
    for b in view["blocks"]:
        if b["type"] != "input":
            continue
        el, fid = b["element"], b["block_id"]
        a = answers.get(fid)
        if isinstance(a, bool):
            a = "yes" if a else "no"
        options = {o["value"]: o for o in el.get("options", [])}
        kind = el["type"]
        if kind == "plain_text_input":
            state = {"type": kind, "value": a}
        elif kind in ("number_input",):
            state = {"type": kind, "value": None if a is None else str(a)}
        elif kind == "datepicker":
            state = {"type": kind, "selected_date": a}
        elif kind in ("checkboxes", "multi_static_select"):
            state = {"type": kind, "selected_options": [options[v] for v in a or []]}
        else:
            state = {"type": kind, "selected_option": options[str(a)] if a is not None else None}
        values[fid] = {el["action_id"]: state}
    return values


@pytest.mark.parametrize("form_id", FORMS)
def test_round_trip_render_fill_parse_gives_the_same_answers(form_id: str) -> None:
    form = resolved(form_id)
    answers = sample_answers(form)
    raw: dict[str, object] = {}
    for step in range(len(steps(form))):
        view = modal(view_of(form), step=step)
        request_id, at = metadata(view)
        assert (request_id, at) == ("42", step)
        raw |= answers_from_state(_state(view, answers))
    checked = check_answers(form, raw)
    assert checked.ok and checked.answers == answers


def test_saved_answers_are_filled_back_in() -> None:
    form = builtin_library()["pupil-voice"]
    answers = sample_answers(form)
    view = modal(view_of(form, answers))
    by_id = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert by_id["admire"]["initial_value"] == answers["admire"]
    assert by_id["feel_school"]["initial_option"]["value"] == "4"
    assert "🙂" in by_id["feel_school"]["initial_option"]["text"]["text"]
    assert [o["value"] for o in by_id["methods"]["initial_options"]] == answers["methods"]
    assert by_id["gathered_on"]["initial_date"] == "2026-12-15"
    assert by_id["admire"]["multiline"] is True and by_id["helped_by"].get("multiline") is False


def test_a_long_form_is_split_into_steps_each_within_a_modal() -> None:
    sections = tuple(
        Section(
            f"Part {s}", "help", tuple(Field(f"q{s}_{i}", f"Question {i}", "short_text") for i in range(45))
        )
        for s in range(4)
    )
    form = Form("long", "A very long form indeed", "Long form", "x", "A long form.", sections, "long.yaml")
    pages = steps(form)
    assert len(pages) > 1
    seen = [f.id for page in pages for _, fields in page for f in fields]
    assert seen == [f.id for f in form.fields]
    for n in range(len(pages)):
        view = modal(view_of(form), step=n)
        check_limits(view)
        assert view["submit"]["text"] == ("Submit" if n == len(pages) - 1 else "Next")
        assert json.loads(view["private_metadata"]) == {"request": "42", "step": n}
    assert step_of(form, ["q3_44"]) == len(pages) - 1 and step_of(form, ["q0_0", "q3_44"]) == 0


def test_errors_go_back_per_field() -> None:
    form = builtin_library()["ep-advice"]
    view = modal(view_of(form))
    checked = check_answers(form, answers_from_state(_state(view, {"involvement": "x" * 1501})))
    body = errors_response(checked.errors, view=view)
    assert body["response_action"] == "errors"
    assert body["errors"]["involvement"] == "Keep this to 1500 characters at most (it has 1501)."
    assert body["errors"]["strengths"] == "Please answer this question."
    assert "background" not in body["errors"]


def test_the_review_record_form_for_a_large_team_fits_slacks_limits() -> None:
    """Its "Who came" options are the team, filled in when opened: a multi-select past 10 people."""
    for size in (1, 10, 11, 500):
        form = resolved("review-record", team=size)
        for step in range(len(steps(form))):
            check_limits(modal(view_of(form, sample_answers(form)), step=step))


def test_the_private_pupil_details_modal_offers_no_draft() -> None:
    import dataclasses

    form = builtin_library()["pupil-details"]
    view = modal(dataclasses.replace(view_of(form), drafts=False), step=0)
    check_limits(view)
    assert "Save draft" not in json.dumps(view)
    assert {"full_name", "date_of_birth", "upn"} <= {b.get("block_id") for b in view["blocks"]}
