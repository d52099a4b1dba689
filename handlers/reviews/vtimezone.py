"""A VTIMEZONE written as yearly rules (RRULE), the way Outlook and most calendar servers write one.

The rules are read from the zone's own transitions in the meeting's year (so they are the ones in force
then): each change of offset becomes ``FREQ=YEARLY;BYMONTH=m;BYDAY=nSU`` (``-1SU`` for "the last Sunday"),
with a DTSTART in 1970 on the day that rule gives. A zone with no change that year is one STANDARD part.
Every calendar then computes the same instant: a list of RDATEs (what ``add_missing_timezones`` writes)
was read differently by different parsers.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FIRST_YEAR = 1970


@dataclass(frozen=True, slots=True)
class Change:
    """One change of offset: on the ``nth`` (``-1`` last) ``weekday`` of ``month`` at local ``wall`` time."""

    month: int
    nth: int
    weekday: int
    wall: timedelta  # the local time (in the offset before the change) at which it happens
    before: timedelta
    after: timedelta
    name: str
    daylight: bool


def _offset(zone: ZoneInfo, at: datetime) -> timedelta:
    value = at.astimezone(zone).utcoffset()
    assert value is not None
    return value


def _instant_of_change(zone: ZoneInfo, lo: datetime, hi: datetime) -> datetime:
    """The first UTC minute at which the offset differs from the one at ``lo`` (within ``(lo, hi]``)."""
    first = _offset(zone, lo)
    while hi - lo > timedelta(minutes=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(second=0, microsecond=0)
        if mid <= lo:
            break
        if _offset(zone, mid) == first:
            lo = mid
        else:
            hi = mid
    return hi


def changes(zone: ZoneInfo, year: int) -> list[Change]:
    """The zone's changes of offset in ``year``, as yearly rules."""
    found: list[Change] = []
    start = datetime(year, 1, 1, tzinfo=UTC)
    for day in range(366):
        lo, hi = start + timedelta(days=day), start + timedelta(days=day + 1)
        if hi.year != year or _offset(zone, lo) == _offset(zone, hi):
            continue
        at = _instant_of_change(zone, lo, hi)
        before, after = _offset(zone, lo), _offset(zone, at)
        wall = (at + before).replace(tzinfo=None)
        last_in_month = wall.day + 7 > calendar.monthrange(wall.year, wall.month)[1]
        local = at.astimezone(zone)
        found.append(
            Change(
                month=wall.month,
                nth=-1 if last_in_month else (wall.day - 1) // 7 + 1,
                weekday=wall.weekday(),
                wall=wall - datetime(wall.year, wall.month, wall.day),
                before=before,
                after=after,
                name=local.tzname() or "",
                daylight=bool(local.dst()),
            )
        )
    return found


def rule_day(change: Change, year: int) -> date:
    """The day ``change``'s rule falls on in ``year``."""
    days = [
        d
        for d in range(1, calendar.monthrange(year, change.month)[1] + 1)
        if date(year, change.month, d).weekday() == change.weekday
    ]
    return date(year, change.month, days[change.nth if change.nth < 0 else change.nth - 1])


def vtimezone(zone: ZoneInfo, *, year: int) -> Timezone:
    """The zone as a VTIMEZONE component with the rules in force in ``year``."""
    tz = Timezone()
    tz.add("tzid", zone.key)
    rules = changes(zone, year)
    if not rules:
        fixed = TimezoneStandard()
        moment = datetime(year, 1, 1, tzinfo=UTC)
        offset = _offset(zone, moment)
        fixed.add("dtstart", datetime(_FIRST_YEAR, 1, 1))
        fixed.add("tzoffsetfrom", offset)
        fixed.add("tzoffsetto", offset)
        fixed.add("tzname", moment.astimezone(zone).tzname() or zone.key)
        tz.add_component(fixed)
        return tz
    for change in rules:
        part = TimezoneDaylight() if change.daylight else TimezoneStandard()
        first = rule_day(change, _FIRST_YEAR)
        part.add("dtstart", datetime(first.year, first.month, first.day) + change.wall)
        part.add("tzoffsetfrom", change.before)
        part.add("tzoffsetto", change.after)
        part.add("tzname", change.name)
        part.add(
            "rrule",
            {"freq": "yearly", "bymonth": change.month, "byday": f"{change.nth}{_DAYS[change.weekday]}"},
        )
        tz.add_component(part)
    return tz
