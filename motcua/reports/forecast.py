"""Early warning (cảnh báo sớm): open dossiers likely to be late.

For an open dossier whose clock runs, the expected working time still needed is the typical duration
of its remaining workflow steps: for the current step, its typical duration minus the working time
already spent in it (never below zero); for each later step, its typical duration. The typical duration
of a step is the median working time of the same step (procedure, order) in completed dossiers
(`StepTypical`, kept by `reports_refresh`); with fewer than `MIN_SAMPLES` of them, the step's budget in
the procedure's workflow template. The predicted completion is now plus that working time on the
handling province's calendar; the dossier is at risk when the prediction falls after its due time.

A dossier waiting for a supplement is not forecast: its clock stands still and its due time will move
by however long the citizen takes.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.models.dossiers import OPEN_STATUSES
from motcua.dossiers.services.deadlines import calendar_for
from motcua.reports.models import RUNNING, CurrentFact, StepTypical
from motcua.workcal.calendar import WorkCalendar, add_working_time, working_time_between

#: Fewer completed steps than this say little about a typical duration: the template budget is used.
MIN_SAMPLES = 3
#: Completed steps older than this reflect staffing and procedures that have changed since.
HISTORY = timedelta(days=365)
#: The at-risk list forecasts the open dossiers due soonest, so the page costs the same at any size of
#: the province; one of them predicted late is what the list is for, and those due later have more slack.
CANDIDATES = 500
_RESULT_STATUSES = (9, 10)


@dataclass(frozen=True)
class Forecast:
    code: str
    due_at: datetime
    #: Working time from now to the due time; negative once overdue.
    remaining: timedelta
    #: Typical working time of the remaining steps.
    expected: timedelta
    predicted_at: datetime
    #: How many remaining steps had a median from history (the rest used the template budget).
    from_history: int
    steps: int

    @property
    def at_risk(self) -> bool:
        return self.predicted_at > self.due_at

    @property
    def slack(self) -> timedelta:
        return self.remaining - self.expected


def step_typicals_refresh(*, procedure_ids: Iterable[int] | None, now: datetime) -> int:
    """Recompute the medians of the given procedures' steps (all when None); returns the rows kept."""
    steps = DossierStep.objects.filter(
        started_at__isnull=False,
        finished_at__gte=now - HISTORY,
        dossier__status__in=_RESULT_STATUSES,
        dossier__supplement_rounds=0,
    )
    typicals = StepTypical.objects.all()
    if procedure_ids is not None:
        ids = set(procedure_ids)
        steps, typicals = steps.filter(dossier__procedure_id__in=ids), typicals.filter(procedure_id__in=ids)
    seconds: defaultdict[tuple[int, int], list[float]] = defaultdict(list)
    calendars: dict[str, WorkCalendar] = {}
    rows = steps.values_list(
        "dossier__procedure_id", "order", "started_at", "finished_at", "dossier__handling_agency__province_id"
    )
    for procedure_id, order, started, finished, province in rows.iterator(chunk_size=5000):
        assert started is not None  # filtered above, like finished_at
        assert finished is not None
        calendar = calendars.get(province) or calendars.setdefault(province, calendar_for(province))
        seconds[(procedure_id, order)].append(working_time_between(started, finished, calendar).total_seconds())
    kept = [
        StepTypical(
            procedure_id=procedure_id,
            order=order,
            median=timedelta(seconds=statistics.median(values)),
            samples=len(values),
        )
        for (procedure_id, order), values in seconds.items()
        if len(values) >= MIN_SAMPLES
    ]
    typicals.delete()
    StepTypical.objects.bulk_create(kept)
    return len(kept)


def _typicals(procedure_ids: Iterable[int]) -> dict[tuple[int, int], timedelta]:
    return {
        (procedure_id, order): median
        for procedure_id, order, median in StepTypical.objects.filter(procedure_id__in=set(procedure_ids)).values_list(
            "procedure_id", "order", "median"
        )
    }


def _forecast(
    *,
    code: str,
    procedure_id: int,
    due_at: datetime,
    steps: list[DossierStep],
    typicals: dict[tuple[int, int], timedelta],
    calendar: WorkCalendar,
    now: datetime,
) -> Forecast:
    expected = timedelta()
    from_history = 0
    for step in steps:
        typical = typicals.get((procedure_id, step.order))
        if typical is None:
            typical = calendar.day_length * float(step.budget_days)
        else:
            from_history += 1
        if step.started_at is not None and step.started_at < now:
            typical -= working_time_between(step.started_at, now, calendar)
        expected += max(typical, timedelta())
    return Forecast(
        code=code,
        due_at=due_at,
        remaining=working_time_between(now, due_at, calendar),
        expected=expected,
        predicted_at=add_working_time(now, duration=expected, calendar=calendar),
        from_history=from_history,
        steps=len(steps),
    )


def _unfinished_steps(dossier_ids: Iterable[int]) -> dict[int, list[DossierStep]]:
    steps: defaultdict[int, list[DossierStep]] = defaultdict(list)
    for step in DossierStep.objects.filter(dossier_id__in=list(dossier_ids), finished_at__isnull=True).order_by(
        "dossier_id", "order"
    ):
        steps[step.dossier_id].append(step)
    return steps


def dossier_forecast(dossier: Dossier, *, now: datetime) -> Forecast | None:
    """The forecast of one open dossier; None when its clock does not run (not accepted yet, waiting for
    a supplement, or finished)."""
    if (
        dossier.due_at is None
        or dossier.paused_at is not None
        or dossier.finished_at is not None
        or dossier.status not in OPEN_STATUSES
    ):
        return None
    return _forecast(
        code=dossier.code,
        procedure_id=dossier.procedure_id,
        due_at=dossier.due_at,
        steps=_unfinished_steps([dossier.pk])[dossier.pk],
        typicals=_typicals([dossier.procedure_id]),
        calendar=calendar_for(dossier.handling_agency.province_id),
        now=now,
    )


def _candidates(province: str, unit: str | None, now: datetime) -> QuerySet[CurrentFact]:
    facts = CurrentFact.objects.filter(RUNNING, province=province, due_at__gte=now)
    if unit is not None:
        facts = facts.filter(handling_unit=unit)
    return facts.order_by("due_at")


@dataclass(frozen=True)
class AtRisk:
    forecast: Forecast
    handling_unit: str
    procedure_code: str


def dossiers_at_risk(*, province: str, now: datetime, unit: str | None = None) -> list[AtRisk]:
    """Open dossiers not yet overdue whose predicted completion falls after their due time, least slack
    first (the `CANDIDATES` due soonest are forecast)."""
    rows = list(
        _candidates(province, unit, now).values_list(
            "dossier_id", "dossier__code", "procedure_id", "procedure__code", "handling_unit", "due_at"
        )[:CANDIDATES]
    )
    steps = _unfinished_steps(row[0] for row in rows)
    typicals = _typicals(row[2] for row in rows)
    calendar = calendar_for(province)
    found = []
    for dossier_id, code, procedure_id, procedure_code, handling_unit, due_at in rows:
        assert due_at is not None  # filtered in _candidates
        forecast = _forecast(
            code=code,
            procedure_id=procedure_id,
            due_at=due_at,
            steps=steps.get(dossier_id, []),
            typicals=typicals,
            calendar=calendar,
            now=now,
        )
        if forecast.at_risk:
            found.append(AtRisk(forecast, handling_unit, procedure_code))
    return sorted(found, key=lambda item: (item.forecast.slack, item.forecast.due_at))
