"""The reminder timelines of issue 4, per subject kind and route, and the queue's de-duplication."""

from __future__ import annotations

from datetime import date, datetime

from handlers.chasing.kinds import Kind
from handlers.forms.requests import default_due
from scheduler.calendar import SchoolCalendar
from scheduler.steps import KEY_WORKER, RECIPIENT, Timeline, follow_ups, steps_for
from tests.handlers.chasing.helpers import at

CAL = SchoolCalendar()
MONDAY = at(2026, 9, 14, 9, 30)


def timeline(kind: str) -> Timeline:
    found = Kind(kind).timeline
    assert found is not None
    return found


def plan(
    kind: str, due: date, route: str = "sen-support", now: datetime = MONDAY, **kw: date
) -> list[tuple[str, datetime, str]]:
    return [
        (s.name, s.at, s.audience)
        for s in steps_for(CAL, timeline=timeline(kind), due=due, route=route, now=now, **kw)
    ]


def test_action_set_well_ahead_gets_before_due_and_first_overdue() -> None:
    assert plan("action", date(2026, 9, 28)) == [
        ("before-2", at(2026, 9, 24, 8), RECIPIENT),
        ("due", at(2026, 9, 28, 8), RECIPIENT),
        ("overdue-1", at(2026, 9, 29, 8), RECIPIENT),
    ]


def test_action_due_soon_has_no_before_reminder() -> None:
    assert [name for name, *_ in plan("action", date(2026, 9, 16))] == ["due", "overdue-1"]


def test_action_due_on_a_saturday_is_chased_on_school_days() -> None:
    assert plan("action", date(2026, 10, 3))[1:] == [
        ("due", at(2026, 10, 5, 8), RECIPIENT),
        ("overdue-1", at(2026, 10, 6, 8), RECIPIENT),
    ]


def test_overdue_repeats_every_3_school_days_and_escalates_once() -> None:
    assert follow_ups(CAL, step="due", fired_at=at(2026, 9, 28, 8)) == []
    [second] = follow_ups(CAL, step="overdue-1", fired_at=at(2026, 9, 29, 8))
    assert (second.name, second.at) == ("overdue-2", at(2026, 10, 2, 8))
    third, escalation = follow_ups(CAL, step="overdue-2", fired_at=at(2026, 10, 2, 8))
    assert (third.name, third.at) == ("overdue-3", at(2026, 10, 7, 8))
    assert (escalation.name, escalation.audience, escalation.at) == (
        "escalation",
        KEY_WORKER,
        at(2026, 10, 2, 8),
    )
    assert [s.name for s in follow_ups(CAL, step="overdue-3", fired_at=at(2026, 10, 7, 8))] == ["overdue-4"]


def test_input_request_off_the_ehc_route_is_chased_like_an_action() -> None:
    assert plan("input_request", date(2026, 9, 28), requested_on=date(2026, 9, 14)) == plan(
        "action", date(2026, 9, 28)
    )


def test_ehc_assessment_advice_due_in_6_weeks_with_chasers_at_weeks_4_and_5() -> None:
    asked = date(2026, 9, 14)
    due = default_due("ehc-assessment", asked)
    assert due == date(2026, 10, 26)
    assert default_due("sen-support", asked) == date(2026, 9, 28)  # the usual 2 weeks
    assert plan("input_request", due, route="ehc-assessment", requested_on=asked) == [
        ("week-4", at(2026, 10, 12, 8), RECIPIENT),
        ("week-5", at(2026, 10, 19, 8), RECIPIENT),
        ("due", at(2026, 10, 26, 8), RECIPIENT),
        ("overdue-1", at(2026, 10, 27, 8), RECIPIENT),
    ]


def test_review_reminders_14_and_7_days_and_1_school_day_before() -> None:
    assert plan("review", date(2026, 11, 18)) == [
        ("review-14d", at(2026, 11, 4, 8), RECIPIENT),
        ("review-7d", at(2026, 11, 11, 8), RECIPIENT),
        ("review-1sd", at(2026, 11, 17, 8), RECIPIENT),
    ]


def test_annual_review_statutory_schedule() -> None:
    steps = plan("review", date(2027, 1, 20), route="annual-review", now=at(2026, 11, 2, 9))
    assert steps[3:] == [
        ("ar-invitations", at(2026, 11, 25, 8), KEY_WORKER),  # 8 weeks before
        ("ar-advice-due", at(2027, 1, 6, 8), RECIPIENT),  # 2 weeks before
        ("ar-pack", at(2027, 1, 6, 8), KEY_WORKER),
        ("ar-report-due", at(2027, 2, 3, 8), KEY_WORKER),  # 2 weeks after
    ]
