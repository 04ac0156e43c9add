"""Shared test values: the seeded national calendar (no database) and a shorthand for local instants."""

from __future__ import annotations

from datetime import datetime

from motcua.workcal.build import build_calendar
from motcua.workcal.calendar import VN_TZ

CALENDAR = build_calendar(province_code="15")


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)
