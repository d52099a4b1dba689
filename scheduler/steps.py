"""When reminders fire: each ``Timeline`` planned as steps on the school calendar, by the school's policy.

Defaults from issue 4; a school overrides them with ``tacbot policy set`` (``scheduler.policy``): its
``SchoolCalendar`` carries its ``Policy``, which every function here uses unless given another one. What a
reminder is about is not known here: a reminder kind (``handlers.chasing.kinds``) names its timeline.

- ``TASK`` (actions): 2 school days before the due date (only when set further ahead than that), on the
  due day, 1 school day after, then every 3 school days while overdue; after the second overdue chaser
  the key worker is told once (escalation).
- ``ADVICE`` (input requests): the same; on the ``ehc-assessment`` route the due date defaults to 6 weeks
  after the request (SEND Regulations 2014, reg 8) and the early chasers are at weeks 4 and 5 instead.
- ``MEETING`` (reviews): members 14 and 7 days before and 1 school day before; on the ``annual-review``
  route also the statutory schedule (reg 20): invitations and advice requests 8 weeks before, advice due
  2 weeks before, the pack circulated 2 weeks before, the review report due 2 weeks after. The pre-meeting
  pack goes out at ``pack_due_at``.

Overdue repetition is never pre-created: ``follow_ups`` queues the next chaser when one is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from scheduler.calendar import SchoolCalendar
from scheduler.policy import DEFAULT, Policy

__all__ = ["DEFAULT", "KEY_WORKER", "RECIPIENT", "Policy", "Step", "Timeline"]

RECIPIENT = "recipient"
KEY_WORKER = "key_worker"
PACK_MORNING = time(8, 0)
BEFORE_MEETING = ("review-", "ar-invitations", "ar-advice-due", "ar-pack")


class Timeline(StrEnum):
    """The shapes of reminder plan a policy knows; each reminder kind chooses one."""

    TASK = "task"  # before the due date, on it, then overdue (repeated by ``follow_ups``)
    ADVICE = "advice"  # a task; on the EHC assessment route the early chasers are at weeks 4 and 5
    MEETING = "meeting"  # days before a meeting; on the annual-review route the statutory steps too


@dataclass(frozen=True, slots=True)
class Step:
    """One reminder a policy plans: its step name, when it fires (UTC) and to whom."""

    name: str
    at: datetime
    audience: str = RECIPIENT


def chaser_steps(
    cal: SchoolCalendar,
    *,
    due: date,
    now: datetime,
    policy: Policy | None = None,
    early: tuple[tuple[str, date], ...] = (),
) -> list[Step]:
    """Before / due-day / first overdue chasers of something due on ``due``; past steps are dropped."""
    policy = policy or cal.policy
    steps: list[Step] = []
    if early:
        steps += [Step(name, cal.slot_on(day)) for name, day in early]
    else:
        before = cal.add_school_days(cal.next_school_day(due), -policy.before_school_days)
        steps.append(Step(f"before-{policy.before_school_days}", cal.day_start(before)))
    steps.append(Step("due", cal.slot_on(due)))
    first_overdue = cal.add_school_days(cal.next_school_day(due), policy.after_school_days)
    steps.append(Step("overdue-1", cal.day_start(first_overdue)))
    return [s for s in steps if s.name in ("due", "overdue-1") or s.at > now]


def action_steps(
    cal: SchoolCalendar, *, due: date, now: datetime, policy: Policy | None = None
) -> list[Step]:
    """The reminders of a plan action due on ``due``, planned at ``now``."""
    return chaser_steps(cal, due=due, now=now, policy=policy)


def input_request_steps(
    cal: SchoolCalendar,
    *,
    due: date,
    route: str,
    requested_on: date,
    now: datetime,
    policy: Policy | None = None,
) -> list[Step]:
    """The chasers of a requested input; the EHC assessment route chases at weeks 4 and 5 (by default)."""
    policy = policy or cal.policy
    early: tuple[tuple[str, date], ...] = ()
    if route == "ehc-assessment":
        weeks = sorted(policy.ehc_chaser_weeks)
        early = tuple((f"week-{w}", requested_on + timedelta(weeks=w)) for w in weeks)
        early = tuple((name, day) for name, day in early if day < due)
    return chaser_steps(cal, due=due, now=now, policy=policy, early=early)


def review_steps(
    cal: SchoolCalendar, *, meeting: date, route: str, now: datetime, policy: Policy | None = None
) -> list[Step]:
    """Reminders of a review meeting on ``meeting``; "before" steps fall back to an earlier school day."""
    policy = policy or cal.policy

    def weeks_before(n: int) -> datetime:
        return cal.day_start(cal.previous_school_day(meeting - timedelta(weeks=n)))

    steps = [
        Step(f"review-{days}d", cal.day_start(cal.previous_school_day(meeting - timedelta(days=days))))
        for days in policy.review_days_before
    ]
    day_before = cal.add_school_days(meeting, -policy.review_school_days_before)
    steps.append(Step(f"review-{policy.review_school_days_before}sd", cal.day_start(day_before)))
    if route == "annual-review":
        steps += [
            Step("ar-invitations", weeks_before(policy.ar_invitations_weeks), KEY_WORKER),
            Step("ar-advice-due", weeks_before(policy.ar_advice_due_weeks)),
            Step("ar-pack", weeks_before(policy.ar_pack_weeks), KEY_WORKER),
            Step("ar-report-due", cal.slot_on(meeting + timedelta(weeks=policy.ar_report_weeks)), KEY_WORKER),
        ]
    return [s for s in steps if s.at > now]


def steps_for(
    cal: SchoolCalendar,
    *,
    timeline: Timeline,
    due: date,
    route: str,
    now: datetime,
    requested_on: date | None = None,
    policy: Policy | None = None,
) -> list[Step]:
    """The steps of ``timeline`` for something due (or a meeting) on ``due``."""
    if timeline is Timeline.MEETING:
        return review_steps(cal, meeting=due, route=route, now=now, policy=policy)
    if timeline is Timeline.ADVICE:
        asked = requested_on or cal.local(now).date()
        return input_request_steps(cal, due=due, route=route, requested_on=asked, now=now, policy=policy)
    return action_steps(cal, due=due, now=now, policy=policy)


def overdue_number(step: str) -> int | None:
    """``"overdue-3"`` -> 3; None for any other step."""
    name, _, n = step.partition("-")
    return int(n) if name == "overdue" and n.isdigit() else None


def follow_ups(
    cal: SchoolCalendar, *, step: str, fired_at: datetime, policy: Policy | None = None
) -> list[Step]:
    """What to queue when ``step`` has been sent: the next overdue chaser, and the escalation once."""
    n = overdue_number(step)
    if n is None:
        return []
    policy = policy or cal.policy
    fired_day = cal.local(fired_at).date()
    nxt = cal.day_start(cal.add_school_days(cal.next_school_day(fired_day), policy.repeat_school_days))
    steps = [Step(f"overdue-{n + 1}", nxt)]
    if n == policy.escalate_after_overdue:
        steps.append(Step("escalation", cal.next_working_slot(fired_at), KEY_WORKER))
    return steps


def too_late(step: str, due: date | None, today: date) -> bool:
    """A step ahead of something that has come: "before" chasers on the day, meeting ones after it."""
    if due is None:
        return False
    if step.startswith("before"):
        return today >= due
    return step.startswith(BEFORE_MEETING) and today > due


def pack_lead(route: str, policy: Policy = DEFAULT) -> timedelta:
    """How long before the meeting the pack goes out on this route, by the school's policy."""
    return timedelta(weeks=policy.ar_pack_weeks if route == "annual-review" else policy.pack_weeks)


def pack_due_at(*, route: str, starts_at: datetime, tz: ZoneInfo, policy: Policy = DEFAULT) -> datetime:
    """When the pack goes out: 08:00 at the school on the day 1 or 2 weeks before, never later than that."""
    latest = starts_at - pack_lead(route, policy)
    morning = datetime.combine(latest.astimezone(tz).date(), PACK_MORNING, tzinfo=tz).astimezone(UTC)
    return min(morning, latest)
