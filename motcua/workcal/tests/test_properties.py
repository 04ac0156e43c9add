"""Properties of the working-time operations over the seeded 2020–2035 calendar (hypothesis, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import holidays
from hypothesis import given
from hypothesis import strategies as st

from motcua.workcal.calendar import VN_TZ, add_working_time, is_working, next_working_instant, working_time_between
from motcua.workcal.legal import due_time
from motcua.workcal.tests.helpers import CALENDAR

ZONES = st.sampled_from([VN_TZ, UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5))])
# Far enough from both ends of the calendar that 1,000 working days (about 4 years) always fit; hypothesis
# takes naive bounds, read in each drawn zone.
instants = st.datetimes(
    min_value=datetime(2020, 1, 2),  # noqa: DTZ001
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=ZONES,
)
whole_days = st.integers(min_value=0, max_value=500)
quarter_days = st.integers(min_value=0, max_value=4 * 500).map(lambda q: Decimal(q) / 4)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=7.5 * 500))
DAY = CALENDAR.day_length
COUNTRY = holidays.country_holidays("VN", years=range(2020, 2036))


def in_office_hours(t: datetime) -> bool:
    """On a working day, from an opening to a closing (both included)."""
    local = t.astimezone(VN_TZ)
    clock = local.time()
    return CALENDAR.is_working_day(local.date()) and any(o <= clock <= c for o, c in CALENDAR.hours.intervals)


def reference_due(t: datetime, days: int) -> datetime:
    """A day-by-day walk over the `holidays` package's own working days: an independent oracle."""
    local = t.astimezone(VN_TZ)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    (morning_open, morning_close), (afternoon_open, afternoon_close) = CALENDAR.hours.intervals
    if not COUNTRY.is_working_day(day) or clock > afternoon_close:
        day, clock = _next_working_day(day), morning_open
    elif clock < morning_open:
        clock = morning_open
    elif morning_close < clock < afternoon_open:
        clock = afternoon_open
    for _ in range(days):
        day = _next_working_day(day)
    return datetime.combine(day, clock, tzinfo=VN_TZ)


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not COUNTRY.is_working_day(day):
        day += timedelta(days=1)
    return day


@given(instants, quarter_days)
def test_days_land_in_office_hours(t: datetime, days: Decimal) -> None:
    assert in_office_hours(add_working_time(t, days=days, calendar=CALENDAR))


@given(instants, durations)
def test_durations_land_in_office_hours(t: datetime, duration: timedelta) -> None:
    assert in_office_hours(add_working_time(t, duration=duration, calendar=CALENDAR))


@given(instants, instants, quarter_days)
def test_monotone_in_the_start(a: datetime, b: datetime, days: Decimal) -> None:
    first, second = sorted((a, b))
    assert add_working_time(first, days=days, calendar=CALENDAR) <= add_working_time(
        second, days=days, calendar=CALENDAR
    )


@given(instants, whole_days, whole_days)
def test_whole_days_compose_exactly(t: datetime, a: int, b: int) -> None:
    once = add_working_time(t, days=a + b, calendar=CALENDAR)
    assert add_working_time(add_working_time(t, days=a, calendar=CALENDAR), days=b, calendar=CALENDAR) == once


@given(instants, quarter_days, quarter_days)
def test_fractions_compose_in_working_time(t: datetime, a: Decimal, b: Decimal) -> None:
    twice = add_working_time(add_working_time(t, days=a, calendar=CALENDAR), days=b, calendar=CALENDAR)
    assert working_time_between(t, twice, CALENDAR) == DAY * float(a + b)


@given(instants, quarter_days)
def test_between_inverts_add(t: datetime, days: Decimal) -> None:
    assert working_time_between(t, add_working_time(t, days=days, calendar=CALENDAR), CALENDAR) == DAY * float(days)


@given(instants, durations)
def test_between_inverts_add_to_the_microsecond(t: datetime, duration: timedelta) -> None:
    assert working_time_between(t, add_working_time(t, duration=duration, calendar=CALENDAR), CALENDAR) == duration


@given(instants, whole_days)
def test_whole_days_keep_the_clock_time(t: datetime, days: int) -> None:
    start = add_working_time(t, days=0, calendar=CALENDAR)  # where counting starts
    assert add_working_time(t, days=days, calendar=CALENDAR).time() == start.time()


@given(instants, whole_days)
def test_due_time_matches_a_day_by_day_walk(t: datetime, days: int) -> None:
    assert due_time(t, days=days, calendar=CALENDAR) == reference_due(t, days)


@given(instants, instants, instants)
def test_between_is_antisymmetric_and_additive(a: datetime, b: datetime, c: datetime) -> None:
    ab = working_time_between(a, b, CALENDAR)
    assert working_time_between(b, a, CALENDAR) == -ab
    assert ab + working_time_between(b, c, CALENDAR) == working_time_between(a, c, CALENDAR)
    assert (ab > timedelta(0)) <= (a < b)


@given(instants)
def test_next_working_instant(t: datetime) -> None:
    opening = next_working_instant(t, CALENDAR)
    assert opening >= t
    assert is_working(opening, CALENDAR)
    assert working_time_between(t, opening, CALENDAR) == timedelta(0)
    if is_working(t, CALENDAR):
        assert opening == t


@given(instants)
def test_same_day_due_is_a_closing_time_within_two_days(t: datetime) -> None:
    due = due_time(t, days=0, calendar=CALENDAR, same_day=True)
    assert due.time() == time(17, 0)
    assert timedelta(0) < working_time_between(t, due, CALENDAR) <= 2 * DAY
