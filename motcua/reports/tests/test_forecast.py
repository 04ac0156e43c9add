# mypy: disallow-untyped-calls=False
"""Early warning on a small fixture computed by hand.

Office hours 07:30–11:30 and 13:30–17:00: a working day (WD) is 7 h 30. March 2026 has no holiday.
The world's procedure (5 WD) has the default workflow: 1 reception 0.25 WD, 2 specialist 4 WD,
3 leader 0.5 WD, 4 clerk 0.25 WD.

History (returned dossiers, no supplement), each starting step 2 on Mon 2 March 07:30:
| | step 2 | step 3 | step 4 |
|---|---|---|---|
| H1 | 1 WD | 0.5 WD | 0.25 WD |
| H2 | 2 WD | 0.5 WD | 0.25 WD |
| H3 | 4 WD | 1 WD | not started (not a sample) |
| S (one supplement request) | 9 WD | – | – | excluded: the citizen's wait is in it |
Medians: step 2 = 2 WD (15 h); step 3 = 0.5 WD (3 h 45); step 4 has 2 samples < 3 → template budget
0.25 WD (1 h 52 min 30 s).

Now: Tue 10 March 07:30. X and Y are in step 2 since Mon 9 March 07:30 (1 WD = 7 h 30 spent), so
expected = max(15 h − 7 h 30, 0) + 3 h 45 + 1 h 52 min 30 s = 13 h 07 min 30 s; predicted: Tue 07:30
+ 7 h 30 = Wed 07:30, + 4 h (morning) = Wed 11:30, + 1 h 37 min 30 s from 13:30 = Wed 11 March 15:07:30.
- X due Thu 12 March 17:00: 22 h 30 left (Tue, Wed, Thu) ≥ 13 h 07 min 30 s → not at risk, slack 9 h 22 min 30 s.
- Y due Wed 11 March 11:30: 11 h 30 left (Tue 7 h 30 + Wed morning 4 h) → at risk, slack −1 h 37 min 30 s.
- P waits for a supplement (clock stopped): no forecast. O was due Mon 9 March 17:00: overdue, not "at risk".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.states import Status, SubState
from motcua.dossiers.tests.factories import World, receive
from motcua.reports.forecast import dossier_forecast, dossiers_at_risk
from motcua.reports.models import StepTypical
from motcua.reports.refresh import reports_refresh

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 10, 7, 30, tzinfo=TZ)


def at(day: int, hour: int = 7, minute: int = 30) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ)


def _history(world: World, step2_end: datetime, step3_end: datetime | None, step4_end: datetime | None, *,
             supplements: int = 0) -> None:  # fmt: skip
    dossier = receive(world, received_at=at(2))
    ends = {1: at(2), 2: step2_end, 3: step3_end, 4: step4_end}
    starts = {1: at(2), 2: at(2), 3: step2_end, 4: step3_end}
    for order, end in ends.items():
        DossierStep.objects.filter(dossier=dossier, order=order).update(
            started_at=starts[order] if end else None, finished_at=end or step2_end
        )
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Status.RETURNED, sub_state=SubState.RETURNED, finished_at=step2_end, returned_at=step2_end,
        supplement_rounds=supplements,
    )  # fmt: skip


def _open(world: World, *, due: datetime, paused: bool = False) -> Dossier:
    dossier = receive(world, received_at=at(9))
    DossierStep.objects.filter(dossier=dossier, order=1).update(started_at=at(9), finished_at=at(9))
    DossierStep.objects.filter(dossier=dossier, order=2).update(started_at=at(9))
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Status.SUPPLEMENT_REQUESTED if paused else Status.IN_PROGRESS,
        sub_state=SubState.WAITING_SUPPLEMENT if paused else SubState.IN_HANDLING,
        clock_started_at=at(9),
        due_at=due,
        paused_at=at(9, 10) if paused else None,
    )
    return Dossier.objects.select_related("handling_agency").get(pk=dossier.pk)


@pytest.mark.django_db
def test_forecast_from_step_medians_and_template_budget(world: World) -> None:
    assert list(world.procedure.workflow.steps.values_list("order", "role", "budget_days")) == [
        (1, "reception", Decimal("0.25")), (2, "specialist", Decimal(4)), (3, "leader", Decimal("0.5")),
        (4, "clerk", Decimal("0.25")),
    ]  # fmt: skip
    _history(world, at(3), at(3, 11, 15), at(3, 13, 52))  # H1: 1, 0.5, 0.25 WD
    _history(world, at(4), at(4, 11, 15), at(4, 13, 52))  # H2: 2, 0.5, 0.25 WD
    _history(world, at(6), at(9), None)  # H3: 4, 1 WD, step 4 never started
    _history(world, at(13), None, None, supplements=1)  # S: 9 WD, excluded
    x = _open(world, due=at(12, 17, 0))
    y = _open(world, due=at(11, 11, 30))
    p = _open(world, due=at(11, 11, 30), paused=True)
    _open(world, due=at(9, 17, 0))
    reports_refresh(full=True, now=NOW)

    hours = timedelta(hours=1)
    typical = dict(StepTypical.objects.values_list("order", "median"))
    assert typical == {1: timedelta(0), 2: 15 * hours, 3: 3.75 * hours}  # step 4: 2 samples, none kept
    assert StepTypical.objects.get(order=2).samples == 3

    fx = dossier_forecast(x, now=NOW)
    assert fx is not None
    assert fx.expected == timedelta(hours=13, minutes=7, seconds=30)
    assert fx.predicted_at == datetime(2026, 3, 11, 15, 7, 30, tzinfo=TZ)
    assert fx.remaining == 22.5 * hours
    assert (fx.at_risk, fx.slack) == (False, timedelta(hours=9, minutes=22, seconds=30))
    assert (fx.from_history, fx.steps) == (2, 3)

    fy = dossier_forecast(y, now=NOW)
    assert fy is not None
    assert fy.remaining == 11.5 * hours
    assert (fy.at_risk, fy.slack) == (True, -timedelta(hours=1, minutes=37, seconds=30))
    assert dossier_forecast(p, now=NOW) is None

    at_risk = dossiers_at_risk(province=world.subject_agency.province_id, now=NOW)
    assert [(r.forecast.code, r.handling_unit) for r in at_risk] == [(y.code, world.subject_code)]
    assert dossiers_at_risk(province=world.subject_agency.province_id, now=NOW, unit=world.other_agency.unit_id) == []
