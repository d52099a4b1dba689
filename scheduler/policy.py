"""The numbers of a school's chasing policy: issue 4's defaults, each overridable per school, validated.

Pure (no database): ``storage.repo.policies`` keeps a school's overrides as JSON and
``scheduler.calendar.load_calendar`` merges them (defaults < the all-schools row < the school's own row)
into the ``Policy`` the school's ``SchoolCalendar`` carries, so every planner and follow-up uses it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

log = logging.getLogger(__name__)


# SEND Regulations 2014 reg 8: the statutory deadline itself, which a school's policy does not move (the
# digest's "at risk" line uses it); ``Policy.ehc_advice_weeks`` is only the default due date it plans by.
STATUTORY_EHC_ADVICE_WEEKS = 6


class PolicyError(ValueError):
    """A bad override; the message names the key."""


@dataclass(frozen=True, slots=True)
class Setting:
    """What one key means, its allowed range and where its default comes from."""

    key: str
    meaning: str
    low: int
    high: int
    source: str


SETTINGS: tuple[Setting, ...] = (
    Setting("before_school_days", "action/input chaser, school days before the due date", 1, 20, "issue 4"),
    Setting("after_school_days", "first overdue chaser, school days after the due date", 1, 20, "issue 4"),
    Setting("repeat_school_days", "then every N school days while overdue", 1, 20, "issue 4"),
    Setting(
        "escalate_after_overdue", "tell the key worker after this many overdue chasers", 1, 10, "issue 4"
    ),
    Setting("review_days_before", "review reminders, calendar days before (list)", 1, 60, "issue 4"),
    Setting("review_school_days_before", "last review reminder, school days before", 1, 10, "issue 4"),
    Setting("input_due_weeks", "input requests: default due date, weeks after the request", 1, 12, "issue 5"),
    Setting(
        "ehc_advice_weeks",
        "EHC assessment advice: due weeks after the request",
        1,
        20,
        "SEND Regulations 2014 reg 8: 6 weeks",
    ),
    Setting(
        "ehc_chaser_weeks",
        "EHC assessment advice: chasers at these weeks (list, before the due week)",
        1,
        19,
        "issue 4 (weeks 4 and 5 of reg 8's 6)",
    ),
    Setting(
        "ar_invitations_weeks",
        "annual review: invitations and advice requests, weeks before",
        1,
        16,
        "issue 4 (practice; reg 20 sets no date for it)",
    ),
    Setting(
        "ar_advice_due_weeks",
        "annual review: advice due, weeks before",
        1,
        8,
        "SEND Regulations 2014 reg 20: 2 weeks",
    ),
    Setting(
        "ar_pack_weeks",
        "annual review: pack circulated, weeks before",
        1,
        8,
        "SEND Regulations 2014 reg 20: 2 weeks",
    ),
    Setting(
        "ar_report_weeks",
        "annual review: report due, weeks after the meeting",
        1,
        8,
        "SEND Regulations 2014 reg 20: 2 weeks",
    ),
    Setting("pack_weeks", "other reviews: pack posted, weeks before", 1, 8, "issue 6"),
    Setting(
        "referral_sent_school_days", "a referral still sent is chased after N school days", 1, 60, "issue 15"
    ),
    Setting(
        "referral_overdue_school_days",
        "a referral waiting past its expected wait is chased N school days after",
        1,
        20,
        "issue 15",
    ),
    Setting(
        "retention_years",
        "a case's records are kept until the pupil's date of birth plus this many years",
        25,
        100,
        "IRMS Information Management Toolkit for Schools (SEN files): date of birth + 31 years",
    ),
)
BY_KEY = {s.key: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Policy:
    """The numbers of the chasing policy; the defaults are issue 4's (and the statutory ones)."""

    before_school_days: int = 2
    after_school_days: int = 1
    repeat_school_days: int = 3
    escalate_after_overdue: int = 2
    review_days_before: tuple[int, ...] = (14, 7)
    review_school_days_before: int = 1
    input_due_weeks: int = 2
    ehc_advice_weeks: int = 6
    ehc_chaser_weeks: tuple[int, ...] = (4, 5)
    ar_invitations_weeks: int = 8
    ar_advice_due_weeks: int = 2
    ar_pack_weeks: int = 2
    ar_report_weeks: int = 2
    pack_weeks: int = 1
    referral_sent_school_days: int = 10
    referral_overdue_school_days: int = 1
    retention_years: int = 31

    def __post_init__(self) -> None:
        for f in fields(self):
            _check(f.name, getattr(self, f.name))
        if any(w >= self.ehc_advice_weeks for w in self.ehc_chaser_weeks):
            due = self.ehc_advice_weeks
            raise PolicyError(
                f"ehc_chaser_weeks: each chaser must come before the due week (ehc_advice_weeks={due})"
            )
        if self.ar_invitations_weeks <= self.ar_advice_due_weeks:
            raise PolicyError(
                f"ar_invitations_weeks: must be more than ar_advice_due_weeks ({self.ar_advice_due_weeks})"
            )

    def overridden(self, overrides: Mapping[str, Any]) -> Policy:
        """This policy with ``overrides`` applied; PolicyError naming the first bad key."""
        values: dict[str, Any] = {key: coerce(key, value) for key, value in overrides.items()}
        return replace(self, **values)


