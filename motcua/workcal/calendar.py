"""Legal time (thời gian làm việc): a frozen working-day calendar and pure working-time arithmetic.

No database here: `build.py` makes a `WorkCalendar` from the `holidays` package and the officers' overrides,
`services.get_calendar()` caches one per province, and everything below is a pure function of that value.

Public interface
- `WorkCalendar`: the working days (ngày làm việc) of whole years `first_year..last_year` for one province,
  its office hours (`DailyHours`) and why each day is or is not a working day (`day`, `days_of_year`).
- `add_working_time(start, *, days=None, hours=None, duration=None, calendar) -> datetime`: exactly one
  amount: working days in 0.25 steps, working hours (whole seconds), or a working-time `timedelta`.
- `working_time_between(a, b, calendar) -> timedelta`: office time on working days from a to b (negative
  when b is before a).
- `next_working_instant(t, calendar) -> datetime`: t if the office is open at t, else its next opening.
- `is_working(t, calendar) -> bool`: the office is open at t (intervals are half-open: closed at 17:00:00).

Conventions
- A working day is the office time of one day (default 07:30–11:30 and 13:30–17:00: 7 h 30 = 450 min). A
  fraction of a day is that fraction of the day's length: 0.25 day = 112 min 30 s, 0.5 day = 225 min.
  Arithmetic is exact, in integer microseconds.
- Whole days keep the clock time: start + N working days is the same clock time on the N-th working day
  after (a dossier received Monday 09:12 with 3 days is due Thursday 09:12, holidays skipped). An amount is
  split into whole days and a rest, so 7 h 30 (one day's length) also keeps the clock time.
- A start outside office hours counts from the next opening (Saturday → Monday 07:30, 12:00 → 13:30,
  17:30 → 07:30 next working day). A start exactly at a closing time (11:30, 17:00) is kept as it is: it is
  the same working instant as the next opening, and keeps the clock time for whole days
  (17:00 + 1 day = 17:00 on the next working day, not 07:30 the day after).
- When a fraction lands exactly on a boundary, the result is the closing time (07:30 + 4 h = 11:30, not
  13:30): the earliest instant at which the time has elapsed.
- Hence every result lies on a working day within office hours, closing times included.
- Instants are timezone-aware; they are compared and returned in the calendar's time zone
  (Asia/Ho_Chi_Minh, +07:00 all year: Việt Nam has no daylight saving time).
- Anything outside the calendar's years raises `CalendarYearOutOfRange`; nothing is guessed.
- Cost: a position is found by bisect on the sorted ordinals of working days and moved by index
  arithmetic, so every operation is O(log n) whatever the span (see bench/bench_workcal.py).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from motcua.workcal.errors import CalendarYearOutOfRange, InvalidAmount, NaiveDatetime

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_YEAR = 2020
LAST_YEAR = 2035
MAX_WORKING_DAYS = 3650
WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())

_US = 1_000_000
_ONE_US = timedelta(microseconds=1)
_ABSURD_DIGITS = 10  # 10^10 and more: far above any legal amount
_WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


class DayKind(StrEnum):
    """Why a day is or is not a working day."""

    WORKING_DAY = "working_day"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKING_DAY = "makeup_working_day"
    DAY_OFF = "day_off"

    @property
    def working(self) -> bool:
        return self in (DayKind.WORKING_DAY, DayKind.MAKEUP_WORKING_DAY)


@dataclass(frozen=True)
class DayNote:
    """A day that is not an ordinary weekday or weekend: a holiday, a nghỉ bù, a làm bù Saturday..."""

    kind: DayKind
    reason: str
    decision: str = ""


@dataclass(frozen=True)
class DayInfo:
    date: date
    working: bool
    kind: DayKind
    reason: str
    decision: str


def _us_of(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US + t.microsecond


@dataclass(frozen=True)
class DailyHours:
    """Office hours of every working day (giờ làm việc), set by the province, and the same-day cutoff.

    `intervals` are (opening, closing) pairs in order, not overlapping; `same_day_cutoff` is the time after
    which a same-day procedure (giải quyết trong ngày) is due on the next working day (domain.md §4.3).
    """

    intervals: tuple[tuple[time, time], ...]
    same_day_cutoff: time

    def __post_init__(self) -> None:
        if not self.intervals:
            raise ValueError("office hours need at least one interval")
        previous_close = time.min
        for opening, closing in self.intervals:
            if not previous_close <= opening < closing:
                raise ValueError(f"office hours must be ordered, non-overlapping intervals: {self.intervals}")
            previous_close = closing
        if not self.opening <= self.same_day_cutoff <= self.closing:
            raise ValueError("the same-day cutoff must fall within office hours")

    @property
    def opening(self) -> time:
        return self.intervals[0][0]

    @property
    def closing(self) -> time:
        return self.intervals[-1][1]


DEFAULT_HOURS = DailyHours(
    intervals=((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0))),
    same_day_cutoff=time(15, 0),
)


@dataclass(frozen=True, eq=False)
class WorkCalendar:
    """The working days of the years `first_year..last_year` for one province, and its office hours.

    `notes` lists the days that are not an ordinary weekday or weekend (holidays, nghỉ bù, làm bù, overrides);
    every other day is a working day unless its weekday is in `weekend`. Build it with
    `build.build_calendar()`; the sorted index of working days is derived here, once.
    """

    province_code: str
    first_year: int = FIRST_YEAR
    last_year: int = LAST_YEAR
    hours: DailyHours = DEFAULT_HOURS
    notes: Mapping[date, DayNote] = field(default_factory=dict)
    weekend: frozenset[int] = WEEKEND
    tz: tzinfo = VN_TZ
    working_dates: tuple[date, ...] = field(init=False, repr=False)
    _ordinals: tuple[int, ...] = field(init=False, repr=False)
    # (opening, closing, office time before the opening) of each interval, in microseconds of the day.
    _spans: tuple[tuple[int, int, int], ...] = field(init=False, repr=False)
    _day_us: int = field(init=False, repr=False)
    _midnights: tuple[datetime, ...] = field(init=False, repr=False)
    _first_ordinal: int = field(init=False, repr=False)
    _last_ordinal: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.first_year > self.last_year:
            raise ValueError("first_year is after last_year")
        set_ = object.__setattr__  # frozen: derived fields are set once, here
        set_(self, "notes", MappingProxyType(dict(self.notes)))
        first, last = date(self.first_year, 1, 1), date(self.last_year, 12, 31)
        set_(self, "_first_ordinal", first.toordinal())
        set_(self, "_last_ordinal", last.toordinal())
        dates = tuple(
            day
            for day in map(date.fromordinal, range(first.toordinal(), last.toordinal() + 1))
            if self._is_working_day(day)
        )
        set_(self, "working_dates", dates)
        set_(self, "_ordinals", tuple(day.toordinal() for day in dates))
        set_(self, "_midnights", tuple(datetime.combine(day, time.min, tzinfo=self.tz) for day in dates))
        spans, before = [], 0
        for opening, closing in self.hours.intervals:
            spans.append((_us_of(opening), _us_of(closing), before))
            before += _us_of(closing) - _us_of(opening)
        set_(self, "_spans", tuple(spans))
        set_(self, "_day_us", before)

    # Days -----------------------------------------------------------------------------------------

    def _is_working_day(self, day: date) -> bool:
        note = self.notes.get(day)
        return note.kind.working if note else day.weekday() not in self.weekend

    def day(self, day: date) -> DayInfo:
        """Whether `day` is a working day, and why."""
        self._check_ordinal(day.toordinal(), day)
        note = self.notes.get(day)
        if note is None:
            weekday = day.weekday()
            kind = DayKind.WEEKEND if weekday in self.weekend else DayKind.WORKING_DAY
            note = DayNote(kind, _WEEKDAY_NAMES[weekday] if kind is DayKind.WEEKEND else "Ngày làm việc")
        return DayInfo(day, note.kind.working, note.kind, note.reason, note.decision)

    def days_of_year(self, year: int) -> list[DayInfo]:
        if not self.first_year <= year <= self.last_year:
            raise self._out_of_range(year=year)
        first = date(year, 1, 1).toordinal()
        return [self.day(date.fromordinal(o)) for o in range(first, date(year, 12, 31).toordinal() + 1)]

    def is_working_day(self, day: date) -> bool:
        self._check_ordinal(day.toordinal(), day)
        return self._is_working_day(day)

    @property
    def day_length(self) -> timedelta:
        return timedelta(microseconds=self._day_us)

    # Positions: (index in working_dates, microseconds since midnight within office hours) -----------

    def _out_of_range(self, **details: object) -> CalendarYearOutOfRange:
        return CalendarYearOutOfRange(
            f"Lịch làm việc chỉ có dữ liệu từ năm {self.first_year} đến năm {self.last_year}.",
            first_year=self.first_year,
            last_year=self.last_year,
            **{key: str(value) for key, value in details.items()},
        )

    def _check_ordinal(self, ordinal: int, value: object) -> None:
        if not self._first_ordinal <= ordinal <= self._last_ordinal:
            raise self._out_of_range(value=value)

    def _local(self, t: datetime) -> tuple[datetime, int, int]:
        """An aware instant in local time, its date ordinal and its microseconds since local midnight."""
        if t.tzinfo is None or t.utcoffset() is None:
            raise NaiveDatetime(value=t.isoformat())
        try:
            local = t.astimezone(self.tz)
        except OverflowError:  # year 1 or 9999 moved across the date line
            raise self._out_of_range(value=t.isoformat()) from None
        ordinal = local.toordinal()
        if not self._first_ordinal <= ordinal <= self._last_ordinal:
            raise self._out_of_range(value=t.isoformat())
        return local, ordinal, ((local.hour * 60 + local.minute) * 60 + local.second) * _US + local.microsecond

    def _locate(self, t: datetime, *, keep_closing: bool) -> tuple[int, int]:
        _, ordinal, clock = self._local(t)
        return self._position(ordinal, clock, t, keep_closing=keep_closing)

    def _position(self, ordinal: int, clock: int, t: datetime, *, keep_closing: bool) -> tuple[int, int]:
        """The position at which working time starts counting from t (local `ordinal` and `clock`).

        Outside office hours this is the next opening; at a closing time, the closing time itself when
        `keep_closing` (arithmetic), else the next opening (the office is closed at 17:00:00).
        """
        ordinals = self._ordinals
        index = bisect_left(ordinals, ordinal)
        if index < len(ordinals) and ordinals[index] == ordinal:
            for opening, closing, _ in self._spans:
                if clock < opening:
                    return index, opening
                if clock < closing or (keep_closing and clock == closing):
                    return index, clock
            index += 1
        if index >= len(ordinals):
            raise self._out_of_range(value=t.isoformat())
        return index, self._spans[0][0]

    def _offset(self, clock: int) -> int:
        """Office time from the day's opening to `clock` (a clock within office hours)."""
        for opening, closing, before in self._spans[:-1]:
            if clock <= closing:
                return before + clock - opening
        opening, _, before = self._spans[-1]
        return before + clock - opening

    def _clock(self, offset: int) -> int:
        """The earliest clock at which `offset` of the day's office time has elapsed."""
        for opening, closing, before in self._spans[:-1]:
            if offset <= before + closing - opening:
                return opening + offset - before
        opening, _, before = self._spans[-1]
        return opening + offset - before

    def _shift(self, index: int, clock: int, amount: int) -> tuple[int, int]:
        """Move a position by `amount` microseconds of working time: whole days keep the clock."""
        whole, rest = divmod(amount, self._day_us)
        index += whole
        if rest:
            offset = self._offset(clock) + rest
            if offset > self._day_us:
                index += 1
                offset -= self._day_us
            clock = self._clock(offset)
        if index >= len(self._ordinals):
            raise self._out_of_range(working_days=Decimal(amount) / self._day_us)
        return index, clock

    def _instant(self, index: int, clock: int) -> datetime:
        return self._midnights[index] + timedelta(0, *divmod(clock, _US))  # wall-clock arithmetic

    def _elapsed(self, t: datetime) -> int:
        """Working time from the calendar's first opening to t, in microseconds."""
        index, clock = self._locate(t, keep_closing=True)
        return index * self._day_us + self._offset(clock)


