"""Dashboard selectors: backlog by state and age, due-soon and overdue lists per unit and officer,
processing time against the legal limit by procedure, the boundary-free flow matrix, paper-transfer
delays, queue figures and ratings. Grouped SQL over the fact table, its copy of current facts
(`CurrentFact`) or its monthly summary (or the source table where the facts have no column for it); every selector takes the scope: the province, or one commune-level unit.
Rows are the `values()` dictionaries of the query (typed `Any`, as Django returns them).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from motcua.catalog.models import Procedure
from motcua.dossiers.models import DossierRating, DossierStep, PaperTransfer, Satisfaction
from motcua.dossiers.models.dossiers import OPEN_STATUSES
from motcua.org.models import StaffUser
from motcua.queueing.models import Rating, RatingScore, Ticket, TicketStatus
from motcua.reports.models import RUNNING, CurrentFact, DossierFact
from motcua.reports.periods import Period
from motcua.reports.summary import processing_counts

AGE_BUCKETS = ((0, 5), (5, 10), (10, 30), (30, None))  # calendar days since reception
LIST_LIMIT = 50


def _current(province: str, unit: str | None) -> QuerySet[CurrentFact]:
    facts = CurrentFact.objects.filter(province=province)
    return facts if unit is None else facts.filter(handling_unit=unit)


def _open(province: str, unit: str | None) -> QuerySet[CurrentFact]:
    return _current(province, unit).filter(status__in=OPEN_STATUSES)


def _running(province: str, unit: str | None) -> QuerySet[CurrentFact]:
    """Open dossiers whose clock runs (`RUNNING`)."""
    return _current(province, unit).filter(RUNNING)


def backlog(*, province: str, now: datetime, unit: str | None = None) -> list[dict[str, Any]]:
    """Open dossiers per status, counted by age bucket."""
    buckets = {
        f"{low}-{high or '∞'}": Count(
            "pk",
            filter=Q(received_at__lte=now - timedelta(days=low))
            & (Q(received_at__gt=now - timedelta(days=high)) if high else Q()),
        )
        for low, high in AGE_BUCKETS
    }
    return list(_open(province, unit).values("status").annotate(total=Count("pk"), **buckets).order_by("status"))


def _current_assignee() -> Subquery:
    """The officer holding the dossier now: the assignee of its started, unfinished step."""
    return Subquery(
        DossierStep.objects.filter(
            dossier_id=OuterRef("dossier_id"), started_at__isnull=False, finished_at__isnull=True
        )
        .order_by("order")
        .values("assignee__username")[:1]
    )


def overdue(
    *,
    province: str,
    now: datetime,
    limit: int = LIST_LIMIT,
    unit: str | None = None,
    soon_until: datetime | None = None,
) -> list[dict[str, Any]]:
    """Running dossiers past their due time (or due before `soon_until`), soonest first, with the officer
    holding each."""
    rows = (
        _running(province, unit)
        .filter(due_at__lt=soon_until or now)
        .order_by("due_at")
        .annotate(officer=_current_assignee())
        .values("dossier__code", "handling_unit", "receiving_unit", "procedure__code", "due_at", "officer")[:limit]
    )
    return [dict(row) for row in rows]


def deadlines_by_unit(
    *, province: str, now: datetime, soon_until: datetime, unit: str | None = None
) -> list[dict[str, Any]]:
    """Per handling unit: running dossiers overdue now and due before `soon_until` (one working day)."""
    return list(
        _running(province, unit)
        .filter(due_at__lt=soon_until)
        .values("handling_unit")
        .annotate(overdue=Count("pk", filter=Q(due_at__lt=now)), due_soon=Count("pk", filter=Q(due_at__gte=now)))
        .order_by("-overdue", "-due_soon", "handling_unit")
    )


def deadlines_by_officer(
    *, province: str, now: datetime, soon_until: datetime, unit: str | None = None
) -> list[dict[str, Any]]:
    """Per officer holding the dossier's current step (empty: a step nobody is assigned to yet, shown
    with its role): overdue and due-soon running dossiers, the same ones `deadlines_by_unit` counts.

    The steps are read live through their partial index `step_current`; the dossiers' state and due time
    come from `CurrentFact` as hashed sets of ids, so neither table's rows are read one by one."""
    running = _running(province, unit)

    def holders(due: Q) -> dict[tuple[int | None, str], int]:
        # A column of `step_current` is counted (not the id), so the steps are read from that index only;
        # a hashed semi-join with the running facts (one subplan per parallel worker would rebuild it).
        steps = DossierStep.objects.filter(
            started_at__isnull=False,
            finished_at__isnull=True,
            dossier_id__in=running.filter(due).values("dossier_id"),
        )
        return {
            (row["assignee_id"], row["role"]): row["n"]
            for row in steps.values("assignee_id", "role").annotate(n=Count("dossier_id")).order_by()
        }

    overdue, due_soon = holders(Q(due_at__lt=now)), holders(Q(due_at__gte=now, due_at__lt=soon_until))
    rows: list[dict[str, Any]] = [
        {"assignee_id": key[0], "role": key[1], "overdue": overdue.get(key, 0), "due_soon": due_soon.get(key, 0)}
        for key in overdue.keys() | due_soon.keys()
    ]
    names: dict[int, dict[str, Any]] = {
        user["pk"]: dict(user)
        for user in StaffUser.objects.filter(pk__in={row["assignee_id"] for row in rows}).values(
            "pk", "username", "last_name", "first_name"
        )
    }
    for row in rows:
        holder = names.get(row.pop("assignee_id"), {})
        for name in ("username", "last_name", "first_name"):
            row[f"assignee__{name}"] = holder.get(name)
    return sorted(rows, key=lambda r: (-r["overdue"], -r["due_soon"], r["assignee__username"] or "", r["role"]))


