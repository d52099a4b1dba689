"""The words of the plan, review and priority commands."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from handlers.errors import UsageError
from handlers.grammar import commands as c
from handlers.grammar.parser import parse

TODAY = date(2026, 11, 23)


def p(text: str) -> c.Parsed:
    return parse(text, today=TODAY)


def test_outcomes_and_measures() -> None:
    assert p('outcome add "Reads" measure "Log"') == c.OutcomeAdd(None, "Reads", "Log")
    assert p('outcome add "Reads"') == c.OutcomeAdd(None, "Reads", None)
    assert p('outcome measure 2 "Reading log" case TAC-7') == c.OutcomeMeasure("TAC-0007", 2, "Reading log")
    with pytest.raises(UsageError):
        p("outcome measure two “x”")


def test_action_often_and_cost() -> None:
    parsed = p('action add "Phonics" owner <@U1> due 1/12 often 3x weekly cost "30 min" outcome 1')
    assert isinstance(parsed, c.ActionAdd)
    assert parsed.often == "3x weekly" and parsed.cost == "30 min" and parsed.outcome == 1


def test_plan_export() -> None:
    assert p("plan export") == c.PlanExport(None)


def test_review_words() -> None:
    assert p("review") == c.ReviewShow(None)
    assert p("review poll") == c.ReviewShow(None)
    assert p('review on 15/12 at 14:30 where "Room 2"') == c.ReviewOn(
        None, date(2026, 12, 15), time(14, 30), "Room 2"
    )
    assert p("review on in 2 weeks") == c.ReviewOn(None, date(2026, 12, 7), None, None)
    assert p("review poll 15/12 14:30, 16 Dec 09:00,") == c.ReviewPoll(
        None, (datetime(2026, 12, 15, 14, 30), datetime(2026, 12, 16, 9, 0))
    )
    assert p('review pick 2 where "Hall"') == c.ReviewPick(None, 2, "Hall")
    assert p("review cancel") == c.ReviewCancel(None)
    assert p("review record") == c.ReviewRecordForm(None)
    assert p("review record case TAC-0007") == c.ReviewRecordForm("TAC-0007")
    recorded = p(
        'review record attendees <@U1> <@U2|tom> decided “Keep going” changes "none" next 1/3 at 9:15'
    )
    assert recorded == c.ReviewRecord(
        None,
        (c.PersonRef("U1", "U1"), c.PersonRef("U2", "tom")),
        "Keep going",
        "none",
        date(2027, 3, 1),
        time(9, 15),
    )


@pytest.mark.parametrize(
    "text",
    [
        "review poll 15/12",
        "review poll 15/12 14:30, 15/12 14:30",
        "review poll " + ", ".join(f"{d}/12 10:00" for d in range(1, 12)),
        "review record attendees <@U1>",
        "review on 15/12 at teatime",
        "review pick x",
    ],
)
def test_review_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        p(text)


def test_priority_words() -> None:
    assert p('priority add "SALT in Reception"') == c.PriorityAdd(None, "SALT in Reception")
    assert p("priorities") == c.Priorities(None)
    assert p("priority") == c.Priorities(None)
    assert p("priority ask <@U9|priya>") == c.PriorityAsk(None, c.PersonRef("U9", "priya"))
