"""Steps that ask first: `close` with work still open, a review on a day the school is shut.

The use case answers with what it would do and a *Confirm* button instead of doing it; the button (or the
same command typed again with `confirm` at the end) runs the command again with ``Ask.confirmed`` set.
The button carries the command's own words and the case's reference: pressing it is exactly the same as
typing them with `confirm`, so it can do nothing its presser could not type.
"""

from __future__ import annotations

import json
import re
from datetime import date

from handlers.core import Ask
from handlers.replies import Block, Bullets, Button, Buttons, Code, Note, Reply, para, reply
from scheduler.calendar import SchoolCalendar, is_bank_holiday

CONFIRM_WORD = "confirm"
_TRAILING = re.compile(r"\s+confirm\s*$", re.IGNORECASE)
MAX_VALUE = 1900  # Slack caps a button's value (our JSON around the words) at 2000 characters


def split_confirm(text: str) -> tuple[str, bool]:
    """A trailing `confirm` (outside quotes) taken off the words: (the rest, whether it was there)."""
    stripped = _TRAILING.sub("", text)
    return stripped, stripped != text


def ask_first(ask: Ask, *, reference: str | None, blocks: list[Block], summary: str) -> Reply:
    """The question: what would happen, a *Confirm* and a *Cancel* button, and the typed alternative."""
    words = " ".join(ask.command.text.split())
    if words.lower().startswith(("/tac ", "tac ")):
        words = words.split(" ", 1)[1]
    again = f"{words} case {reference}" if reference else words
    out: list[Block] = list(blocks)
    if len(json.dumps(again)) <= MAX_VALUE:  # as a platform encodes it (curly quotes become \uXXXX)
        out.append(
            Buttons(
                (
                    Button("Confirm", f"{CONFIRM_WORD}.run", again, style="danger"),
                    Button("Cancel", f"{CONFIRM_WORD}.cancel", ""),
                )
            )
        )
    out.append(para("Or type it again with `confirm` at the end: ", Code(f"/tac {words} confirm")))
    out.append(Note(("Nothing has changed yet.",)))
    return reply(*out, summary=summary)


def day_off(cal: SchoolCalendar, day: date) -> str | None:
    """Why the school is shut on ``day`` (a weekend, a bank holiday, the school's holiday), or None."""
    if cal.is_school_day(day):
        return None
    if day.weekday() >= 5:
        return "a weekend"
    if is_bank_holiday(day):
        return "a bank holiday"
    return "in the school's holidays"


def ask_about_days(
    ask: Ask, *, reference: str, days: list[date], cal: SchoolCalendar, what: str
) -> Reply | None:
    """The question when any of ``days`` is not a school day (and the asker has not confirmed), else None."""
    if ask.confirmed:
        return None
    shut = [(d, why) for d in sorted(set(days)) if (why := day_off(cal, d)) is not None]
    if not shut:
        return None
    lines = tuple((f"{d:%a %d %b %Y} is {why}",) for d, why in shut)
    return ask_first(
        ask,
        reference=reference,
        blocks=[para(f"The school is shut on a day you chose for {what}:"), Bullets(lines)],
        summary=f"{reference}: {what} on a day the school is shut?",
    )
