"""Dates and times the way teachers write them: ISO, 15/12/2026, 15/12, 15 Dec, tomorrow, in 3 weeks."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from handlers.errors import BadDate

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_AM_PM = re.compile(r"^(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*([ap])\.?m\.?$", re.IGNORECASE)
TIME_EXAMPLES = "14:30, 15.30, 3pm or 3.30pm"
DATE_EXAMPLES = "2026-12-15, 15/12/2026, 15/12, 15 Dec, tomorrow, next tuesday or in 3 weeks"


@lru_cache(maxsize=1)
def _dateparser() -> Any:
    import dateparser  # imported lazily: it compiles many patterns on first use

    return dateparser


def parse_date(text: str, *, today: date) -> date:
    """One date, never in the past for day-month forms without a year. Raises ``BadDate``."""
    words = " ".join(text.split())
    if not words:
        raise BadDate("A date is missing.", hint=f"Write it like {DATE_EXAMPLES}.")
    try:
        if _ISO.match(words):
            return date.fromisoformat(words)
        m = _DMY.match(words)
        if m:
            day, month = int(m.group(1)), int(m.group(2))
            if m.group(3):
                year = int(m.group(3))
                year = year + 2000 if year < 100 else year
                return date(year, month, day)
            candidate = date(today.year, month, day)
            return candidate if candidate >= today else date(today.year + 1, month, day)
    except ValueError as exc:
        raise BadDate(
            f"`{words}` is not a date in the calendar.", hint=f"Write it like {DATE_EXAMPLES}."
        ) from exc
    if words.lower() == "today":
        return today
    parsed = _dateparser().parse(
        words,
        languages=["en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": datetime.combine(today, time(12, 0)),
            "RETURN_AS_TIMEZONE_AWARE": False,
            "STRICT_PARSING": False,
        },
    )
    if parsed is None:
        raise BadDate(f"I can't read `{words}` as a date.", hint=f"Write it like {DATE_EXAMPLES}.")
    return date(parsed.year, parsed.month, parsed.day)


def parse_time(text: str) -> time:
    """`14:30`, `15.30`, `3pm`, `3.30pm`, `11:15am`. Raises ``BadDate``."""
    words = text.strip()
    m = _TIME.match(words)
    if m:
        return time(int(m.group(1)), int(m.group(2)))
    m = _AM_PM.match(words)
    if m:
        hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "p" else 0)
        return time(hour, int(m.group(2) or 0))
    raise BadDate(f"I can't read `{text}` as a time.", hint=f"Write times like {TIME_EXAMPLES}.")
