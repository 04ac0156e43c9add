"""The only place that turns a procedure's time limit into due times (domain.md §4), over `workcal`.

Every function takes the handling body's province calendar; results are aware datetimes in
Asia/Ho_Chi_Minh. The rules themselves (same-day cutoff, supplement pause or restart, extension once)
live in `workcal.legal`; this module picks the limit of the dossier's version and channel and applies it.
"""

from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from motcua.catalog.models import Procedure, ProcedureVersion, TimeUnit
from motcua.core.errors import InvalidInput
from motcua.workcal.calendar import WorkCalendar, add_working_time, next_working_instant, working_time_between
from motcua.workcal.legal import SupplementRule, due_after_supplement, due_time, extend_due
from motcua.workcal.services import get_calendar

#: The paper dossier must reach the handling body within 1 working day (domain.md §3, §7).
PAPER_TRANSFER_DAYS = 1
#: Mẫu 04 must be issued no later than 1 working day before the due time.
EXTENSION_NOTICE_DAYS = 1


@dataclass(frozen=True)
class Limit:
    """A time limit as the dossier uses it: an amount in a unit, `same_day` for "trong ngày"."""

    amount: Decimal
    unit: str

    @property
    def same_day(self) -> bool:
        return self.amount == 0

    @property
    def working_days(self) -> Decimal | None:
        return self.amount if self.unit == TimeUnit.WORKING_DAYS else None


def calendar_for(province_code: str) -> WorkCalendar:
    return get_calendar(province_code)


def limit_of(version: ProcedureVersion, channel: str, workflow_days: Decimal | None) -> Limit:
    """The legal limit for `channel`; the internal workflow's total when the catalog has none parsed."""
    limit = version.time_limit(channel)
    if limit is not None:
        return Limit(amount=limit.amount, unit=limit.unit)
    if workflow_days is not None:
        return Limit(amount=workflow_days, unit=TimeUnit.WORKING_DAYS)
    raise InvalidInput(
        "Thủ tục chưa có thời hạn giải quyết cho kênh nộp này; cần cập nhật danh mục.",
        code="procedure_without_time_limit",
        channel=channel,
    )


def due_for(start: datetime, limit: Limit, calendar: WorkCalendar) -> datetime:
    """The due time of a dossier whose clock starts at `start` (the complete dossier's reception)."""
    if limit.unit == TimeUnit.WORKING_DAYS:
        return due_time(start, days=limit.amount, calendar=calendar, same_day=limit.same_day)
    if limit.unit == TimeUnit.HOURS:
        return add_working_time(start, hours=limit.amount, calendar=calendar)
    # Calendar days and months: the same clock time that many days or months later, moved to an opening.
    if limit.unit == TimeUnit.MONTHS:
        end = _add_months(start, int(limit.amount))
    else:
        end = start + timedelta(days=float(limit.amount))
    return next_working_instant(end, calendar)


def step_dues(start: datetime, budgets: list[Decimal], calendar: WorkCalendar) -> list[datetime]:
    """Due time of each workflow step: the cumulative budgets (working days) from the clock start."""
    dues: list[datetime] = []
    total = Decimal(0)
    for budget in budgets:
        total += budget
        dues.append(add_working_time(start, days=total, calendar=calendar))
    return dues


def supplement_rule(procedure: Procedure) -> SupplementRule:
    """Pause (the default) or restart the count when a supplement arrives, as the procedure's decree
    says (`Procedure.supplement_rule`, set by officers in the admin; domain.md §4.4)."""
    return SupplementRule(procedure.supplement_rule)


def due_when_supplied(
    due: datetime,
    *,
    requested_at: datetime,
    supplied_at: datetime,
    rule: SupplementRule,
    limit: Limit,
    calendar: WorkCalendar,
) -> datetime:
    if rule is SupplementRule.RESTART:
        return due_for(supplied_at, limit, calendar)
    return due_after_supplement(
        due, requested_at=requested_at, supplied_at=supplied_at, rule=rule, days=0, calendar=calendar
    )


def waited(requested_at: datetime, supplied_at: datetime, calendar: WorkCalendar) -> timedelta:
    """Working time spent waiting for the applicant (excluded from the handling time, Decision 766)."""
    return working_time_between(requested_at, supplied_at, calendar)


def supplement_close_due(requested_at: datetime, days: int, calendar: WorkCalendar) -> datetime:
    """After this the dossier is closed for want of a supplement (`Procedure.supplement_close_days`)."""
    return add_working_time(requested_at, days=days, calendar=calendar)


def working_time_left(now: datetime, due: datetime, calendar: WorkCalendar) -> timedelta:
    return working_time_between(now, due, calendar)


def extension_notice(calendar: WorkCalendar) -> timedelta:
    """How much working time must remain for Mẫu 04 to be issued: one working day."""
    return calendar.day_length * EXTENSION_NOTICE_DAYS


def extended_due(due: datetime, *, extra_days: Decimal, already_extended: bool, calendar: WorkCalendar) -> datetime:
    return extend_due(due, extra_days=extra_days, already_extended=already_extended, calendar=calendar)


def paper_transfer_due(transferred_at: datetime, calendar: WorkCalendar) -> datetime:
    return add_working_time(transferred_at, days=PAPER_TRANSFER_DAYS, calendar=calendar)


def _add_months(start: datetime, months: int) -> datetime:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, gregorian.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)
