"""The command grammar: tokens, dates, typed commands and usage errors."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.errors import BadDate, UnknownCommand, UsageError
from handlers.grammar import commands as c
from handlers.grammar.dates import parse_date, parse_time
from handlers.grammar.parser import parse
from handlers.grammar.tokens import tokenize

TODAY = date(2026, 11, 23)  # a Monday


def p(text: str) -> c.Parsed:
    return parse(text, today=TODAY)


def test_tokens_keep_quoted_text_and_mentions() -> None:
    toks = tokenize("invite <@U0123ABC|anna> educational-psychologist agency “County EP”")
    assert [t.text for t in toks] == ["invite", "anna", "educational-psychologist", "agency", "County EP"]
    assert toks[1].mention == "U0123ABC"
    assert toks[4].quoted


def test_unclosed_quote_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="not closed"):
        tokenize('consent given by "Jo')


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-15", date(2026, 12, 15)),
        ("15/12/2026", date(2026, 12, 15)),
        ("15/12", date(2026, 12, 15)),
        ("1/3", date(2027, 3, 1)),  # day-first, and never in the past
        ("15 Dec", date(2026, 12, 15)),
        ("tomorrow", date(2026, 11, 24)),
        ("in 3 weeks", date(2026, 12, 14)),
        ("next tuesday", date(2026, 11, 24)),
        ("friday", date(2026, 11, 27)),
        ("today", TODAY),
    ],
)
def test_dates_as_teachers_write_them(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["31/02/2027", "banana", "", "45/13"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(BadDate):
        parse_date(text, today=TODAY)


def test_times() -> None:
    assert parse_time("14:30").hour == 14
    with pytest.raises(BadDate):
        parse_time("25:00")


def test_open_with_options_any_case() -> None:
    cmd = p("OPEN Robin Year 4 Route EHC-Assessment")
    assert cmd == c.Open(None, "Robin", "4", "ehc-assessment")


def test_case_reference_anywhere() -> None:
    assert p("status case tac-7") == c.Status("TAC-0007")
    assert p("TAC-0012 team") == c.Team("TAC-0012")


def test_consent_defaults_and_choices() -> None:
    assert p('consent given by "Jo Taylor"') == c.ConsentChange(None, True, "Jo Taylor", "parent", "all")
    cmd = p("consent withdrawn by “Jo” relationship carer scope health")
    assert cmd == c.ConsentChange(None, False, "Jo", "carer", "health")


def test_invite_needs_a_mention_and_a_known_role() -> None:
    cmd = p('invite <@anna> educational-psychologist agency "EPS" champion')
    assert isinstance(cmd, c.Invite) and cmd.person.user_id == "anna" and cmd.champion
    with pytest.raises(UsageError, match="not a person"):
        p("invite anna educational-psychologist")
    with pytest.raises(UsageError) as err:
        p("invite <@anna> educational-psycologist")
    assert err.value.hint and "educational-psychologist" in err.value.hint


def test_action_add_with_a_relative_date() -> None:
    cmd = p('action add "Phonics group" owner <@tom> due next tuesday where "Library" cost £40 outcome 2')
    assert cmd == c.ActionAdd(
        None, "Phonics group", c.PersonRef("tom", "tom"), date(2026, 11, 24), "Library", "£40", 2
    )


def test_action_add_needs_owner_and_due() -> None:
    with pytest.raises(UsageError, match="owner"):
        p('action add "x" due tomorrow')
    with pytest.raises(UsageError, match="due"):
        p('action add "x" owner <@tom>')


def test_unknown_command_suggests() -> None:
    with pytest.raises(UnknownCommand) as err:
        p("opne Robin")
    assert err.value.suggestion == "open"


def test_empty_is_help_and_teams_prefix_is_dropped() -> None:
    assert p("") == c.Help(None, None)
    assert p("tac status TAC-0001") == c.Status("TAC-0001")


def test_extra_words_are_refused() -> None:
    with pytest.raises(UsageError, match="don't understand"):
        p("team please")
