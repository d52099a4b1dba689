"""Words of `invite`, `invite external` and `remove`: who joins or leaves the team, kept apart from the
main parser to keep both short. Someone outside the workspace is invited with their name in quotes and
their e-mail address (as typed, or as Slack links it: `<mailto:a@b|a@b>`)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from handlers.errors import UsageError
from handlers.grammar import commands as c
from handlers.roles import ROLES

if TYPE_CHECKING:
    from handlers.grammar.parser import _Words as Words


def invite(w: Words, ref: str | None, today: date) -> c.Parsed:
    if w.keyword("external"):
        return _invite_external(w, ref)
    person = w.person()
    role = w.choice("role", ROLES)
    agency, champion = _membership_words(w)
    return c.Invite(ref, person, role, agency, champion)


def _membership_words(w: Words) -> tuple[str | None, bool]:
    """`[agency "<name>"] [champion]`, in either order, at the end of an invitation."""
    agency: str | None = None
    champion = False
    while not w.done():
        key = w.keyword("agency", "champion")
        if key == "agency":
            agency = w.quoted("the agency's name")[:120]
        elif key == "champion":
            champion = True
        else:
            w.end()
    return agency, champion


_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_MAILTO = re.compile(r"^<mailto:([^|>]+)(?:\|[^>]*)?>$")  # how Slack escapes an address it linked


def _invite_external(w: Words, ref: str | None) -> c.Parsed:
    name = w.quoted("the person's name")
    if len(name) > 120:
        raise UsageError("That name is too long (120 characters at most).", command=w.command)
    raw = w.next("their e-mail address").text.strip()
    match = _MAILTO.match(raw)
    email = (match.group(1) if match else raw).strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise UsageError(
            f"`{raw[:60]}` is not an e-mail address.",
            hint="Like `ann.vale@county.example`.",
            command=w.command,
        )
    role = w.choice("role", ROLES)
    agency, champion = _membership_words(w)
    return c.InviteExternal(ref, name, email, role, agency, champion)


def remove(w: Words, ref: str | None, today: date) -> c.Parsed:
    person = w.person()
    w.end()
    return c.Remove(ref, person)
