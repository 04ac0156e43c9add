"""Legal rules on deadlines (thời hạn giải quyết), domain.md §4, over a `WorkCalendar` (pure, no database).

Public interface
- `due_time(received_at, *, days, calendar, same_day=False) -> datetime`: the due time (ngày hẹn trả) of a
  dossier received at `received_at` with a limit of `days` working days (0.25 steps): the same clock time
  after `days` working days, counting from the next opening when received outside office hours. With
  `same_day=True` (thủ tục giải quyết trong ngày, `days` must be 0) the due time is the closing time of the
  reception day, or of the next working day when received after the cutoff (15:00 by default).
- `online_acceptance_deadline(submitted_at, calendar) -> datetime`: an online dossier must be accepted or
  sent back within 8 working hours of its submission (Decree 45/2020 Art. 11).
- `due_after_supplement(due, *, requested_at, supplied_at, rule, days, calendar, same_day=False)`: the due
  time once a requested supplement (yêu cầu bổ sung, Mẫu 02) arrives: with `SupplementRule.PAUSE` the
  working time spent waiting is excluded (the due time moves by it); with `SupplementRule.RESTART` the limit
  counts again from the arrival of the complete dossier. Which one applies is the procedure's setting.
- `extend_due(current_due, *, extra_days, already_extended, calendar) -> datetime`: the new due time
  proposed in Mẫu 04 (xin lỗi và gia hạn), as extra working days; a due time is extended at most once.

Every function refuses naive instants, amounts that are not 0.25-day steps and years outside the calendar
with a `DomainError` (see `errors.py`); the arithmetic conventions are in `calendar.py`'s docstring.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from motcua.workcal.calendar import WorkCalendar, add_working_time, next_working_instant, working_time_between
from motcua.workcal.errors import ExtensionAlreadyGranted, InvalidAmount, InvalidInterval

ONLINE_ACCEPTANCE_HOURS = 8


class SupplementRule(StrEnum):
    """How a procedure's deadline treats the wait for a supplement."""

    PAUSE = "pause"  # the clock stops while the applicant completes the dossier
    RESTART = "restart"  # the limit counts again from the complete dossier


def due_time(received_at: datetime, *, days: Decimal | int, calendar: WorkCalendar, same_day: bool = False) -> datetime:
    """The due time of a dossier received at `received_at` (see the module docstring)."""
    if not same_day:
        return add_working_time(received_at, days=days, calendar=calendar)
    # `is_zero`, not `!= 0`: comparing a signalling NaN ("sNaN", which the API parses) raises.
    if not (days.is_zero() if isinstance(days, Decimal) else days == 0):
        raise InvalidAmount("Thủ tục giải quyết trong ngày không có số ngày làm việc.", days=str(days))
    start = next_working_instant(received_at, calendar)
    if start.time() > calendar.hours.same_day_cutoff:
        start = add_working_time(start, days=1, calendar=calendar)
    return datetime.combine(start.date(), calendar.hours.closing, tzinfo=calendar.tz)


def online_acceptance_deadline(submitted_at: datetime, calendar: WorkCalendar) -> datetime:
    """When the desk must have accepted or sent back an online dossier submitted at `submitted_at`."""
    return add_working_time(submitted_at, hours=ONLINE_ACCEPTANCE_HOURS, calendar=calendar)


def due_after_supplement(
    due: datetime,
    *,
    requested_at: datetime,
    supplied_at: datetime,
    rule: SupplementRule,
    days: Decimal | int,
    calendar: WorkCalendar,
    same_day: bool = False,
) -> datetime:
    """The due time once the supplement requested at `requested_at` arrived at `supplied_at`.

    `days` and `same_day` are the procedure's limit, used when the count restarts.
    """
    waited = working_time_between(requested_at, supplied_at, calendar)  # also refuses naive instants
    if supplied_at < requested_at:
        raise InvalidInterval(requested_at=requested_at.isoformat(), supplied_at=supplied_at.isoformat())
    if rule is SupplementRule.PAUSE:
        return add_working_time(due, duration=waited, calendar=calendar)
    return due_time(supplied_at, days=days, calendar=calendar, same_day=same_day)


def extend_due(
    current_due: datetime, *, extra_days: Decimal | int, already_extended: bool, calendar: WorkCalendar
) -> datetime:
    """The due time after an extension of `extra_days` working days (granted once, Mẫu 04)."""
    if already_extended:
        raise ExtensionAlreadyGranted(current_due=current_due.isoformat())
    if extra_days == 0:
        raise InvalidAmount("Thời gian gia hạn phải lớn hơn 0.", extra_days=str(extra_days))
    return add_working_time(current_due, days=extra_days, calendar=calendar)
