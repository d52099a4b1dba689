"""Words -> typed commands. Keywords are case-insensitive; the case may be named anywhere."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date

from handlers.errors import UnknownCommand, UsageError
from handlers.grammar import commands as c
from handlers.grammar import seed_words, team_words
from handlers.grammar.correction_words import (
    parse_action_change,
    parse_alias,
    parse_handover,
    parse_outcome_change,
    parse_reopen,
)
from handlers.grammar.dates import parse_date
from handlers.grammar.governance_words import parse_audit, parse_pupil, parse_share
from handlers.grammar.review_words import parse_priority, parse_review
from handlers.grammar.tokens import Token, tokenize
from handlers.grammar.usage import USAGES

_REF = re.compile(r"^tac-(\d{1,6})$", re.IGNORECASE)
NOT_YET: tuple[str, ...] = ()


def _usage(command: str, message: str, hint: str | None = None) -> UsageError:
    return UsageError(message, command=command, hint=hint)


def _extract_case(tokens: list[Token]) -> tuple[list[Token], str | None]:
    """Remove `case TAC-0007` or a bare `TAC-0007` from the words; return what is left and the ref."""
    rest: list[Token] = []
    ref: str | None = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            not tok.quoted
            and tok.word == "case"
            and nxt is not None
            and _REF.match(nxt.text)
            and not nxt.quoted
        ):
            ref, i = nxt.text, i + 2
            continue
        if not tok.quoted and tok.mention is None and _REF.match(tok.text):
            ref, i = tok.text, i + 1
            continue
        rest.append(tok)
        i += 1
    if ref is not None:
        ref = f"TAC-{int(_REF.match(ref).group(1)):04d}"  # type: ignore[union-attr]
    return rest, ref


class _Words:
    """A cursor over the tokens of one command, with its name for usage errors."""

    def __init__(self, command: str, tokens: list[Token]) -> None:
        self.command = command
        self.tokens = tokens
        self.i = 0

    def done(self) -> bool:
        return self.i >= len(self.tokens)

    def peek(self) -> Token | None:
        return None if self.done() else self.tokens[self.i]

    def next(self, what: str) -> Token:
        tok = self.peek()
        if tok is None:
            raise _usage(self.command, f"`{self.command}` needs {what}.")
        self.i += 1
        return tok

    def keyword(self, *options: str) -> str | None:
        tok = self.peek()
        if tok is not None and not tok.quoted and tok.mention is None and tok.word in options:
            self.i += 1
            return tok.word
        return None

    def text(self, what: str) -> str:
        tok = self.next(what)
        if tok.mention is not None:
            raise _usage(self.command, f"`{self.command}` needs {what}, not a person.")
        value = tok.text.strip()
        if not value:
            raise _usage(self.command, f"`{self.command}` needs {what}; the quotes are empty.")
        return value

    def quoted(self, what: str) -> str:
        tok = self.peek()
        if tok is None or not tok.quoted:
            raise _usage(self.command, f'`{self.command}` needs {what} in "double quotes".')
        return self.text(what)

    def person(self) -> c.PersonRef:
        tok = self.next("a person (mention them)")
        if tok.quoted and tok.text.strip():  # a member outside the workspace, by the name invited with
            return c.PersonRef(user_id="", label=tok.text.strip()[:120])
        if tok.mention is None:
            raise _usage(
                self.command,
                f"`{tok.text}` is not a person: mention them, like @anna "
                '(someone outside the workspace: their name in quotes, like "Dr Ann Vale").',
            )
        return c.PersonRef(user_id=tok.mention, label=tok.text)

    def number(self, what: str) -> int:
        tok = self.next(what)
        text = tok.text.lstrip("#")
        if not text.isdigit() or len(text) > 6:
            raise _usage(self.command, f"`{tok.text}` is not {what}.")
        return int(text)

    def until(self, stops: tuple[str, ...], what: str) -> str:
        """Plain words up to the next keyword in ``stops`` (for dates like `next tuesday`)."""
        words: list[str] = []
        while not self.done():
            tok = self.tokens[self.i]
            if not tok.quoted and tok.mention is None and tok.word in stops:
                break
            if tok.mention is not None:
                raise _usage(self.command, f"`{self.command}` needs {what} here, not a person.")
            words.append(tok.text)
            self.i += 1
        if not words:
            raise _usage(self.command, f"`{self.command}` needs {what}.")
        return " ".join(words)

    def choice(self, what: str, allowed: tuple[str, ...]) -> str:
        tok = self.next(what)
        if tok.word not in allowed:
            suggestion = difflib.get_close_matches(tok.word, allowed, n=1)
            hint = (
                f"Did you mean `{suggestion[0]}`?" if suggestion else "Choose one of: " + ", ".join(allowed)
            )
            raise _usage(self.command, f"`{tok.text}` is not a {what}.", hint=hint)
        return tok.word

    def end(self) -> None:
        if not self.done():
            extra = " ".join(t.text for t in self.tokens[self.i :])
            raise _usage(self.command, f"I don't understand `{extra}` here.")


Parser = Callable[[_Words, str | None, date], c.Parsed]


def _help(w: _Words, ref: str | None, today: date) -> c.Parsed:
    topic = w.next("").word if not w.done() else None
    return c.Help(ref, topic)


def _open(w: _Words, ref: str | None, today: date) -> c.Parsed:
    first = w.peek()
    what = "an alias for the pupil (not their full name)"
    alias = w.text(what) if first is not None and first.quoted else w.until(("year", "route"), what)
    year: str | None = None
    route = "sen-support"
    while not w.done():
        key = w.keyword("year", "route")
        if key == "year":
            year = w.text("a year group")[:16]
        elif key == "route":
            route = w.choice("route", c.ROUTES)
        else:
            w.end()
    return c.Open(ref, alias, year, route)


def _consent(w: _Words, ref: str | None, today: date) -> c.Parsed:
    kind = w.keyword("given", "withdrawn")
    if kind is None:
        raise _usage("consent", "Say whether consent was `given` or `withdrawn`.")
    if w.keyword("by") is None:
        raise _usage("consent", 'Say who by: `by "<name>"`.')
    by_name = w.quoted("the name of the person")[:200]
    relationship, scope = "parent", "all"
    while not w.done():
        key = w.keyword("relationship", "scope")
        if key == "relationship":
            relationship = w.choice("relationship", c.RELATIONSHIPS)
        elif key == "scope":
            scope = w.choice("scope", c.SCOPES)
        else:
            w.end()
    return c.ConsentChange(ref, kind == "given", by_name, relationship, scope)


def _simple(kind: type[c.Team] | type[c.Status] | type[c.Cases]) -> Parser:
    def parse(w: _Words, ref: str | None, today: date) -> c.Parsed:
        w.end()
        return kind(ref)

    return parse


def _define(w: _Words, ref: str | None, today: date) -> c.Parsed:
    if w.done():
        raise _usage("define", "`define` needs a term.")
    term = " ".join(t.text for t in w.tokens[w.i :])
    return c.Define(ref, term[:80])


def _close(w: _Words, ref: str | None, today: date) -> c.Parsed:
    reason: str | None = None
    if w.keyword("reason"):
        reason = w.quoted("the reason")[:500]
    w.end()
    return c.Close(ref, reason)


def _outcome(w: _Words, ref: str | None, today: date) -> c.Parsed:
    sub = w.keyword("add", "measure", "edit", "remove")
    if sub in ("edit", "remove"):
        return parse_outcome_change(w, sub, ref)
    if sub == "measure":
        number = w.number("an outcome number")
        how = w.quoted("how you will know it is working")[:1000]
        w.end()
        return c.OutcomeMeasure(ref, number, how)
    if sub is None:
        raise _usage("outcome", "Say `outcome add`, `outcome measure`, `outcome edit` or `outcome remove`.")
    text = w.quoted("the outcome")[:1000]
    measure: str | None = None
    if w.keyword("measure"):
        measure = w.quoted("how you will know it is working")[:1000]
    w.end()
    return c.OutcomeAdd(ref, text, measure)


_ACTION_KEYS = ("owner", "due", "where", "cost", "outcome", "often")


def _action(w: _Words, ref: str | None, today: date) -> c.Parsed:
    sub = w.keyword("add", "done", "due", "edit", "remove")
    if sub in ("edit", "remove"):
        return parse_action_change(w, sub, ref, today)
    if sub == "done":
        number = w.number("an action number")
        w.end()
        return c.ActionDone(ref, number)
    if sub == "due":
        number = w.number("an action number")
        return c.ActionDue(ref, number, parse_date(w.until((), "a date"), today=today))
    if sub is None:
        raise _usage("action", "Say `action add`, `done`, `due`, `edit` or `remove` (see the usage below).")
    what = w.quoted("what will be done")[:1000]
    owner: c.PersonRef | None = None
    due: date | None = None
    where: str | None = None
    cost: str | None = None
    outcome: int | None = None
    often: str | None = None
    while not w.done():
        key = w.keyword(*_ACTION_KEYS)
        if key == "owner":
            owner = w.person()
        elif key == "due":
            due = parse_date(w.until(_ACTION_KEYS, "a date"), today=today)
        elif key == "where":
            where = w.quoted("the place")[:200]
        elif key == "cost":
            cost = w.until(_ACTION_KEYS, "an amount")[:80]
        elif key == "outcome":
            outcome = w.number("an outcome number")
        elif key == "often":
            often = w.until(_ACTION_KEYS, "how often, like 3x weekly")[:80]
        else:
            w.end()
    if owner is None:
        raise _usage("action", "An action needs an owner: `owner @person`.")
    if due is None:
        raise _usage("action", "An action needs a due date: `due <date>`.")
    return c.ActionAdd(ref, what, owner, due, where, cost, outcome, often)


def _plan(w: _Words, ref: str | None, today: date) -> c.Parsed:
    if w.keyword("export"):
        w.end()
        return c.PlanExport(ref)
    w.end()
    return c.PlanShow(ref)


def _forms(w: _Words, ref: str | None, today: date) -> c.Parsed:
    w.end()
    return c.FormsList(ref)


def _request(w: _Words, ref: str | None, today: date) -> c.Parsed:
    form_id = w.text("a form, like `ep-advice` (see `forms`)").lower()[:40]
    if w.keyword("from") is None:
        raise _usage("request", "Say who from: `from @person` or `from team`.")
    person: c.PersonRef | None = None
    if w.keyword("team") is None:
        person = w.person()
    due: date | None = None
    if w.keyword("due"):
        due = parse_date(w.until((), "a date"), today=today)
    w.end()
    return c.RequestForm(ref, form_id, person, due)


def _inputs(w: _Words, ref: str | None, today: date) -> c.Parsed:
    w.end()
    return c.InputsList(ref)


def _input(w: _Words, ref: str | None, today: date) -> c.Parsed:
    if w.done():
        return c.InputsList(ref)
    number = w.number("an input number")
    w.end()
    return c.InputShow(ref, number)


PARSERS: dict[str, Parser] = {
    "help": _help,
    "open": _open,
    "consent": _consent,
    "invite": team_words.invite,
    "remove": team_words.remove,
    "team": _simple(c.Team),
    "status": _simple(c.Status),
    "cases": _simple(c.Cases),
    "define": _define,
    "close": _close,
    "outcome": _outcome,
    "action": _action,
    "plan": _plan,
    "forms": _forms,
    "request": _request,
    "inputs": _inputs,
    "input": _input,
    "review": parse_review,
    "alias": parse_alias,
    "reopen": parse_reopen,
    "handover": parse_handover,
    "priority": parse_priority,
    "priorities": parse_priority,
    "purpose": seed_words.purpose,
    "services": seed_words.services,
    "service": seed_words.service,
    "concern": seed_words.concern,
    "concerns": seed_words.concerns,
    "update": seed_words.update,
    "refer": seed_words.refer,
    "referral": seed_words.referral,
    "referrals": seed_words.referral,
    "share": parse_share,
    "audit": parse_audit,
    "pupil": parse_pupil,
}
KNOWN = sorted({*PARSERS, *NOT_YET, *(u.name for u in USAGES)})


def parse(text: str, *, today: date) -> c.Parsed:
    """Parse one command. Raises ``UsageError`` (with the command's name) or ``UnknownCommand``."""
    tokens, ref = _extract_case(tokenize(text))
    if tokens and tokens[0].word in ("/tac", "tac") and not tokens[0].quoted:
        tokens = tokens[1:]
    if not tokens:
        return c.Help(ref, None)
    head = tokens[0]
    verb = head.word if head.mention is None and not head.quoted else ""
    if verb in NOT_YET:
        return c.NotYet(ref, verb)
    parser = PARSERS.get(verb)
    if parser is None:
        match = difflib.get_close_matches(verb, KNOWN, n=1, cutoff=0.6)
        raise UnknownCommand(head.text[:40], match[0] if match else None)
    return parser(_Words(verb, tokens[1:]), ref, today)
