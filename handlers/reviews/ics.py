"""Calendar invitations (.ics, RFC 5545) for review meetings, in the school's time zone.

One UID per meeting for its whole life; SEQUENCE goes up each time it moves, so calendars update the
entry they already have; a cancellation carries METHOD:CANCEL and STATUS:CANCELLED. There is no
ORGANIZER (we hold no e-mail addresses), so invitations are METHOD:PUBLISH, which calendars import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from handlers.reviews.vtimezone import vtimezone

MIME = "text/calendar"


@dataclass(frozen=True, slots=True)
class Meeting:
    uid: str
    sequence: int
    starts: datetime  # aware, in the school's time zone
    minutes: int
    summary: str
    place: str | None
    description: str


def ics(meeting: Meeting, *, stamp: datetime, cancelled: bool = False) -> bytes:
    """The meeting as an .ics file; times carry TZID and the calendar a VTIMEZONE written as RRULEs."""
    cal = Calendar()
    cal.add("prodid", "-//TAC Bot//Team Around the Child//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", meeting.starts)
    event.add("dtend", meeting.starts + timedelta(minutes=meeting.minutes))
    event.add("summary", meeting.summary)
    event.add("description", meeting.description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if meeting.place:
        event.add("location", meeting.place)
    zone = meeting.starts.tzinfo
    if isinstance(zone, ZoneInfo):
        cal.add_component(vtimezone(zone, year=meeting.starts.year))
    cal.add_component(event)
    return bytes(cal.to_ical())
