"""Build a `WorkCalendar` from the national holidays and a province's overrides (pure, no database).

Seeded days come from the `holidays` package (`holidays.VN`, Vietnamese names): public holidays of the
Labour Code 2019 Art. 112 with their nghỉ bù, the Government's swaps for civil servants (ngày nghỉ thay), and
its `weekend_workdays`, the Saturdays worked in exchange (làm bù), e.g. 26/04/2025 and 22/08/2026.

Choice on 24/11 "Ngày Văn hóa Việt Nam" (domain.md §10): the package adds it as a day off from 2026. We
follow the package, so it is a day off here too; if the province's instructions say otherwise, an officer
removes it with a `remove_holiday` override citing the document. Following the package keeps one source
for every seeded day and makes the exception visible, with its decision, in the admin.

Overrides (`CalendarOverride` rows, edited by officers) win over seeded days:
- `day_off`: a day off (extra holiday, a swap announced after the package's release);
- `working_day`: a make-up working day (a Saturday worked in exchange);
- `remove_holiday`: the day goes back to its ordinary status (weekday = working, weekend = off), undoing a
  seeded holiday or make-up day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, tzinfo
from enum import StrEnum
from functools import lru_cache

from holidays import country_holidays

from motcua.workcal.calendar import (
    DEFAULT_HOURS,
    FIRST_YEAR,
    LAST_YEAR,
    VN_TZ,
    WEEKEND,
    DailyHours,
    DayKind,
    DayNote,
    WorkCalendar,
)


class OverrideKind(StrEnum):
    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"
    REMOVE_HOLIDAY = "remove_holiday"

    @property
    def label(self) -> str:
        return _OVERRIDE_LABELS[self]


_OVERRIDE_LABELS = {
    OverrideKind.DAY_OFF: "Ngày nghỉ thêm",
    OverrideKind.WORKING_DAY: "Ngày làm việc bù",
    OverrideKind.REMOVE_HOLIDAY: "Bỏ ngày nghỉ đã nạp sẵn",
}


@dataclass(frozen=True)
class Override:
    """One officer-set change to the seeded calendar, with the document (số hiệu văn bản) that set it."""

    date: date
    kind: OverrideKind
    reason: str
    decision: str


@lru_cache(maxsize=4)
def seeded_notes(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> tuple[tuple[date, DayNote], ...]:
    """Holidays and make-up Saturdays from `holidays.VN` for the years, sorted by date (computed once)."""
    country = country_holidays("VN", years=range(first_year, last_year + 1), language="vi")
    notes = {day: DayNote(DayKind.HOLIDAY, str(name)) for day, name in country.items()}
    for day in country.weekend_workdays:
        if first_year <= day.year <= last_year:
            # The swapped day off is named "Ngày nghỉ (thay cho ngày 22/08/2026)": point back to it.
            swapped = [other for other, note in notes.items() if f"{day:%d/%m/%Y}" in note.reason]
            reason = f"Làm bù cho ngày nghỉ {swapped[0]:%d/%m/%Y}" if swapped else "Ngày làm việc bù"
            notes[day] = DayNote(DayKind.MAKEUP_WORKING_DAY, reason)
    return tuple(sorted(notes.items()))


def apply_override(override: Override, weekend: frozenset[int]) -> DayNote:
    """The note that `override` puts on its day."""
    if override.kind is OverrideKind.DAY_OFF:
        kind = DayKind.DAY_OFF
    elif override.kind is OverrideKind.WORKING_DAY:
        kind = DayKind.MAKEUP_WORKING_DAY
    else:
        kind = DayKind.WEEKEND if override.date.weekday() in weekend else DayKind.WORKING_DAY
    return DayNote(kind, override.reason, override.decision)


def override_problem(override: Override, seeded: WorkCalendar) -> str | None:
    """Why `override` would change nothing on the seeded calendar (a Vietnamese sentence), or None."""
    if not seeded.first_year <= override.date.year <= seeded.last_year:
        return f"Chỉ điều chỉnh được các ngày từ năm {seeded.first_year} đến năm {seeded.last_year}."
    day = seeded.day(override.date)
    if override.kind is OverrideKind.DAY_OFF and not day.working:
        return f"Ngày {override.date:%d/%m/%Y} vốn đã là ngày nghỉ ({day.reason})."
    if override.kind is OverrideKind.WORKING_DAY and day.working:
        return f"Ngày {override.date:%d/%m/%Y} vốn đã là ngày làm việc."
    if override.kind is OverrideKind.REMOVE_HOLIDAY and day.kind not in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKING_DAY):
        return f"Ngày {override.date:%d/%m/%Y} không phải ngày nghỉ lễ hay ngày làm bù đã nạp sẵn."
    return None


def build_calendar(
    *,
    province_code: str,
    hours: DailyHours = DEFAULT_HOURS,
    overrides: Iterable[Override] = (),
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
    tz: tzinfo = VN_TZ,
) -> WorkCalendar:
    """The calendar of a province: seeded days, then its overrides (those outside the years are ignored)."""
    notes = dict(seeded_notes(first_year, last_year))
    for override in overrides:
        if first_year <= override.date.year <= last_year:
            notes[override.date] = apply_override(override, WEEKEND)
    return WorkCalendar(province_code, first_year, last_year, hours, notes, WEEKEND, tz)
