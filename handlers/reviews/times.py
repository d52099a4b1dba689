"""A review meeting's times at the school: wall-clock to UTC, and how a meeting's time reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from storage.models import Review

DEFAULT_TIME = time(15, 30)  # after school, when a review is fixed with no time


def to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A wall-clock date and time at the school -> the UTC instant (correct across clock changes)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def when(starts: datetime, tz: ZoneInfo, place: str | None = None) -> str:
    local = starts.astimezone(tz)
    return f"{local:%a %d %b %Y at %H:%M}" + (f", {place}" if place else "")


def review_line(review: Review | None, tz: ZoneInfo) -> str:
    """The next review in a few words, for `status`."""
    if review is None:
        return "none fixed"
    if review.starts_at is None:
        return "date poll open"
    return when(review.starts_at, tz, review.place)
