"""Calendar invitations read the same in every calendar: two independent parsers, one UTC instant.

The embedded VTIMEZONE is what Outlook reads, so the zone id is renamed before parsing: neither parser
can then fall back on its own copy of the zone database and both must use the rules we wrote.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar

from handlers.reviews.ics import Meeting, ics
from handlers.reviews.vtimezone import changes, rule_day

STAMP = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

# (zone, local wall time of the meeting): winter and summer in both hemispheres, days either side of a
# change of the clocks, and a zone with no daylight saving.
MEETINGS = [
    ("Europe/London", datetime(2028, 1, 19, 15, 0)),
    ("Europe/London", datetime(2027, 7, 15, 15, 0)),
    ("Europe/London", datetime(2027, 3, 29, 9, 0)),
    ("Europe/London", datetime(2027, 10, 30, 16, 30)),
    ("Europe/London", datetime(2027, 11, 1, 16, 30)),
    ("America/New_York", datetime(2027, 3, 15, 15, 0)),
    ("America/New_York", datetime(2027, 12, 1, 15, 0)),
    ("Australia/Sydney", datetime(2027, 1, 20, 10, 0)),
    ("Australia/Sydney", datetime(2027, 6, 20, 10, 0)),
    ("Asia/Tokyo", datetime(2027, 6, 20, 10, 0)),
]


def invitation(zone: str, wall: datetime) -> bytes:
    meeting = Meeting(
        uid="tac-0001-review-1@tacbot",
        sequence=0,
        starts=wall.replace(tzinfo=ZoneInfo(zone)),
        minutes=60,
        summary="TAC-0001 review",
        place="Meeting room 2",
        description="Review meeting",
    )
    # An id no parser knows (one per zone: parsers cache zones by id): the embedded VTIMEZONE is the
    # only way to the time.
    return ics(meeting, stamp=STAMP).replace(zone.encode(), f"School-{zone.replace('/', '-')}".encode())


def by_icalendar(data: bytes) -> datetime:
    cal = Calendar.from_ical(data)
    start: datetime = cal.walk("VEVENT")[0].decoded("dtstart")
    if start.tzinfo is None or start.utcoffset() is None:  # an unknown TZID: use the VTIMEZONE
        start = start.replace(tzinfo=cal.walk("VTIMEZONE")[0].to_tz())
    return start.astimezone(UTC)


def by_vobject(data: bytes) -> datetime:
    cal = vobject.readOne(data.decode())
    start: datetime = cal.vevent.dtstart.value
    return start.astimezone(UTC)


@pytest.mark.parametrize(("zone", "wall"), MEETINGS)
def test_two_parsers_put_the_meeting_at_the_same_instant(zone: str, wall: datetime) -> None:
    data = invitation(zone, wall)
    assert b"RRULE:FREQ=YEARLY" in data or zone == "Asia/Tokyo"
    assert b"RDATE" not in data
    expected = wall.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    assert by_icalendar(data) == expected
    assert by_vobject(data) == expected


def test_london_is_written_as_outlook_writes_it() -> None:
    text = invitation("Europe/London", datetime(2028, 1, 19, 15, 0)).decode()
    assert "DTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "DTSTART:19701025T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
    assert "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000" in text


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Sydney", "Europe/Berlin"])
def test_the_rules_give_the_zones_own_changes_for_years_around(zone: str) -> None:
    tz = ZoneInfo(zone)
    rules = changes(tz, 2027)
    assert len(rules) == 2
    for year in range(2026, 2036):
        noons = [datetime(year, 1, 1, 12, tzinfo=tz) + timedelta(days=n) for n in range(365)]
        actual = [b.date() for a, b in itertools.pairwise(noons) if a.utcoffset() != b.utcoffset()]
        assert sorted(rule_day(r, year) for r in rules) == actual
