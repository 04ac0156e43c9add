"""Legal time: due-time computations per second, and their cost against the span (1 vs 2,000 working days).

Times are CPU time of this process (`time.process_time`, best of a few runs), so other load on the machine
does not count. Baselines are measured in the same run, so the figures are ratios that hold on a noisy
machine:
- a day-by-day loop over the same calendar's working days (what a first implementation usually does);
- the `holidays` package's own `get_nth_working_day`, which also walks day by day.
`workcal` finds positions by bisect on the sorted working days: its cost should not depend on the span.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from holidays import HolidayBase, country_holidays

from motcua.workcal.build import build_calendar
from motcua.workcal.calendar import VN_TZ, WorkCalendar
from motcua.workcal.legal import due_time

SPANS = (1, 2000)
TARGET_PER_SECOND = 200_000
REPEATS = 3


def _starts(count: int) -> list[datetime]:
    """Reception instants spread over 2020–2024, at any minute of the day (some outside office hours)."""
    rng = random.Random(20260301)
    first = datetime(2020, 1, 1, tzinfo=VN_TZ)
    return [first + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60)) for _ in range(count)]


def _rate(operation: Callable[[datetime], object], starts: list[datetime]) -> float:
    """Operations per CPU second, best of REPEATS runs (the least disturbed by other processes)."""
    best = float("inf")
    for _ in range(REPEATS):
        began = time.process_time()
        for start in starts:
            operation(start)
        best = min(best, time.process_time() - began)
    return len(starts) / best


def _workcal(calendar: WorkCalendar, days: int) -> Callable[[datetime], datetime]:
    amount = Decimal(days)

    def due(start: datetime) -> datetime:
        return due_time(start, days=amount, calendar=calendar)

    return due


def _package(country: HolidayBase, days: int) -> Callable[[datetime], date]:
    def due_date(start: datetime) -> date:
        return country.get_nth_working_day(start.astimezone(VN_TZ).date(), days)

    return due_date


def _day_by_day(calendar: WorkCalendar, days: int) -> Callable[[datetime], date]:
    working = frozenset(calendar.working_dates)

    def due_date(start: datetime) -> date:
        day, left = start.astimezone(VN_TZ).date(), days
        while left:
            day += timedelta(days=1)
            left -= day in working
        return day

    return due_date


def measure() -> list[tuple[str, dict[int, float]]]:
    calendar = build_calendar(province_code="15")
    country = country_holidays("VN", years=range(2020, 2036))
    fast, slow = _starts(20_000), _starts(200)
    return [
        ("workcal due_time (to the minute)", {n: _rate(_workcal(calendar, n), fast) for n in SPANS}),
        ("day-by-day loop (same calendar, date only)", {n: _rate(_day_by_day(calendar, n), slow) for n in SPANS}),
        ("holidays get_nth_working_day (date only)", {n: _rate(_package(country, n), slow) for n in SPANS}),
    ]


def table(rows: list[tuple[str, dict[int, float]]]) -> str:
    lines = [
        "| method | 1 day (ops/s) | 2,000 days (ops/s) | cost 2,000 d ÷ cost 1 d |",
        "|---|---:|---:|---:|",
    ]
    for name, rates in rows:
        lines.append(f"| {name} | {rates[1]:,.0f} | {rates[2000]:,.0f} | {rates[1] / rates[2000]:.2f} |")
    ours = rows[0][1]
    lines += [
        "",
        f"- workcal at 2,000 days is {ours[2000] / rows[1][1][2000]:,.0f}× the day-by-day loop and "
        f"{ours[2000] / rows[2][1][2000]:,.0f}× holidays' get_nth_working_day.",
        f"- target ≥ {TARGET_PER_SECOND:,} due times/s in one process: "
        f"{'met' if min(ours.values()) >= TARGET_PER_SECOND else 'NOT met'} ({min(ours.values()):,.0f}/s at worst).",
    ]
    return "\n".join(lines)


def main() -> None:
    print(table(measure()), flush=True)


if __name__ == "__main__":
    main()
