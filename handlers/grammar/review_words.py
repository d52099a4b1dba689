"""Words of `review ...` and `priority ...`: kept apart from the main parser to keep both short."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from handlers.errors import UsageError
from handlers.grammar import commands as c
from handlers.grammar.dates import parse_date, parse_time

if TYPE_CHECKING:
    from handlers.grammar.parser import _Words as Words

_REVIEW_KEYS = ("at", "where")
MAX_SLOTS = 10


def _time(w: Words) -> time:
    """A time after `at`: `14:30`, `15.30`, `3pm`, `3.30pm`, or `3 pm` in two words."""
    text = w.next("a time, like 14:30 or 3.30pm").text
    after = w.peek()
    if after is not None and not after.quoted and after.word.rstrip(".") in ("am", "pm", "a.m", "p.m"):
        text += after.text
        w.i += 1
    return parse_time(text)


def _review_on(w: Words, today: date) -> tuple[date, time | None, str | None]:
    day = parse_date(w.until(_REVIEW_KEYS, "a date"), today=today)
    at: time | None = None
    where: str | None = None
    while not w.done():
        key = w.keyword(*_REVIEW_KEYS)
        if key == "at":
            at = _time(w)
        elif key == "where":
            where = w.quoted("the place")[:200]
        else:
            w.end()
    return day, at, where


def _slots(w: Words, today: date) -> tuple[datetime, ...]:
    words = " ".join(t.text for t in w.tokens[w.i :])
    w.i = len(w.tokens)
    slots: list[datetime] = []
    for part in (p.strip() for p in words.split(",")):
        if not part:
            continue
        day_words, _, time_word = part.rpartition(" ")
        if not day_words:
            raise UsageError(
                command="review", message=f"`{part}` needs a date and a time, like `15/12 14:30`."
            )
        slots.append(datetime.combine(parse_date(day_words, today=today), parse_time(time_word)))
    if len(slots) > MAX_SLOTS:
        raise UsageError(command="review", message=f"Offer at most {MAX_SLOTS} slots in one poll.")
    if len(set(slots)) != len(slots):
        raise UsageError(command="review", message="The same slot is offered twice.")
    return tuple(slots)


def parse_review(w: Words, ref: str | None, today: date) -> c.Parsed:
    sub = w.keyword("on", "poll", "pick", "cancel", "record")
    if sub is None:
        w.end()
        return c.ReviewShow(ref)
    if sub == "on":
        return c.ReviewOn(ref, *_review_on(w, today))
    if sub == "poll":
        slots = _slots(w, today)
        return c.ReviewPoll(ref, slots) if slots else c.ReviewShow(ref)
    if sub == "pick":
        number = w.number("a slot number")
        where = w.quoted("the place")[:200] if w.keyword("where") else None
        w.end()
        return c.ReviewPick(ref, number, where)
    if sub == "cancel":
        w.end()
        return c.ReviewCancel(ref)
    if w.done():
        return c.ReviewRecordForm(ref)
    return _review_record(w, ref, today)


_RECORD_KEYS = ("attendees", "decided", "changes", "next")


def _review_record(w: Words, ref: str | None, today: date) -> c.Parsed:
    attendees: list[c.PersonRef] = []
    decided: str | None = None
    changes: str | None = None
    next_day: date | None = None
    next_at: time | None = None
    while not w.done():
        key = w.keyword(*_RECORD_KEYS)
        if key == "attendees":
            while (tok := w.peek()) is not None and tok.mention is not None:
                attendees.append(w.person())
        elif key == "decided":
            decided = w.quoted("what was decided")[:2000]
        elif key == "changes":
            changes = w.quoted("the changes to the plan")[:2000]
        elif key == "next":
            next_day = parse_date(w.until(("at", *_RECORD_KEYS), "the next review date"), today=today)
            if w.keyword("at"):
                next_at = _time(w)
        else:
            w.end()
    if decided is None:
        raise UsageError(command="review", message='Say what was decided: `decided "<text>"`.')
    return c.ReviewRecord(ref, tuple(attendees), decided, changes, next_day, next_at)


def parse_priority(w: Words, ref: str | None, today: date) -> c.Parsed:
    sub = w.keyword("add", "ask")
    if sub == "add":
        text = w.quoted("the priority")[:1000]
        w.end()
        return c.PriorityAdd(ref, text)
    if sub == "ask":
        person = w.person()
        w.end()
        return c.PriorityAsk(ref, person)
    w.end()
    return c.Priorities(ref)
