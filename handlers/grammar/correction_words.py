"""Words of the corrections: `alias`, `outcome edit|remove`, `action edit|remove`, `reopen`, `handover`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from handlers.errors import UsageError
from handlers.grammar import commands as c
from handlers.grammar.dates import parse_date

if TYPE_CHECKING:
    from handlers.grammar.parser import _Words as Words

ACTION_KEYS = ("what", "owner", "due", "where", "cost", "outcome", "often")


def parse_alias(w: Words, ref: str | None, today: date) -> c.Parsed:
    if w.done():
        raise UsageError("`alias` needs the new alias.", command="alias")
    tok = w.peek()
    if tok is not None and tok.quoted:
        alias = w.text("the new alias")
        w.end()
    else:
        alias = w.until((), "the new alias")
    return c.AliasChange(ref, alias[:80])


def parse_outcome_change(w: Words, sub: str, ref: str | None) -> c.Parsed:
    number = w.number("an outcome number")
    if sub == "remove":
        w.end()
        return c.OutcomeRemove(ref, number)
    text = w.quoted("the outcome's new words")[:1000]
    w.end()
    return c.OutcomeEdit(ref, number, text)


def parse_action_change(w: Words, sub: str, ref: str | None, today: date) -> c.Parsed:
    number = w.number("an action number")
    if sub == "remove":
        w.end()
        return c.ActionRemove(ref, number)
    parts: dict[str, object] = {}
    while not w.done():
        key = w.keyword(*ACTION_KEYS)
        if key == "what":
            parts["what"] = w.quoted("what will be done")[:1000]
        elif key == "owner":
            parts["owner"] = w.person()
        elif key == "due":
            parts["due"] = parse_date(w.until(ACTION_KEYS, "a date"), today=today)
        elif key == "where":
            parts["where"] = w.quoted("the place")[:200]
        elif key == "cost":
            parts["cost"] = w.until(ACTION_KEYS, "an amount")[:80]
        elif key == "outcome":
            parts["outcome"] = w.number("an outcome number")
        elif key == "often":
            parts["often"] = w.until(ACTION_KEYS, "how often, like 3x weekly")[:80]
        else:
            w.end()
    if not parts:
        raise UsageError(
            "Say what to change: `what`, `owner`, `due`, `where`, `often`, `cost` or `outcome`.",
            command="action",
        )
    return c.ActionEdit(ref, number, **parts)  # type: ignore[arg-type]


def parse_reopen(w: Words, ref: str | None, today: date) -> c.Parsed:
    w.end()
    return c.Reopen(ref)


def parse_handover(w: Words, ref: str | None, today: date) -> c.Parsed:
    person = w.person()
    w.end()
    return c.Handover(ref, person)
