"""The consent gate's rules."""

from __future__ import annotations

from handlers.roles import ROLES, consent_covers, effective_scopes

ALL = frozenset({"education", "health", "social-care"})


def test_school_staff_need_no_consent() -> None:
    for role in ("senco", "key-worker", "class-teacher", "teaching-assistant"):
        assert consent_covers(role, frozenset())


def test_every_other_role_needs_consent() -> None:
    for role in ROLES:
        if role not in ("senco", "key-worker", "class-teacher", "teaching-assistant"):
            assert not consent_covers(role, frozenset()), role
            assert consent_covers(role, ALL), role


def test_scope_must_cover_the_agency() -> None:
    assert consent_covers("paediatrician", frozenset({"health"}))
    assert not consent_covers("paediatrician", frozenset({"education"}))
    assert not consent_covers("social-worker", frozenset({"health", "education"}))
    assert not consent_covers("other", frozenset({"health"}))


def test_withdrawal_takes_away_what_it_covered() -> None:
    assert effective_scopes([(True, "all"), (False, "health")]) == frozenset({"education", "social-care"})
    assert effective_scopes([(True, "health"), (False, "all"), (True, "education")]) == {"education"}
