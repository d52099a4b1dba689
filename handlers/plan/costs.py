"""Costs of actions as people write them ("£40", "30 min weekly", "1 hour x3 weekly"), and their totals."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

PERIODS = ("once", "daily", "weekly", "monthly", "termly", "yearly")
_PERIOD_WORDS = {
    "once": "once",
    "one-off": "once",
    "daily": "daily",
    "day": "daily",
    "weekly": "weekly",
    "week": "weekly",
    "wk": "weekly",
    "monthly": "monthly",
    "month": "monthly",
    "termly": "termly",
    "term": "termly",
    "yearly": "yearly",
    "annually": "yearly",
    "annual": "yearly",
    "year": "yearly",
}
_MONEY = re.compile(r"£\s*(\d[\d,]*(?:\.\d{1,2})?)|(\d[\d,]*(?:\.\d{1,2})?)\s*(?:gbp|pounds?)\b", re.I)
_TIME = re.compile(r"(\d+(?:\.\d+)?)\s*(minutes?|mins?|m|hours?|hrs?|h|days?)\b", re.I)
_TIMES = re.compile(r"(?:\bx\s*(\d+)\b|\b(\d+)\s*x\b|\b(\d+)\s*times\b|\b(twice)\b|\b(thrice)\b)", re.I)
_PERIOD = re.compile(
    r"\b(?:(?:per|a|each|every|/)\s*)?(" + "|".join(sorted(_PERIOD_WORDS, key=len, reverse=True)) + r")\b",
    re.I,
)
_SCHOOL_DAY_MINUTES = 6 * 60


@dataclass(frozen=True, slots=True)
class Cost:
    """A cost read from its text: money in pence and/or time in minutes, per period."""

    pence: int
    minutes: int
    period: str


@dataclass(frozen=True, slots=True)
class Frequency:
    times: int
    period: str


def _period(text: str) -> str | None:
    m = _PERIOD.search(text.replace("/", " / "))
    return _PERIOD_WORDS[m.group(1).lower()] if m else None


def _times(text: str) -> int | None:
    m = _TIMES.search(text)
    if m is None:
        return None
    if m.group(4):
        return 2
    if m.group(5):
        return 3
    return int(next(g for g in m.groups()[:3] if g))


def parse_frequency(text: str | None) -> Frequency | None:
    """ "3x weekly" -> 3 per week; "weekly" -> 1 per week; None when no period is named."""
    if not text:
        return None
    period = _period(text)
    if period is None:
        return None
    return Frequency(times=_times(text) or 1, period=period)


def parse_cost(text: str | None, often: str | None = None) -> Cost | None:
    """The cost of an action, or None when the text names neither money nor time.

    A time with no period of its own takes the action's frequency: "30 min" done "3x weekly" is
    90 minutes weekly.
    """
    if not text:
        return None
    pence = 0
    for m in _MONEY.finditer(text):
        amount = (m.group(1) or m.group(2)).replace(",", "")
        pence += round(float(amount) * 100)
    minutes = 0.0
    for m in _TIME.finditer(_MONEY.sub(" ", text)):
        value, unit = float(m.group(1)), m.group(2).lower()
        if unit.startswith("h"):
            value *= 60
        elif unit.startswith("d"):
            value *= _SCHOOL_DAY_MINUTES
        minutes += value
    if pence == 0 and minutes == 0:
        return None
    times, period = _times(text), _period(_TIME.sub(" ", text))
    if period is None:
        freq = parse_frequency(often)
        if freq is not None:
            period = freq.period
            times = times or freq.times
    return Cost(pence=pence * (times or 1), minutes=round(minutes * (times or 1)), period=period or "once")


def money(pence: int) -> str:
    pounds, rest = divmod(pence, 100)
    return f"£{pounds:,}" if rest == 0 else f"£{pounds:,}.{rest:02d}"


def duration(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


_PERIOD_LABEL = {"once": "one-off", **{p: p for p in PERIODS if p != "once"}}


@dataclass(frozen=True, slots=True)
class Total:
    """Money and time per period, for one agency or the whole plan."""

    pence: dict[str, int]
    minutes: dict[str, int]

    def describe(self) -> str:
        parts = [f"{money(v)} {_PERIOD_LABEL[p]}" for p, v in self._ordered(self.pence)]
        parts += [f"{duration(v)} {_PERIOD_LABEL[p]}" for p, v in self._ordered(self.minutes)]
        return ", ".join(parts) if parts else "nothing costed"

    @staticmethod
    def _ordered(values: dict[str, int]) -> list[tuple[str, int]]:
        return [(p, values[p]) for p in PERIODS if values.get(p)]


def total(costs: Iterable[Cost]) -> Total:
    pence: dict[str, int] = {}
    minutes: dict[str, int] = {}
    for cost in costs:
        if cost.pence:
            pence[cost.period] = pence.get(cost.period, 0) + cost.pence
        if cost.minutes:
            minutes[cost.period] = minutes.get(cost.period, 0) + cost.minutes
    return Total(pence=pence, minutes=minutes)
