"""The school calendar: weekends, bank holidays, school holidays, DST days, the edges of working hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from scheduler.calendar import Calendars, SchoolCalendar, add_holiday, closures_of, load_calendar, parse_hours
from storage.engine import Database
from storage.repo import people

LONDON = ZoneInfo("Europe/London")
CAL = SchoolCalendar()


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def test_weekend_goes_to_monday_morning() -> None:
    saturday = local(2027, 3, 6, 10)
    assert not CAL.is_working(saturday)
    assert CAL.next_working_slot(saturday) == local(2027, 3, 8, 8).astimezone(UTC)


def test_bank_holidays_27_and_28_december_2027_are_not_school_days() -> None:
    assert not CAL.is_school_day(date(2027, 12, 27)) and not CAL.is_school_day(date(2027, 12, 28))
    assert CAL.next_working_slot(local(2027, 12, 24, 17, 0)) == local(2027, 12, 29, 8).astimezone(UTC)
    assert CAL.add_school_days(date(2027, 12, 24), 1) == date(2027, 12, 29)


def test_a_school_holiday_range_is_skipped() -> None:
    cal = SchoolCalendar(closures=((date(2027, 10, 25), date(2027, 10, 29)),))
    assert not cal.is_school_day(date(2027, 10, 27))
    assert cal.next_working_slot(local(2027, 10, 22, 17, 30)) == local(2027, 11, 1, 8).astimezone(UTC)
    assert cal.add_school_days(date(2027, 10, 22), -2) == date(2027, 10, 20)


def test_spring_forward_28_march_2027() -> None:
    # Thursday 25 March 08:00 GMT is 08:00 UTC; the clocks go forward on Sunday 28 March, and Friday 26
    # (Good Friday) and Monday 29 (Easter Monday) are bank holidays: next is Tuesday 08:00 BST = 07:00 UTC.
    assert CAL.next_working_slot(local(2027, 3, 24, 17)) == datetime(2027, 3, 25, 8, 0, tzinfo=UTC)
    slot = CAL.next_working_slot(local(2027, 3, 25, 17, 30))
    assert slot == datetime(2027, 3, 30, 7, 0, tzinfo=UTC)
    assert slot.astimezone(LONDON).time() == time(8, 0)
    assert not CAL.is_working(datetime(2027, 3, 30, 6, 59, tzinfo=UTC))  # 07:59 BST
    assert CAL.is_working(datetime(2027, 3, 30, 15, 59, tzinfo=UTC))  # 16:59 BST
    assert not CAL.is_working(datetime(2027, 3, 30, 16, 0, tzinfo=UTC))  # 17:00 BST


def test_fall_back_31_october_2027() -> None:
    # Sunday 31 October 2027 the clocks go back: Monday 08:00 GMT is 08:00 UTC (it was 07:00 UTC on Friday).
    friday = CAL.next_working_slot(local(2027, 10, 29, 7, 0))
    monday = CAL.next_working_slot(local(2027, 10, 30, 9, 0))
    assert friday == datetime(2027, 10, 29, 7, 0, tzinfo=UTC)
    assert monday == datetime(2027, 11, 1, 8, 0, tzinfo=UTC)
    assert CAL.is_working(datetime(2027, 11, 1, 16, 59, tzinfo=UTC))
    assert not CAL.is_working(datetime(2027, 11, 1, 17, 0, tzinfo=UTC))


def test_07_59_is_held_and_08_00_is_sent() -> None:
    assert not CAL.is_working(local(2027, 3, 3, 7, 59))
    assert CAL.next_working_slot(local(2027, 3, 3, 7, 59)) == local(2027, 3, 3, 8, 0).astimezone(UTC)
    assert CAL.is_working(local(2027, 3, 3, 8, 0))
    assert CAL.next_working_slot(local(2027, 3, 3, 8, 0)) == local(2027, 3, 3, 8, 0).astimezone(UTC)
    assert not CAL.is_working(local(2027, 3, 3, 17, 0))


def test_working_hours_are_configurable() -> None:
    cal = SchoolCalendar(hours=parse_hours("07:30-16:00"))
    assert cal.is_working(local(2027, 3, 3, 7, 30)) and not cal.is_working(local(2027, 3, 3, 16, 0))


def test_holiday_ranges_come_from_the_database(db: Database) -> None:
    now = datetime(2026, 9, 14, 8, 30, tzinfo=UTC)
    with db.transaction() as s:
        add_holiday(
            s,
            first_day=date(2026, 10, 26),
            last_day=date(2026, 10, 30),
            name="Half term",
            school_id=None,
            now=now,
        )
        cal = load_calendar(s, school_id=None)
    assert not cal.is_school_day(date(2026, 10, 28)) and cal.is_school_day(date(2026, 11, 2))


def test_a_pass_loads_every_schools_calendar_in_two_queries(db: Database) -> None:
    """500 schools in a batch must not mean 500 holiday queries: policies in one, holidays in one."""
    now = datetime(2026, 9, 14, 8, 30, tzinfo=UTC)
    with db.transaction() as s:
        ids = [
            people.get_or_create_school(s, platform="slack", external_id=f"T{n}", now=now).id
            for n in range(3)
        ]
        everyone = (date(2026, 10, 26), date(2026, 10, 30))
        own = (date(2026, 12, 1), date(2026, 12, 1))
        add_holiday(s, first_day=everyone[0], last_day=everyone[1], name="Half term", school_id=None, now=now)
        add_holiday(s, first_day=own[0], last_day=own[1], name="Training", school_id=ids[1], now=now)
        assert closures_of(s, school_ids=ids) == {
            ids[0]: (everyone,),
            ids[1]: (everyone, own),
            ids[2]: (everyone,),
        }
        statements: list[str] = []
        event.listen(s.connection(), "before_cursor_execute", lambda *a: statements.append(a[2]))
        calendars = Calendars(tz=LONDON, hours=(time(8), time(17)))
        calendars.preload(s, set(ids))
        assert len(statements) == 2
        cals = [calendars.get(s, i) for i in ids]  # already loaded: no more queries
        assert len(statements) == 2
    assert not cals[1].is_school_day(own[0]) and cals[0].is_school_day(own[0])
    assert not cals[2].is_school_day(date(2026, 10, 28))


CLOSURES = ((date(2027, 2, 15), date(2027, 2, 19)), (date(2027, 7, 22), date(2027, 9, 1)))


@settings(max_examples=400, deadline=None)
@given(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)),
    st.sampled_from([(time(8), time(17)), (time(7, 30), time(16)), (time(9), time(9, 1))]),
)
def test_next_working_slot_is_working_and_never_earlier(instant: datetime, hours: tuple[time, time]) -> None:
    cal = SchoolCalendar(hours=hours, closures=CLOSURES)
    slot = cal.next_working_slot(instant)
    assert slot >= instant
    assert cal.is_working(slot)
    assert slot - instant < timedelta(days=60)
    if cal.is_working(instant):
        assert slot == instant
