"""The school calendar: working hours on school days, in the school's time zone, correct across DST.

A school day is Monday to Friday, not an England and Wales bank holiday (the ``holidays`` package) and not
inside one of the school's own holiday ranges (table ``school_holidays``, managed with
``tacbot calendar holiday add``). The calendar also carries the school's chasing ``Policy`` (its overrides
from ``school_policies``, ``tacbot policy set``), loaded in the same place. A working slot is an instant
on a school day within working hours (default 08:00-17:00 local, start included, end excluded).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from scheduler.policy import DEFAULT, Policy, effective
from storage.models import SchoolHoliday
from storage.repo import policies as policy_repo

LONDON = ZoneInfo("Europe/London")
DEFAULT_HOURS = (time(8, 0), time(17, 0))


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays of ``year`` (substitute days included)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def parse_hours(text: str) -> tuple[time, time]:
    """``"08:00-17:00"`` -> (08:00, 17:00). Raises ValueError for anything else."""
    start, sep, end = text.strip().partition("-")
    if not sep:
        raise ValueError(f"`{text}` is not HH:MM-HH:MM")
    hours = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    if not hours[0] < hours[1]:
        raise ValueError(f"working hours `{text}` must start before they end")
    return hours


@dataclass(frozen=True, slots=True)
class SchoolCalendar:
    """Working time of one school. Pure: build it with ``load_calendar`` or directly in tests."""

    tz: ZoneInfo = LONDON
    hours: tuple[time, time] = DEFAULT_HOURS
    closures: tuple[tuple[date, date], ...] = field(default_factory=tuple)
    policy: Policy = DEFAULT

    def is_school_day(self, day: date) -> bool:
        if day.weekday() >= 5 or is_bank_holiday(day):
            return False
        return not any(first <= day <= last for first, last in self.closures)

    def local(self, instant: datetime) -> datetime:
        if instant.tzinfo is None:
            raise ValueError("a timezone-aware instant is needed")
        return instant.astimezone(self.tz)

    def is_working(self, instant: datetime) -> bool:
        """Whether ``instant`` is inside working hours on a school day (local time)."""
        local = self.local(instant)
        start, end = self.hours
        return self.is_school_day(local.date()) and start <= local.time().replace(tzinfo=None) < end

    def day_start(self, day: date) -> datetime:
        """The UTC instant working hours start on ``day`` (local wall time, whatever the offset)."""
        return datetime.combine(day, self.hours[0], tzinfo=self.tz).astimezone(UTC)

    def next_school_day(self, day: date) -> date:
        """``day`` itself if it is a school day, else the first school day after it."""
        for _ in range(400):
            if self.is_school_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no school day within 400 days: check the school's holiday ranges")

    def previous_school_day(self, day: date) -> date:
        """``day`` itself if it is a school day, else the last school day before it."""
        for _ in range(400):
            if self.is_school_day(day):
                return day
            day -= timedelta(days=1)
        raise ValueError("no school day within 400 days: check the school's holiday ranges")

    def add_school_days(self, day: date, n: int) -> date:
        """The n-th school day after ``day`` (n > 0) or before it (n < 0); n == 0 is ``day``."""
        step = 1 if n > 0 else -1
        for _ in range(abs(n)):
            day += timedelta(days=step)
            while not self.is_school_day(day):
                day += timedelta(days=step)
        return day

    def next_working_slot(self, instant: datetime) -> datetime:
        """``instant`` if it is working time, else the start of the next working period (UTC)."""
        if self.is_working(instant):
            return instant.astimezone(UTC)
        local = self.local(instant)
        day = local.date()
        if not (self.is_school_day(day) and local.time().replace(tzinfo=None) < self.hours[0]):
            day = self.next_school_day(day + timedelta(days=1))
        return self.day_start(day)

    def slot_on(self, day: date) -> datetime:
        """The first working instant on ``day``, or on the next school day if ``day`` is not one."""
        return self.day_start(self.next_school_day(day))


def closures(session: Session, *, school_id: int | None) -> tuple[tuple[date, date], ...]:
    """The holiday ranges that apply to a school: its own and the deployment-wide ones."""
    query = select(SchoolHoliday.first_day, SchoolHoliday.last_day)
    if school_id is None:
        query = query.where(SchoolHoliday.school_id.is_(None))
    else:
        query = query.where(or_(SchoolHoliday.school_id.is_(None), SchoolHoliday.school_id == school_id))
    return tuple((first, last) for first, last in session.execute(query.order_by(SchoolHoliday.first_day)))


def closures_of(session: Session, *, school_ids: Iterable[int]) -> dict[int, tuple[tuple[date, date], ...]]:
    """``closures`` of many schools in one query (a pass over 500 schools must not ask 500 times)."""
    ids = set(school_ids)
    rows = session.execute(
        select(SchoolHoliday.school_id, SchoolHoliday.first_day, SchoolHoliday.last_day)
        .where(or_(SchoolHoliday.school_id.is_(None), SchoolHoliday.school_id.in_(ids)))
        .order_by(SchoolHoliday.first_day)
    ).all()
    return {i: tuple((first, last) for owner, first, last in rows if owner in (None, i)) for i in ids}


def load_calendar(
    session: Session,
    *,
    school_id: int | None,
    tz: ZoneInfo = LONDON,
    hours: tuple[time, time] = DEFAULT_HOURS,
    policy: Policy | None = None,
) -> SchoolCalendar:
    """The calendar of one school, its holiday ranges and policy read from the database (or ``policy``)."""
    if policy is None:
        policy = load_policies(session, school_ids=[] if school_id is None else [school_id]).get(school_id)
    return SchoolCalendar(
        tz=tz, hours=hours, closures=closures(session, school_id=school_id), policy=policy or DEFAULT
    )


def load_policies(session: Session, *, school_ids: Iterable[int]) -> dict[int | None, Policy]:
    """The effective policy of each school (and of "all schools", key None), in one query."""
    ids = set(school_ids)
    layers = policy_repo.layers(session, school_ids=ids)
    return {school_id: effective(layers, school_id=school_id) for school_id in [None, *ids]}


def add_holiday(
    session: Session, *, first_day: date, last_day: date, name: str, school_id: int | None, now: datetime
) -> SchoolHoliday:
    """Record a school holiday range (inclusive); ValueError when it ends before it starts."""
    if last_day < first_day:
        raise ValueError(f"{last_day} is before {first_day}")
    holiday = SchoolHoliday(
        school_id=school_id, first_day=first_day, last_day=last_day, name=name, created_at=now
    )
    session.add(holiday)
    session.flush()
    return holiday


def list_holidays(session: Session, *, school_id: int | None = None) -> Iterable[SchoolHoliday]:
    query = select(SchoolHoliday).order_by(SchoolHoliday.first_day)
    if school_id is not None:
        query = query.where(or_(SchoolHoliday.school_id.is_(None), SchoolHoliday.school_id == school_id))
    return session.scalars(query).all()


class Calendars:
    """Calendars and policies per school, each loaded once per pass (a batch's policies in one query)."""

    def __init__(self, *, tz: ZoneInfo, hours: tuple[time, time]) -> None:
        self.tz, self.hours = tz, hours
        self.by_school: dict[int, SchoolCalendar] = {}
        self.policies: dict[int | None, Policy] = {}

    def preload(self, session: Session, school_ids: set[int]) -> None:
        """Load the calendars of the schools not seen yet in this pass: their policies in one query,
        their holidays in another."""
        missing = school_ids - self.by_school.keys()
        if not missing:
            return
        self.policies.update(load_policies(session, school_ids=missing))
        for school_id, closed in closures_of(session, school_ids=missing).items():
            self.by_school[school_id] = SchoolCalendar(
                tz=self.tz, hours=self.hours, closures=closed, policy=self.policies[school_id]
            )

    def get(self, session: Session, school_id: int) -> SchoolCalendar:
        self.preload(session, {school_id})
        return self.by_school[school_id]
