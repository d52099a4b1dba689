"""Words of `share input`, `audit` and `pupil details` (information governance)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from handlers.errors import UsageError
from handlers.grammar import commands as c

if TYPE_CHECKING:
    from handlers.grammar.parser import _Words as Words


def parse_share(w: Words, ref: str | None, today: date) -> c.Parsed:
    if w.keyword("input") is None:
        raise UsageError('Say which input: `share input <n> [reason "<why>"]`.', command="share")
    number = w.number("an input number")
    reason: str | None = None
    if w.keyword("reason"):
        reason = w.quoted("the reason")[:500]
    w.end()
    return c.InputShare(ref, number, reason)


def parse_audit(w: Words, ref: str | None, today: date) -> c.Parsed:
    w.keyword("page")
    page = w.number("a page number") if not w.done() else 1
    w.end()
    return c.AuditShow(ref, max(page, 1))


def parse_pupil(w: Words, ref: str | None, today: date) -> c.Parsed:
    if w.keyword("details") is None:
        raise UsageError("Say `pupil details` to open the form for the pupil's details.", command="pupil")
    w.end()
    return c.PupilDetailsForm(ref)