def _amount_us(
    days: Decimal | int | None, hours: Decimal | int | None, duration: timedelta | None, calendar: WorkCalendar
) -> int:
    """The amount of working time asked for, in microseconds, after refusing what makes no sense."""
    if days is not None and hours is None and duration is None:
        amount = _scaled(days, 4, "days", "Số ngày làm việc phải là bội số của 0,25 (ví dụ 0,5 hoặc 2,75).")
        amount *= calendar._day_us // 4
    elif hours is not None and days is None and duration is None:
        amount = _scaled(hours, 3600, "hours", "Số giờ làm việc phải tròn đến giây.") * _US
    elif duration is not None and days is None and hours is None:
        amount = duration // _ONE_US
    else:
        raise InvalidAmount("Cần đúng một thời hạn: số ngày làm việc, số giờ làm việc hoặc một khoảng thời gian.")
    if amount < 0:
        raise InvalidAmount("Thời hạn không được âm.", amount=str(days if duration is None else duration))
    if amount > MAX_WORKING_DAYS * calendar._day_us:
        raise _too_long(days if duration is None else duration)
    return amount


def _scaled(value: Decimal | int, factor: int, name: str, problem: str) -> int:
    """`value × factor` as an int, refusing NaN, infinities and fractions of the unit."""
    if isinstance(value, int):
        return value * factor
    if not value.is_finite():
        raise InvalidAmount("Thời hạn phải là một số.", **{name: str(value)})
    if value.adjusted() >= _ABSURD_DIGITS:  # refused before the exact ratio, whose size grows with the exponent
        raise _too_long(value)
    numerator, denominator = value.as_integer_ratio()
    scaled, fraction = divmod(numerator * factor, denominator)
    if fraction:
        raise InvalidAmount(problem, **{name: str(value)})
    return scaled