def flow_matrix(*, province: str, start: datetime, end: datetime, unit: str | None = None) -> list[dict[str, Any]]:
    """Receiving unit → handling unit, for dossiers received elsewhere than where they are handled; a unit
    sees the flows into and out of it."""
    facts = DossierFact.objects.filter(province=province, received_at__gte=start, received_at__lt=end)
    if unit is not None:
        facts = facts.filter(Q(handling_unit=unit) | Q(receiving_unit=unit))
    return list(
        facts.exclude(receiving_unit=F("handling_unit"))
        .values("receiving_unit", "handling_unit")
        .annotate(dossiers=Count("received_at"))  # an indexed column: the query reads only `fact_received_flow`
        .order_by("-dossiers", "receiving_unit", "handling_unit")
    )


def processing_time(*, province: str, period: Period, unit: str | None = None) -> list[dict[str, Any]]:
    """Average working hours per procedure for results in the period, beside the legal limit, and how many
    ended late (`summary.LATE_RESULT`); from the monthly summary (`summary.processing_counts`)."""
    counts = processing_counts(period, province=province, unit=unit)
    procedures = Procedure.objects.filter(pk__in=counts).values(
        "pk", "code", "name", "processing_time_amount", "processing_time_unit"
    )
    rows = [
        {
            "procedure__code": p["code"],
            "procedure__name": p["name"],
            "procedure__processing_time_amount": p["processing_time_amount"],
            "procedure__processing_time_unit": p["processing_time_unit"],
            "results": int(counts[p["pk"]]["n"]),
            "average_hours": counts[p["pk"]]["hours"] / counts[p["pk"]]["timed"] if counts[p["pk"]]["timed"] else None,
            "late": int(counts[p["pk"]]["late"]),
        }
        for p in procedures
    ]
    return sorted(rows, key=lambda row: (-row["results"], row["procedure__code"]))


def _transfers(province: str, unit: str | None, start: datetime, end: datetime) -> QuerySet[PaperTransfer]:
    transfers = PaperTransfer.objects.filter(
        dossier__handling_agency__province_id=province, transferred_at__gte=start, transferred_at__lt=end
    )
    if unit is not None:
        transfers = transfers.filter(
            Q(dossier__handling_agency__unit_id=unit) | Q(dossier__receiving_center__unit_id=unit)
        )
    return transfers


