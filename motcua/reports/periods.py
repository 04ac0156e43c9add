"""Reporting periods of Decision 766: month, quarter, half-year, nine months and year (`2026-03`,
`2026-Q1`, `2026-H1`, `2026-9M`, `2026`), as half-open local-time ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from motcua.core.errors import InvalidInput

_PATTERN = re.compile(
    r"^(?P<year>20[0-9]{2})(?:-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4])|H(?P<half>[12])|(?P<nine>9M)))?$"
)


class InvalidPeriod(InvalidInput):
    code = "invalid_period"
    message = "Kỳ báo cáo không hợp lệ (ví dụ: 2026, 2026-Q1, 2026-H1, 2026-9M, 2026-03)."


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: datetime
    end: datetime  # exclusive


def _first_of(year: int, month: int) -> datetime:
    if month == 13:
        year, month = year + 1, 1
    return timezone.make_aware(datetime.combine(date(year, month, 1), time.min))


def period_parse(raw: str) -> Period:
    match = _PATTERN.match(raw.strip())
    if match is None:
        raise InvalidPeriod(period=raw)
    year = int(match["year"])
    if match["month"]:
        first, months, label = int(match["month"]), 1, f"Tháng {int(match['month']):02d}/{year}"
    elif match["quarter"]:
        quarter = int(match["quarter"])
        first, months, label = 3 * quarter - 2, 3, f"Quý {quarter}/{year}"
    elif match["half"]:
        half = int(match["half"])
        first, months, label = 6 * half - 5, 6, f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {year}"
    elif match["nine"]:
        first, months, label = 1, 9, f"9 tháng năm {year}"
    else:
        first, months, label = 1, 12, f"Năm {year}"
    return Period(raw.strip(), label, _first_of(year, first), _first_of(year, first + months))


def current_month_key(now: datetime | None = None) -> str:
    local = timezone.localtime(now or timezone.now())
    return f"{local.year}-{local.month:02d}"
