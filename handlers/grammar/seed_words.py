"""Words of what the seeds ask beyond the case: `purpose`, `services`, `concern`, `update family`, `refer`.

Kept apart from the main parser to keep both short.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from handlers.errors import UsageError
from handlers.grammar import commands as c

if TYPE_CHECKING:
    from handlers.grammar.parser import _Words as Words


def _usage(command: str, message: str) -> UsageError:
    return UsageError(message, command=command)


MAX_PURPOSE = 240  # the room's topic holds it after the reference (Slack: 250 characters)


def purpose(w: Words, ref: str | None, today: date) -> c.Parsed:
    if w.done():
        return c.PurposeShow(ref)
    text = w.quoted("the team's purpose")
    w.end()
    if len(text) > MAX_PURPOSE:
        raise _usage("purpose", f"A purpose is at most {MAX_PURPOSE} characters; this one has {len(text)}.")
    return c.PurposeSet(ref, text)


def services(w: Words, ref: str | None, today: date) -> c.Parsed:
    w.end()
    return c.ServicesList(ref)


def service(w: Words, ref: str | None, today: date) -> c.Parsed:
    if w.done():
        return c.ServicesList(ref)
    name = " ".join(w.text("a service") for _ in range(len(w.tokens) - w.i))
    return c.ServiceShow(ref, name[:160])


def concern(w: Words, ref: str | None, today: date) -> c.Parsed:
    if w.done():
        return c.ConcernStart(None)  # never tied to the case named: a concern is kept apart from cases
    number = w.number("a concern number")
    w.end()
    return c.ConcernShow(None, number)


def concerns(w: Words, ref: str | None, today: date) -> c.Parsed:
    w.end()
    return c.ConcernsList(None)


def update(w: Words, ref: str | None, today: date) -> c.Parsed:
    if w.keyword("family") is None:
        raise _usage(
            "update", "Say `update family` (a draft for the parents and carers) or `update family send`."
        )
    send = w.keyword("send") is not None
    w.end()
    return c.FamilyUpdateSend(ref) if send else c.FamilyUpdateDraft(ref)


def refer(w: Words, ref: str | None, today: date) -> c.Parsed:
    head = w.peek()
    if head is None:
        raise _usage("refer", "`refer` needs a service: its id from `services`, or a quoted name.")
    named = head.quoted
    service = w.text("a service") if named else w.until(("reason",), "a service")
    reason: str | None = None
    if w.keyword("reason"):
        reason = w.quoted("the reason")[:1000]
    w.end()
    return c.Refer(ref, service[:160], named, reason)


def referral(w: Words, ref: str | None, today: date) -> c.Parsed:
    if w.done():
        return c.ReferralsList(ref)
    number = w.number("a referral number")
    state = w.choice("referral state", c.REFERRAL_STATES)
    weeks: int | None = None
    note: str | None = None
    nxt = w.peek()
    if state == "waiting" and nxt is not None and not nxt.quoted and nxt.text.isdigit():
        weeks = w.number("a number of weeks")
        if w.keyword("weeks", "week") is None:
            raise _usage("referral", "Say the wait in weeks, like `waiting 12 weeks`.")
        if not 1 <= weeks <= 104:
            raise _usage("referral", f"An expected wait of {weeks} weeks is not 1 to 104 weeks.")
    if w.keyword("note"):
        note = w.quoted("the note")[:1000]
    w.end()
    return c.ReferralMove(ref, number, state, weeks, note)
