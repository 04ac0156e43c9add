"""The calendar of a province, built from the database and cached in the process.

`get_calendar(province_code=None) -> WorkCalendar` is what other apps call; the result is a frozen value to
pass to the pure functions of `calendar.py` and `legal.py`.

Cache invalidation (several processes serve the same database):
- each process keeps one calendar per province with a fingerprint of its rows: for the overrides, their
  count and latest `updated_at`; for the office hours, the row's `updated_at`. Any save changes the latest
  `updated_at`, any delete changes the count, so the fingerprint changes with every edit made through the
  admin or a model `save()`/`delete()` (not through `QuerySet.update()`, which bypasses `updated_at`);
- the fingerprint is read again at most every `CACHE_TTL_SECONDS` (two small aggregate queries), so an
  edit reaches every process within that time, and a calendar is rebuilt (a few milliseconds) only when
  the fingerprint changed;
- in the process that makes the edit, `post_save`/`post_delete` drop the cached calendar at once
  (connected in `apps.py`), so the officer sees the change on the next request.
"""

from __future__ import annotations

from datetime import datetime
from time import monotonic
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max

from motcua.workcal.build import build_calendar
from motcua.workcal.calendar import DEFAULT_HOURS, WorkCalendar
from motcua.workcal.models import CalendarOverride, OfficeHours

CACHE_TTL_SECONDS = 5.0


class _Cached(NamedTuple):
    calendar: WorkCalendar
    fingerprint: tuple[int, datetime | None, datetime | None]
    checked_at: float


_cache: dict[str, _Cached] = {}


def get_calendar(province_code: str | None = None) -> WorkCalendar:
    """The working-day calendar of a province (default: this installation's, `MOTCUA_PROVINCE`)."""
    code = province_code or str(settings.MOTCUA_PROVINCE)
    now = monotonic()
    cached = _cache.get(code)
    if cached is not None and now - cached.checked_at < CACHE_TTL_SECONDS:
        return cached.calendar
    fingerprint = _fingerprint(code)  # read before the rows: a concurrent edit then shows on the next check
    if cached is None or cached.fingerprint != fingerprint:
        cached = _Cached(_build(code), fingerprint, now)
    _cache[code] = cached._replace(checked_at=now)
    return cached.calendar


def clear_calendar_cache(**_signal_kwargs: Any) -> None:
    """Forget every cached calendar (a `post_save`/`post_delete` receiver, and a test helper)."""
    _cache.clear()


def _fingerprint(code: str) -> tuple[int, datetime | None, datetime | None]:
    overrides = CalendarOverride.objects.filter(province_code=code).aggregate(count=Count("id"), last=Max("updated_at"))
    hours_updated = OfficeHours.objects.filter(province_code=code).values_list("updated_at", flat=True).first()
    return overrides["count"], overrides["last"], hours_updated


def _build(code: str) -> WorkCalendar:
    office_hours = OfficeHours.objects.filter(province_code=code).first()
    return build_calendar(
        province_code=code,
        hours=office_hours.daily_hours() if office_hours else DEFAULT_HOURS,
        overrides=[row.as_override() for row in CalendarOverride.objects.filter(province_code=code)],
        tz=ZoneInfo(settings.TIME_ZONE),
    )
