"""The policy's numbers: defaults as issue 4 and the regulations say, validation naming the bad key."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.chasing.kinds import Kind
from scheduler import queue
from scheduler.calendar import SchoolCalendar, load_calendar
from scheduler.policy import DEFAULT, SETTINGS, Policy, PolicyError, coerce, effective
from scheduler.steps import Timeline, follow_ups, pack_due_at, steps_for
from storage.engine import Database
from storage.repo import people
from storage.repo import policies as policy_repo
from tests.handlers.chasing.helpers import at

MONDAY = at(2026, 9, 14, 9, 30)


def test_defaults_are_the_statutory_and_issue_4_numbers() -> None:
    assert (DEFAULT.ehc_advice_weeks, DEFAULT.ehc_chaser_weeks) == (6, (4, 5))
    assert (DEFAULT.ar_invitations_weeks, DEFAULT.ar_advice_due_weeks) == (8, 2)
    assert (DEFAULT.ar_pack_weeks, DEFAULT.ar_report_weeks, DEFAULT.pack_weeks) == (2, 2, 1)
    assert (DEFAULT.repeat_school_days, DEFAULT.escalate_after_overdue) == (3, 2)
    assert [s.key for s in SETTINGS] == list(Policy.__dataclass_fields__)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ehc_advice_weeks": 21}, "ehc_advice_weeks: 21 is outside 1-20"),
        ({"ehc_advice_weeks": 0}, "ehc_advice_weeks: 0 is outside 1-20"),
        ({"repeat_school_days": "three"}, "repeat_school_days: `three` is not a whole number"),
        ({"repeat_school_days": True}, "repeat_school_days: `True` is not a whole number"),
        ({"ehc_advice_weeks": 5}, "ehc_chaser_weeks: each chaser must come before the due week"),
        ({"ehc_chaser_weeks": "4,6"}, "ehc_chaser_weeks: each chaser must come before the due week"),
        ({"ehc_chaser_weeks": [4, 4]}, "ehc_chaser_weeks: a number is repeated"),
        ({"review_days_before": ""}, "review_days_before: `` is not a whole number"),
        ({"ar_invitations_weeks": 2}, "ar_invitations_weeks: must be more than ar_advice_due_weeks"),
        ({"escalate_after_overdue": "1,2"}, "escalate_after_overdue: give one number"),
        ({"nonsense": 1}, "nonsense: no such setting"),
    ],
)
def test_bad_overrides_are_refused_naming_the_key(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(PolicyError, match=message.replace("(", r"\(")):
        DEFAULT.overridden(overrides)


def test_text_and_json_values_are_read_as_the_field_types() -> None:
    assert coerce("ehc_chaser_weeks", "3, 5") == (3, 5)
    assert coerce("ehc_chaser_weeks", [6, 7]) == (6, 7)
    assert coerce("repeat_school_days", "5") == 5
    policy = DEFAULT.overridden({"ehc_advice_weeks": 8, "ehc_chaser_weeks": [6, 7]})
    assert (policy.ehc_advice_weeks, policy.ehc_chaser_weeks) == (8, (6, 7))


def test_the_school_layer_wins_and_a_clashing_layer_is_left_out() -> None:
    layers = {None: {"repeat_school_days": 4, "ehc_chaser_weeks": [6, 7]}, 1: {"ehc_advice_weeks": 9}}
    assert effective(layers, school_id=1) == Policy(
        repeat_school_days=4, ehc_chaser_weeks=(6, 7), ehc_advice_weeks=9
    )
    assert effective(layers, school_id=2) == DEFAULT  # chasers at 6 and 7 clash with the 6-week default
    assert effective({None: {"repeat_school_days": 99}}, school_id=1) == DEFAULT


def test_the_calendar_carries_the_policy_every_planner_uses() -> None:
    cal = SchoolCalendar(policy=Policy(before_school_days=4, repeat_school_days=5, ar_invitations_weeks=10))
    names = [
        (s.name, s.at)
        for s in steps_for(cal, timeline=Timeline.TASK, due=date(2026, 10, 5), route="x", now=MONDAY)
    ]
    assert names[0] == ("before-4", at(2026, 9, 29, 8))
    review = steps_for(
        cal, timeline=Timeline.MEETING, due=date(2026, 12, 7), route="annual-review", now=MONDAY
    )
    assert ("ar-invitations", at(2026, 9, 28, 8)) in [(s.name, s.at) for s in review]
    nxt = follow_ups(cal, step="overdue-1", fired_at=at(2026, 10, 6, 9))
    assert [(s.name, s.at) for s in nxt] == [("overdue-2", at(2026, 10, 13, 8))]


def test_load_calendar_reads_the_school_and_all_schools_rows(db: Database) -> None:
    with db.transaction() as s:
        school = people.get_or_create_school(s, platform="console", external_id="T1", now=MONDAY)
        policy_repo.set_overrides(s, school_id=None, values={"pack_weeks": 3}, now=MONDAY, by="t")
        policy_repo.set_overrides(s, school_id=school.id, values={"pack_weeks": 2}, now=MONDAY, by="t")
        assert load_calendar(s, school_id=school.id).policy.pack_weeks == 2
        assert load_calendar(s, school_id=None).policy.pack_weeks == 3
        assert policy_repo.reset(s, school_id=school.id, keys=None, now=MONDAY, by="t") == ["pack_weeks"]
        assert load_calendar(s, school_id=school.id).policy.pack_weeks == 3


def test_the_queue_plans_by_the_calendars_policy_unless_given_another() -> None:
    cal = SchoolCalendar(policy=Policy(before_school_days=4, ar_pack_weeks=3))
    target = queue.Target(Kind.ACTION, 1, school_id=1, case_id=1, recipient_id=1)
    rows = queue.plan(target, cal=cal, due=date(2026, 10, 5), route="x", now=MONDAY)
    assert rows[0].step == "before-4"
    rows = queue.plan(target, cal=cal, due=date(2026, 10, 5), route="x", now=MONDAY, policy=DEFAULT)
    assert rows[0].step == "before-2"
    meeting = at(2026, 12, 7, 10)
    assert pack_due_at(route="annual-review", starts_at=meeting, tz=cal.tz, policy=cal.policy) == at(
        2026, 11, 16, 8
    )
    assert pack_due_at(route="annual-review", starts_at=meeting, tz=cal.tz) == at(2026, 11, 23, 8)
