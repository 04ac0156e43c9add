"""Public calendar endpoints: the legal due time of a dossier, and the working days of a year."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.http import HttpRequest
from ninja import Query, Router, Schema

from motcua.workcal.calendar import DayKind, add_working_time, next_working_instant
from motcua.workcal.errors import InvalidAmount, InvalidDatetime
from motcua.workcal.legal import due_time
from motcua.workcal.services import get_calendar

router = Router(tags=["calendar"])

# An unescaped "+" in a query string arrives as a space: "08:00:00 07:00" means "08:00:00+07:00".
_SPACE_FOR_PLUS = re.compile(r"^(.*\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?) (\d{2}(?::?\d{2})?)$")


class DueQuery(Schema):
    start: str
    working_days: str | None = None
    working_hours: str | None = None
    same_day: bool = False


class DueOut(Schema):
    due: datetime
    counting_from: datetime
    province_code: str


class DayOut(Schema):
    date: date
    working: bool
    kind: DayKind
    reason: str
    decision: str


class OfficeInterval(Schema):
    start: time
    end: time


class YearOut(Schema):
    year: int
    province_code: str
    working_days: int
    office_hours: list[OfficeInterval]
    same_day_cutoff: time
    days: list[DayOut]


def _parse_instant(raw: str) -> datetime:
    """An ISO 8601 instant; naive instants are refused later, with their own code."""
    text = _SPACE_FOR_PLUS.sub(r"\1+\2", raw.strip())
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidDatetime(value=raw) from exc


def _parse_amount(raw: str, name: str) -> Decimal:
    try:
        return Decimal(raw.strip())
    except InvalidOperation as exc:
        raise InvalidAmount(f"Tham số {name} phải là một số (ví dụ 2 hoặc 0.25).", **{name: raw}) from exc


@router.get(
    "/calendar/due",
    response=DueOut,
    auth=None,
    summary="Legal due time of a dossier received at `start`",
    description=(
        "`working_days` (0.25 steps) or `working_hours`, or `same_day=true` for a procedure resolved within the "
        "day. Counting starts at the next opening when `start` is outside office hours; whole days keep the "
        "clock time. Times are ISO 8601 with an offset (+07:00)."
    ),
)
def calendar_due(request: HttpRequest, query: Query[DueQuery]) -> DueOut:
    start = _parse_instant(query.start)
    calendar = get_calendar()
    if query.working_hours is not None and (query.working_days is not None or query.same_day):
        raise InvalidAmount("Chỉ dùng một trong hai: working_days hoặc working_hours.")
    if query.working_hours is not None:
        due = add_working_time(start, hours=_parse_amount(query.working_hours, "working_hours"), calendar=calendar)
    elif query.working_days is not None or query.same_day:
        days = _parse_amount(query.working_days, "working_days") if query.working_days is not None else Decimal(0)
        due = due_time(start, days=days, calendar=calendar, same_day=query.same_day)
    else:
        raise InvalidAmount("Cần tham số working_days (số ngày làm việc) hoặc working_hours (số giờ làm việc).")
    return DueOut(due=due, counting_from=next_working_instant(start, calendar), province_code=calendar.province_code)


@router.get(
    "/calendar/days",
    response=YearOut,
    auth=None,
    summary="Every day of a year: working or not, and why",
)
def calendar_days(request: HttpRequest, year: int) -> YearOut:
    calendar = get_calendar()
    days = calendar.days_of_year(year)
    return YearOut(
        year=year,
        province_code=calendar.province_code,
        working_days=sum(day.working for day in days),
        office_hours=[OfficeInterval(start=start, end=end) for start, end in calendar.hours.intervals],
        same_day_cutoff=calendar.hours.same_day_cutoff,
        days=[DayOut(date=d.date, working=d.working, kind=d.kind, reason=d.reason, decision=d.decision) for d in days],
    )
