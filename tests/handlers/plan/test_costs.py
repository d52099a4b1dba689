"""Reading action costs as people write them, and totalling them."""

from __future__ import annotations

import pytest

from handlers.plan.costs import Cost, parse_cost, parse_frequency, total
from handlers.plan.outcomes import smart_gaps


@pytest.mark.parametrize(
    ("text", "often", "expected"),
    [
        ("£40", None, Cost(4000, 0, "once")),
        ("£1,200.50 per term", None, Cost(120050, 0, "termly")),
        ("30 min weekly", None, Cost(0, 30, "weekly")),
        ("30 min x3 weekly", None, Cost(0, 90, "weekly")),
        ("30 min", "3x weekly", Cost(0, 90, "weekly")),
        ("1 hour a week", None, Cost(0, 60, "weekly")),
        ("2h", None, Cost(0, 120, "once")),
        ("£15 and 45 mins monthly", None, Cost(1500, 45, "monthly")),
        ("40 pounds", None, Cost(4000, 0, "once")),
        ("half a day", None, None),
        ("free", None, None),
        (None, None, None),
    ],
)
def test_costs_are_read_from_what_people_write(text: str | None, often: str | None, expected: Cost) -> None:
    assert parse_cost(text, often) == expected


def test_frequency() -> None:
    assert parse_frequency("3x weekly") == parse_frequency("3 times a week")
    assert parse_frequency("twice termly") is not None
    assert parse_frequency("when needed") is None


def test_totals_keep_money_and_time_per_period() -> None:
    t = total([Cost(4000, 0, "once"), Cost(1050, 0, "once"), Cost(0, 90, "weekly"), Cost(0, 60, "weekly")])
    assert t.describe() == "£50.50 one-off, 2 h 30 min weekly"
    assert total([]).describe() == "nothing costed"


def test_smart_gaps() -> None:
    assert len(smart_gaps("Robin is happier", None)) == 2
    assert smart_gaps("Robin reads 3 books by July 2027", None) == []
    assert len(smart_gaps("Robin reads aloud each week", "Reading log")) == 0