def paper_transfer_delays(
    *, province: str, start: datetime, end: datetime, now: datetime, unit: str | None = None
) -> list[dict[str, Any]]:
    """Per receiving center → handling agency: paper dossiers sent in the period, those that arrived late
    (more than 1 working day after the e-transfer) or are overdue still, and the average trip."""
    late = Q(late=True) | Q(received_at__isnull=True, due_at__lt=now)
    trip = ExpressionWrapper(F("received_at") - F("transferred_at"), output_field=DurationField())
    return list(
        _transfers(province, unit, start, end)
        .values("dossier__receiving_center__name", "dossier__handling_agency__name")
        .annotate(
            transfers=Count("pk"),
            late=Count("pk", filter=late),
            pending=Count("pk", filter=Q(received_at__isnull=True)),
            average_trip=Avg(trip, filter=Q(received_at__isnull=False)),
        )
        .order_by("-late", "-transfers", "dossier__receiving_center__name")
    )


def paper_transfers_late_list(
    *, province: str, start: datetime, end: datetime, now: datetime, unit: str | None = None
) -> list[dict[str, Any]]:
    rows = (
        _transfers(province, unit, start, end)
        .filter(Q(late=True) | Q(received_at__isnull=True, due_at__lt=now))
        .order_by("due_at")
        .values(
            "dossier__code",
            "dossier__receiving_center__name",
            "dossier__handling_agency__name",
            "transferred_at",
            "due_at",
            "received_at",
            "carrier",
        )[:LIST_LIMIT]
    )
    return [dict(row) for row in rows]


def queue_figures(*, province: str, start: datetime, end: datetime, unit: str | None = None) -> list[dict[str, Any]]:
    """Per center: tickets issued, served and absent, average wait to the first call, counter ratings
    (at the kiosk after service) and dossier ratings (of the dossiers the center received)."""
    centers = Q(center__province_id=province) if unit is None else Q(center__unit_id=unit)
    wait = ExpressionWrapper(F("first_called_at") - F("queued_at"), output_field=DurationField())
    tickets = {
        row["center__code"]: row
        for row in Ticket.objects.filter(centers, day__gte=start.date(), day__lt=end.date())
        .values("center__code", "center__name")
        .annotate(
            issued=Count("pk"),
            served=Count("pk", filter=Q(status=TicketStatus.DONE)),
            no_show=Count("pk", filter=Q(status=TicketStatus.NO_SHOW)),
            average_wait=Avg(wait, filter=Q(first_called_at__isnull=False)),
        )
        .order_by()
    }
    counter_ratings = (
        Rating.objects.filter(
            Q(counter__center__province_id=province) if unit is None else Q(counter__center__unit_id=unit),
            created_at__gte=start,
            created_at__lt=end,
        )
        .values("counter__center__code", "counter__center__name")
        .annotate(**{f"counter_{s}": Count("pk", filter=Q(score=s)) for s in RatingScore.values})
        .order_by()
    )
    dossier_ratings = (
        DossierRating.objects.filter(
            Q(dossier__receiving_center__province_id=province)
            if unit is None
            else Q(dossier__receiving_center__unit_id=unit),
            created_at__gte=start,
            created_at__lt=end,
        )
        .values("dossier__receiving_center__code", "dossier__receiving_center__name")
        .annotate(**{f"dossier_{s}": Count("pk", filter=Q(satisfaction=s)) for s in Satisfaction.values})
        .order_by()
    )
    empty = {"issued": 0, "served": 0, "no_show": 0, "average_wait": None}
    empty |= {f"counter_{s}": 0 for s in RatingScore.values} | {f"dossier_{s}": 0 for s in Satisfaction.values}
    merged: dict[str, dict[str, Any]] = {}
    for code, row in tickets.items():
        merged[code] = {**empty, "center": row["center__name"], **row}
    for prefix, rows in (("counter__center__", counter_ratings), ("dossier__receiving_center__", dossier_ratings)):
        for row in rows:
            code = row.pop(f"{prefix}code")
            name = row.pop(f"{prefix}name")
            merged.setdefault(code, {**empty, "center": name}).update(row)
    return [merged[code] for code in sorted(merged)]