def _too_long(amount: object) -> InvalidAmount:
    return InvalidAmount(
        f"Thời hạn tối đa là {MAX_WORKING_DAYS} ngày làm việc.", amount=str(amount), max_working_days=MAX_WORKING_DAYS
    )


def add_working_time(
    start: datetime,
    *,
    days: Decimal | int | None = None,
    hours: Decimal | int | None = None,
    duration: timedelta | None = None,
    calendar: WorkCalendar,
) -> datetime:
    """`start` plus an amount of working time (exactly one of `days`, `hours`, `duration`).

    Counting starts at the next opening when `start` is outside office hours; whole days keep the clock
    time; the result lies on a working day within office hours (see the module docstring).
    """
    amount = _amount_us(days, hours, duration, calendar)
    local, ordinal, clock = calendar._local(start)
    index, end_clock = calendar._shift(*calendar._position(ordinal, clock, start, keep_closing=True), amount)
    if end_clock == clock:  # whole days from within office hours: only the date moves (the common case)
        return local + timedelta(days=calendar._ordinals[index] - ordinal)
    return calendar._instant(index, end_clock)


def working_time_between(a: datetime, b: datetime, calendar: WorkCalendar) -> timedelta:
    """Office time on working days from `a` to `b`; negative when `b` is before `a`."""
    return timedelta(microseconds=calendar._elapsed(b) - calendar._elapsed(a))


def next_working_instant(t: datetime, calendar: WorkCalendar) -> datetime:
    """`t` (in the calendar's time zone) if the office is open at `t`, else the next opening."""
    return calendar._instant(*calendar._locate(t, keep_closing=False))


def is_working(t: datetime, calendar: WorkCalendar) -> bool:
    """Whether the office is open at `t`: a working day, from an opening (included) to a closing (excluded)."""
    _, ordinal, clock = calendar._local(t)
    index = bisect_left(calendar._ordinals, ordinal)
    if index == len(calendar._ordinals) or calendar._ordinals[index] != ordinal:
        return False
    return any(opening <= clock < closing for opening, closing, _ in calendar._spans)
