"""The words of the corrections (issue 10): alias, outcome/action edit and remove, reopen, handover,
`confirm` at the end; and times as teachers write them (3pm, 3.30pm, 15.30)."""

from __future__ import annotations

from datetime import date, time

import pytest

from handlers.confirm import split_confirm
from handlers.errors import BadDate, UsageError
from handlers.grammar import commands as c
from handlers.grammar.dates import parse_time
from handlers.grammar.parser import parse

TODAY = date(2026, 11, 23)
TOM = c.PersonRef("U9", "tom")


def p(text: str) -> c.Parsed:
    return parse(text, today=TODAY)


def test_corrections() -> None:
    assert p("alias Robin T") == c.AliasChange(None, "Robin T")
    assert p('alias "Robin T" case TAC-7') == c.AliasChange("TAC-0007", "Robin T")
    assert p('outcome edit 2 "Reads aloud"') == c.OutcomeEdit(None, 2, "Reads aloud")
    assert p("outcome remove 2") == c.OutcomeRemove(None, 2)
    assert p("action remove 3") == c.ActionRemove(None, 3)
    assert p('action edit 3 what "Phonics" owner <@U9|tom> due 1/12 where "Library" often 3x weekly') == (
        c.ActionEdit(
            None, 3, what="Phonics", owner=TOM, due=date(2026, 12, 1), where="Library", often="3x weekly"
        )
    )
    assert p("action edit 3 cost £40 outcome 1") == c.ActionEdit(None, 3, cost="£40", outcome=1)
    assert p("reopen case TAC-7") == c.Reopen("TAC-0007")
    assert p("handover <@U9|tom>") == c.Handover(None, TOM)
    assert p("open Robin Taylor year 4") == c.Open(None, "Robin Taylor", "4", "sen-support")
    for bad in ("action edit 3", "outcome edit 2", "handover tom", "alias", 'outcome edit x "y"'):
        with pytest.raises(UsageError):
            p(bad)


def test_confirm_at_the_end_outside_quotes() -> None:
    assert split_confirm('close reason "x" confirm') == ('close reason "x"', True)
    assert split_confirm("review on 17/10 CONFIRM ") == ("review on 17/10", True)
    assert split_confirm('close reason "please confirm"') == ('close reason "please confirm"', False)
    assert split_confirm("close") == ("close", False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", time(14, 30)),
        ("15.30", time(15, 30)),
        ("3pm", time(15, 0)),
        ("3.30pm", time(15, 30)),
        ("3:30PM", time(15, 30)),
        ("11am", time(11, 0)),
        ("12pm", time(12, 0)),
        ("12.15am", time(0, 15)),
        ("9.15a.m.", time(9, 15)),
    ],
)
def test_times_as_teachers_write_them(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["13pm", "3.75pm", "25:00", "3", "noonish"])
def test_times_that_are_not(text: str) -> None:
    with pytest.raises(BadDate):
        parse_time(text)


def test_review_times_in_commands() -> None:
    assert p("review on 15/12 at 3pm") == c.ReviewOn(None, date(2026, 12, 15), time(15, 0), None)
    assert p("review on 15/12 at 3.30 pm where “Hall”") == c.ReviewOn(
        None, date(2026, 12, 15), time(15, 30), "Hall"
    )
    parsed = p("review poll 15/12 3pm, 16/12 9.15am")
    assert isinstance(parsed, c.ReviewPoll) and [s.time() for s in parsed.slots] == [time(15), time(9, 15)]
    record = p('review record decided "x" next 15/1 at 3.30pm')
    assert isinstance(record, c.ReviewRecord) and record.next_at == time(15, 30)


def test_a_bare_review_record_is_known_without_parsing() -> None:
    from handlers.dispatch import opens_form_at_once

    for text in (
        "review record",
        "/tac Review Record case TAC-7",
        "review record confirm",
        "tac review record",
    ):
        assert opens_form_at_once(text), text
    for text in ('review record decided "x"', "review", "record review", "status"):
        assert not opens_form_at_once(text), text
