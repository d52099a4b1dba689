"""The words of the forms commands: `forms`, `request`, `inputs`, `input <n>`."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.errors import UsageError
from handlers.grammar import commands as c
from handlers.grammar.parser import parse

TODAY = date(2026, 11, 23)


def p(text: str) -> c.Parsed:
    return parse(text, today=TODAY)


def test_request_from_a_person_with_a_due_date() -> None:
    assert p("request EP-Advice from <@U1|anna> due 15/12 case TAC-7") == c.RequestForm(
        "TAC-0007", "ep-advice", c.PersonRef("U1", "anna"), date(2026, 12, 15)
    )


def test_request_from_the_team_without_a_date() -> None:
    assert p("request preparation from team") == c.RequestForm(None, "preparation", None, None)
    assert p("request pupil-voice from team due in 3 weeks") == c.RequestForm(
        None, "pupil-voice", None, date(2026, 12, 14)
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("request", "`request` needs a form"),
        ("request ep-advice", "Say who from"),
        ("request ep-advice to <@U1>", "Say who from"),
        ("request ep-advice from anna", "`anna` is not a person"),
        ("request ep-advice from <@U1> due", "`request` needs a date"),
        ("request ep-advice from <@U1> soon", "I don't understand `soon`"),
    ],
)
def test_request_usage_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as info:
        p(text)
    assert info.value.command == "request"


def test_forms_inputs_and_input() -> None:
    assert p("forms") == c.FormsList(None)
    assert p("inputs case TAC-0001") == c.InputsList("TAC-0001")
    assert p("input") == c.InputsList(None)
    assert p("input 3") == c.InputShow(None, 3)
    with pytest.raises(UsageError, match="is not an input number"):
        p("input three")
