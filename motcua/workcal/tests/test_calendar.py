"""The calendar and its arithmetic, without a database: official 2025–2026 calendars and the conventions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import holidays
import pytest

from motcua.workcal.build import Override, OverrideKind, build_calendar, override_problem
from motcua.workcal.calendar import (
    DailyHours,
    DayKind,
    add_working_time,
    is_working,
    next_working_instant,
    working_time_between,
)
from motcua.workcal.errors import CalendarYearOutOfRange, InvalidAmount, NaiveDatetime
from motcua.workcal.tests.helpers import CALENDAR, vn


def _days(first: date, last: date) -> list[date]:
    return [date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1)]


# Official calendars for civil servants (domain.md §10) ------------------------------------------------

DAYS_OFF = [
    *_days(date(2025, 1, 25), date(2025, 2, 2)),  # Tết Ất Tỵ
    date(2025, 4, 7),  # Giỗ Tổ Hùng Vương
    date(2025, 4, 30),
    date(2025, 5, 1),
    date(2025, 5, 2),  # swapped with Saturday 26/04/2025
    date(2025, 9, 1),
    date(2025, 9, 2),  # Quốc khánh
    date(2026, 1, 1),
    *_days(date(2026, 2, 14), date(2026, 2, 22)),  # Tết Bính Ngọ
    date(2026, 4, 26),  # Giỗ Tổ Hùng Vương on a Sunday ...
    date(2026, 4, 27),  # ... so Monday is off (nghỉ bù)
    date(2026, 4, 30),
    date(2026, 5, 1),
    *_days(date(2026, 8, 31), date(2026, 9, 2)),  # Quốc khánh, 31/08 swapped with Saturday 22/08/2026
]
WORKING_DAYS = [
    date(2025, 1, 24),
    date(2025, 2, 3),
    date(2025, 4, 26),  # Saturday worked (làm bù)
    date(2025, 4, 29),
    date(2025, 5, 5),
    date(2025, 9, 3),
    date(2026, 2, 13),
    date(2026, 2, 23),
    date(2026, 4, 28),
    date(2026, 5, 4),
    date(2026, 8, 22),  # Saturday worked (làm bù)
    date(2026, 8, 28),
    date(2026, 9, 3),
]


@pytest.mark.parametrize("day", DAYS_OFF, ids=str)
def test_official_days_off(day: date) -> None:
    assert not CALENDAR.is_working_day(day)
    assert not CALENDAR.day(day).working


@pytest.mark.parametrize("day", WORKING_DAYS, ids=str)
def test_official_working_days(day: date) -> None:
    assert CALENDAR.is_working_day(day)


def test_make_up_saturdays_say_which_day_they_replace() -> None:
    assert CALENDAR.day(date(2025, 4, 26)).kind is DayKind.MAKEUP_WORKING_DAY
    assert CALENDAR.day(date(2025, 4, 26)).reason == "Làm bù cho ngày nghỉ 02/05/2025"
    assert CALENDAR.day(date(2026, 8, 22)).reason == "Làm bù cho ngày nghỉ 31/08/2026"


def test_every_day_matches_the_holidays_package() -> None:
    country = holidays.country_holidays("VN", years=range(2020, 2036))
    for day in _days(date(2020, 1, 1), date(2035, 12, 31)):
        assert CALENDAR.is_working_day(day) == country.is_working_day(day), day


def test_days_of_year_says_why() -> None:
    days = CALENDAR.days_of_year(2026)
    assert len(days) == 365
    by_date = {d.date: d for d in days}
    assert by_date[date(2026, 1, 1)].kind is DayKind.HOLIDAY
    assert by_date[date(2026, 1, 1)].reason == "Tết Dương lịch"
    assert by_date[date(2026, 1, 3)].reason == "Thứ Bảy"
    assert by_date[date(2026, 1, 5)].reason == "Ngày làm việc"
    # The package's choice for 24/11 is followed (build.py), and can be removed by an override.
    assert by_date[date(2026, 11, 24)].reason == "Ngày Văn hóa Việt Nam"
    assert sum(d.working for d in days) == 249


# Due times on the official calendars ----------------------------------------------------------------

DUE_TABLE = [
    # (received, working days, due)
    (vn(2025, 1, 24, 9, 12), 1, vn(2025, 2, 3, 9, 12)),  # over Tết 2025
    (vn(2025, 1, 24, 9, 12), 3, vn(2025, 2, 5, 9, 12)),
    (vn(2025, 1, 25, 10, 0), 1, vn(2025, 2, 4, 7, 30)),  # received on a Saturday of Tết: from Monday's opening
    (vn(2025, 4, 25, 10, 0), 1, vn(2025, 4, 26, 10, 0)),  # the make-up Saturday counts
    (vn(2025, 4, 26, 10, 0), 3, vn(2025, 5, 5, 10, 0)),  # 30/4, 1/5 and the swapped 2/5 are off
    (vn(2025, 8, 29, 9, 0), 1, vn(2025, 9, 3, 9, 0)),  # Quốc khánh 2025
    (vn(2026, 2, 13, 14, 0), 1, vn(2026, 2, 23, 14, 0)),  # over Tết 2026
    (vn(2026, 4, 24, 8, 0), 1, vn(2026, 4, 28, 8, 0)),  # Monday 27/4 is the nghỉ bù of Sunday 26/4
    (vn(2026, 4, 29, 8, 0), 1, vn(2026, 5, 4, 8, 0)),
    (vn(2026, 8, 21, 16, 0), 1, vn(2026, 8, 22, 16, 0)),  # the make-up Saturday 22/8
    (vn(2026, 8, 28, 9, 0), 1, vn(2026, 9, 3, 9, 0)),  # 31/8–2/9 off
    (vn(2026, 8, 28, 9, 0), Decimal("0.25"), vn(2026, 8, 28, 10, 52, 30)),  # 112 min 30 s
    (vn(2026, 8, 28, 16, 0), Decimal("0.5"), vn(2026, 9, 3, 10, 15)),  # 60 min on Friday, 165 after
    (vn(2025, 1, 24, 9, 12), Decimal("2.75"), vn(2025, 2, 4, 16, 49, 30)),
]


@pytest.mark.parametrize(("received", "days", "due"), DUE_TABLE, ids=lambda v: str(v))
def test_due_table(received: datetime, days: Decimal, due: datetime) -> None:
    result = add_working_time(received, days=days, calendar=CALENDAR)
    assert result == due
    assert result.utcoffset() == timedelta(hours=7)


def test_hours_over_tet() -> None:
    # 1 h on Friday 13/2/2026, then 7 h from Monday 23/2: 07:30–11:30 and 13:30–16:30.
    assert add_working_time(vn(2026, 2, 13, 16), hours=8, calendar=CALENDAR) == vn(2026, 2, 23, 16, 30)


# Conventions (calendar.py docstring) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (vn(2025, 3, 3, 6, 0), vn(2025, 3, 4, 7, 30)),  # before opening: from the opening
        (vn(2025, 3, 3, 7, 30), vn(2025, 3, 4, 7, 30)),  # at opening: same clock the next day
        (vn(2025, 3, 3, 11, 30), vn(2025, 3, 4, 11, 30)),  # at a closing time: kept
        (vn(2025, 3, 3, 12, 0), vn(2025, 3, 4, 13, 30)),  # lunch: from the afternoon opening
        (vn(2025, 3, 3, 17, 0), vn(2025, 3, 4, 17, 0)),  # at closing: kept (same working time as 07:30 next day)
        (vn(2025, 3, 3, 17, 0, 1), vn(2025, 3, 5, 7, 30)),  # after closing: from the next opening
        (vn(2025, 3, 8, 10, 0), vn(2025, 3, 11, 7, 30)),  # Saturday: from Monday's opening
    ],
    ids=str,
)
def test_start_outside_office_hours(received: datetime, due: datetime) -> None:
    assert add_working_time(received, days=1, calendar=CALENDAR) == due


def test_fraction_landing_on_a_boundary_is_the_closing_time() -> None:
    assert add_working_time(vn(2025, 3, 3, 7, 30), hours=4, calendar=CALENDAR) == vn(2025, 3, 3, 11, 30)
    assert add_working_time(vn(2025, 3, 3, 9), hours=6, calendar=CALENDAR) == vn(2025, 3, 3, 17)
    # 7 h 30 is one whole working day, so the clock time is kept, as for days=1.
    assert add_working_time(vn(2025, 3, 3, 7, 30), hours=Decimal("7.5"), calendar=CALENDAR) == vn(2025, 3, 4, 7, 30)
    assert add_working_time(vn(2025, 3, 3, 17), hours=Decimal("0.25"), calendar=CALENDAR) == vn(2025, 3, 4, 7, 45)


def test_zero_amount_is_the_start_moved_into_office_hours() -> None:
    assert add_working_time(vn(2025, 3, 3, 9), days=0, calendar=CALENDAR) == vn(2025, 3, 3, 9)
    assert add_working_time(vn(2025, 3, 8, 9), days=0, calendar=CALENDAR) == vn(2025, 3, 10, 7, 30)


def test_other_time_zones_are_converted_and_results_are_local() -> None:
    received = datetime(2025, 3, 3, 2, 12, tzinfo=UTC)  # 09:12 in Hà Nội
    due = add_working_time(received, days=2, calendar=CALENDAR)
    assert due == vn(2025, 3, 5, 9, 12)
    assert due.isoformat() == "2025-03-05T09:12:00+07:00"


def test_seconds_and_microseconds_are_kept() -> None:
    received = vn(2025, 3, 3, 9, 12, 7).replace(microsecond=250)
    assert add_working_time(received, days=1, calendar=CALENDAR) == received + timedelta(days=1)


def test_working_time_between() -> None:
    assert working_time_between(vn(2025, 1, 24, 9, 12), vn(2025, 2, 5, 9, 12), CALENDAR) == timedelta(hours=22.5)
    assert working_time_between(vn(2025, 3, 3, 11), vn(2025, 3, 3, 14), CALENDAR) == timedelta(hours=1)
    assert working_time_between(vn(2025, 3, 3, 14), vn(2025, 3, 3, 11), CALENDAR) == timedelta(hours=-1)
    assert working_time_between(vn(2025, 3, 8, 9), vn(2025, 3, 9, 15), CALENDAR) == timedelta(0)  # a weekend
    assert working_time_between(vn(2025, 3, 3, 17), vn(2025, 3, 4, 7, 30), CALENDAR) == timedelta(0)


def test_next_working_instant_and_is_working() -> None:
    assert next_working_instant(vn(2025, 3, 3, 9), CALENDAR) == vn(2025, 3, 3, 9)
    assert next_working_instant(vn(2025, 3, 3, 11, 30), CALENDAR) == vn(2025, 3, 3, 13, 30)
    assert next_working_instant(vn(2025, 3, 3, 17), CALENDAR) == vn(2025, 3, 4, 7, 30)
    assert next_working_instant(vn(2025, 1, 24, 18), CALENDAR) == vn(2025, 2, 3, 7, 30)
    assert is_working(vn(2025, 3, 3, 7, 30), CALENDAR)
    assert is_working(vn(2025, 3, 3, 16, 59, 59), CALENDAR)
    assert not is_working(vn(2025, 3, 3, 17), CALENDAR)
    assert not is_working(vn(2025, 3, 3, 12), CALENDAR)
    assert not is_working(vn(2025, 1, 29, 9), CALENDAR)  # Tết
    assert is_working(vn(2025, 4, 26, 9), CALENDAR)  # make-up Saturday


def test_whole_days_cost_does_not_depend_on_the_span() -> None:
    # 3,000 working days from 2020 land in 2031; the same index arithmetic as 1 day (see bench/).
    assert add_working_time(vn(2020, 1, 2, 9), days=3000, calendar=CALENDAR).time() == time(9)


# Bad input ------------------------------------------------------------------------------------------


def test_naive_instants_are_refused() -> None:
    with pytest.raises(NaiveDatetime) as error:
        add_working_time(datetime(2025, 3, 3, 9), days=1, calendar=CALENDAR)  # noqa: DTZ001 - the point
    assert error.value.code == "naive_datetime"
    assert error.value.status == 422
    for call in (is_working, next_working_instant):
        with pytest.raises(NaiveDatetime):
            call(datetime(2025, 3, 3, 9), CALENDAR)  # noqa: DTZ001


@pytest.mark.parametrize(
    "amount",
    [
        {"days": -1},
        {"days": Decimal("-0.25")},
        {"days": Decimal("0.3")},
        {"days": Decimal("NaN")},
        {"days": Decimal("sNaN")},
        {"days": Decimal("Infinity")},
        {"days": Decimal("1E+30")},
        {"days": Decimal("1E-30")},
        {"days": 3651},
        {"hours": Decimal("0.0001")},
        {"hours": -8},
        {"hours": 10**9},
        {"duration": timedelta(hours=-1)},
        {},
        {"days": 1, "hours": 1},
    ],
    ids=str,
)
def test_bad_amounts_are_refused(amount: dict[str, object]) -> None:
    with pytest.raises(InvalidAmount) as error:
        add_working_time(vn(2025, 3, 3, 9), calendar=CALENDAR, **amount)  # type: ignore[arg-type]
    assert error.value.code == "invalid_amount"
    assert error.value.message


@pytest.mark.parametrize(
    "received",
    [vn(2019, 12, 31, 9), vn(2036, 1, 2, 9), vn(2035, 12, 31, 17, 30)],
    ids=str,
)
def test_instants_outside_the_calendar_are_refused(received: datetime) -> None:
    with pytest.raises(CalendarYearOutOfRange) as error:
        add_working_time(received, days=1, calendar=CALENDAR)
    assert error.value.code == "calendar_year_out_of_range"
    assert error.value.details["first_year"] == 2020


def test_a_due_time_past_the_calendar_is_refused() -> None:
    with pytest.raises(CalendarYearOutOfRange):
        add_working_time(vn(2035, 12, 20, 9), days=10, calendar=CALENDAR)
    with pytest.raises(CalendarYearOutOfRange):
        CALENDAR.days_of_year(2036)
    with pytest.raises(CalendarYearOutOfRange):
        CALENDAR.is_working_day(date(2019, 6, 3))


# Overrides and office hours ------------------------------------------------------------------------


def test_overrides_change_the_seeded_calendar() -> None:
    calendar = build_calendar(
        province_code="15",
        overrides=[
            Override(date(2026, 11, 24), OverrideKind.REMOVE_HOLIDAY, "Chưa áp dụng nghỉ", "CV 1/UBND"),
            Override(date(2026, 11, 23), OverrideKind.DAY_OFF, "Nghỉ lễ địa phương", "QĐ 2/UBND"),
            Override(date(2026, 11, 28), OverrideKind.WORKING_DAY, "Làm bù", "QĐ 2/UBND"),
            Override(date(2040, 1, 2), OverrideKind.DAY_OFF, "Ngoài phạm vi", "QĐ 3/UBND"),
        ],
    )
    assert calendar.day(date(2026, 11, 24)).working
    assert calendar.day(date(2026, 11, 24)).decision == "CV 1/UBND"
    assert calendar.day(date(2026, 11, 23)).kind is DayKind.DAY_OFF
    assert calendar.day(date(2026, 11, 28)).kind is DayKind.MAKEUP_WORKING_DAY
    # Friday 20/11 + 1 day: Saturday 28/11 is not next; Monday 23/11 is off, Tuesday 24/11 worked.
    assert add_working_time(vn(2026, 11, 20, 9), days=1, calendar=calendar) == vn(2026, 11, 24, 9)
    assert add_working_time(vn(2026, 11, 27, 9), days=1, calendar=calendar) == vn(2026, 11, 28, 9)


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        (Override(date(2026, 3, 1), OverrideKind.DAY_OFF, "x", "y"), "vốn đã là ngày nghỉ"),
        (Override(date(2026, 3, 2), OverrideKind.WORKING_DAY, "x", "y"), "vốn đã là ngày làm việc"),
        (Override(date(2026, 3, 2), OverrideKind.REMOVE_HOLIDAY, "x", "y"), "không phải ngày nghỉ lễ"),
        (Override(date(2040, 3, 2), OverrideKind.DAY_OFF, "x", "y"), "từ năm 2020 đến năm 2035"),
        (Override(date(2026, 3, 2), OverrideKind.DAY_OFF, "x", "y"), None),
        (Override(date(2026, 8, 22), OverrideKind.REMOVE_HOLIDAY, "x", "y"), None),  # cancels a make-up day
    ],
    ids=str,
)
def test_override_problem(override: Override, problem: str | None) -> None:
    found = override_problem(override, CALENDAR)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_custom_office_hours() -> None:
    hours = DailyHours(((time(8), time(12)), (time(13), time(17))), same_day_cutoff=time(16))
    calendar = build_calendar(province_code="01", hours=hours)
    assert calendar.day_length == timedelta(hours=8)
    assert add_working_time(vn(2025, 3, 3, 7, 45), days=Decimal("0.5"), calendar=calendar) == vn(2025, 3, 3, 12)
    assert add_working_time(vn(2025, 3, 3, 12, 30), days=Decimal("0.25"), calendar=calendar) == vn(2025, 3, 3, 15)


@pytest.mark.parametrize(
    ("intervals", "cutoff"),
    [
        ((), time(15)),
        (((time(8), time(12)), (time(11), time(17))), time(15)),  # overlapping
        (((time(12), time(8)),), time(9)),  # reversed
        (((time(8), time(12)),), time(15)),  # cutoff after closing
    ],
    ids=str,
)
def test_invalid_office_hours(intervals: tuple[tuple[time, time], ...], cutoff: time) -> None:
    with pytest.raises(ValueError, match=r"office hours|cutoff"):
        DailyHours(intervals, cutoff)