def _check(key: str, value: object) -> None:
    setting = BY_KEY[key]
    values = value if isinstance(value, tuple) else (value,)
    if isinstance(value, tuple) and not value:
        raise PolicyError(f"{key}: give at least one number")
    for v in values:
        if not isinstance(v, int) or isinstance(v, bool):
            raise PolicyError(f"{key}: `{v}` is not a whole number")
        if not setting.low <= v <= setting.high:
            raise PolicyError(f"{key}: {v} is outside {setting.low}-{setting.high}")
    if isinstance(value, tuple) and len(set(values)) != len(values):
        raise PolicyError(f"{key}: a number is repeated")


def is_list(key: str) -> bool:
    return isinstance(getattr(DEFAULT, key), tuple)


def coerce(key: str, value: object) -> int | tuple[int, ...]:
    """A value from the CLI (text) or JSON (int / list) as the field's type; PolicyError naming the key."""
    if key not in BY_KEY:
        raise PolicyError(f"{key}: no such setting (try one of {', '.join(BY_KEY)})")
    items: list[object]
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",")]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        items = [value]
    numbers: list[int] = []
    for item in items:
        if isinstance(item, str) and item.lstrip("-").isdigit():
            item = int(item)
        if not isinstance(item, int) or isinstance(item, bool):
            raise PolicyError(f"{key}: `{item}` is not a whole number")
        numbers.append(item)
    if is_list(key):
        result: int | tuple[int, ...] = tuple(numbers)
    elif len(numbers) != 1:
        raise PolicyError(f"{key}: give one number")
    else:
        result = numbers[0]
    _check(key, result)
    return result


def as_json(key: str, value: int | tuple[int, ...]) -> int | list[int]:
    return list(value) if isinstance(value, tuple) else value


DEFAULT = Policy()


def effective(layers: Mapping[int | None, Mapping[str, Any]], *, school_id: int | None) -> Policy:
    """Defaults, then the all-schools overrides, then the school's own; a layer that no longer validates
    (edited by hand, or clashing with the other layer) is left out, so reminders never stop."""
    shared, own = layers.get(None, {}), layers.get(school_id, {}) if school_id is not None else {}
    for chosen in ({**shared, **own}, dict(own), dict(shared)):
        try:
            return DEFAULT.overridden(chosen)
        except PolicyError as error:
            log.warning("policy of school %s: %s; leaving some overrides out", school_id, error)
    return DEFAULT
