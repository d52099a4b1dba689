"""Server-side checking of answers, field type by field type, trusting nothing the client sent."""

from __future__ import annotations

import pytest

from handlers.forms.answers import check_answers, display
from handlers.forms.library import DEFAULT_SCALE, YES_NO, Field, Form, Option, Section
from tests.formsamples import resolved, sample_answers

CHOICES = (Option("a", "Apple"), Option("b", "Banana"), Option("c", "Cherry"))
FIELDS = (
    Field("name", "Name", "short_text", required=True, max_length=10),
    Field("story", "Story", "long_text"),
    Field("fruit", "Fruit", "single_choice", options=CHOICES),
    Field("fruits", "Fruits", "multi_choice", options=CHOICES),
    Field("when", "When", "date"),
    Field("pct", "Percent", "number", min=0, max=100),
    Field("count", "Count", "number", integer=True),
    Field("ok", "OK?", "yes_no"),
    Field("mood", "Mood", "scale_1_5", options=DEFAULT_SCALE),
)
FORM = Form("t", "Test", "Test", "tests", "A test form.", (Section("S", "", FIELDS),), "t.yaml")


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "x" * 11, "Keep this to 10 characters at most (it has 11)."),
        ("name", ["x"], "Write your answer as text."),
        ("story", 12, "Write your answer as text."),
        ("story", "y" * 3001, "Keep this to 3000 characters at most (it has 3001)."),
        ("fruit", "d", "Choose one of the options given."),
        ("fruit", {"value": "a"}, "Choose one of the options given."),
        ("fruits", ["a", "z"], "Choose only from the options given."),
        ("fruits", [1], "Choose from the options given."),
        ("when", "15/12/2026", "Enter a date like 2026-12-15."),
        ("when", "2026-02-30", "Enter a date like 2026-12-15."),
        ("when", "1066-10-14", "Enter a date between 1900 and 2100."),
        ("pct", "lots", "Enter a number."),
        ("pct", "nan", "Enter a number."),
        ("pct", True, "Enter a number."),
        ("pct", "101", "Enter 100 or less."),
        ("pct", -1, "Enter 0 or more."),
        ("count", "2.5", "Enter a whole number."),
        ("ok", "maybe", "Answer yes or no."),
        ("mood", "6", "Choose one of the options given."),
        ("mood", 0, "Choose one of the options given."),
    ],
)
def test_each_field_type_refuses_what_it_cannot_take(field: str, value: object, error: str) -> None:
    checked = check_answers(FORM, {"name": "Robin", field: value})
    assert checked.errors == {field: error}
    assert field not in checked.answers


def test_required_answers_and_blank_ones() -> None:
    assert check_answers(FORM, {}).errors == {"name": "Please answer this question."}
    assert check_answers(FORM, {"name": "   "}).errors == {"name": "Please answer this question."}
    assert check_answers(FORM, {}, draft=True).ok


def test_clean_answers_are_normalised_and_unknown_keys_dropped() -> None:
    checked = check_answers(
        FORM,
        {
            "name": "  Robin ",
            "fruits": "c,a",
            "when": "2026-12-15",
            "pct": "42.5",
            "count": "3",
            "ok": "yes",
            "mood": "4",
            "fruit": "b",
            "is_admin": "true",
        },
    )
    assert checked.ok
    assert checked.answers == {
        "name": "Robin",
        "fruit": "b",
        "fruits": ["a", "c"],
        "when": "2026-12-15",
        "pct": 42.5,
        "count": 3,
        "ok": True,
        "mood": 4,
    }
    assert display(FIELDS[2], "b") == "Banana"
    assert display(FIELDS[3], ["a", "c"]) == "Apple, Cherry"
    assert display(FIELDS[4], "2026-12-15") == "Tue 15 Dec 2026"
    assert display(FIELDS[7], False) == "No"
    assert display(FIELDS[8], 4) == "4/5 🙂 Good"
    assert YES_NO[0].value == "yes"


def test_a_draft_keeps_the_valid_answers_only() -> None:
    checked = check_answers(FORM, {"story": "half written", "pct": "lots"}, draft=True)
    assert checked.ok and checked.answers == {"story": "half written"}


def test_every_built_in_form_accepts_its_sample_answers() -> None:
    from handlers.forms.library import builtin_library

    for form in (resolved(form_id) for form_id in builtin_library()):
        checked = check_answers(form, sample_answers(form))
        assert checked.ok, (form.id, checked.errors)
        assert checked.answers == sample_answers(form)
