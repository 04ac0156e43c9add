"""Dashboard selectors: backlog by state and age, overdue and due-soon lists, processing time against
the legal limit by procedure, the boundary-free flow matrix. Grouped SQL over the fact table."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Avg, Count, F, Q

from motcua.reports.models import OPEN_STATUSES, DossierFact

AGE_BUCKETS = ((0, 5), (5, 10), (10, 30), (30, None))  # calendar days since reception


def backlog(*, province: str, now: datetime) -> list[dict[str, object]]:
    """Open dossiers per status, counted by age bucket."""
    buckets = {
        f"{low}-{high or '∞'}": Count(
            "pk",
            filter=Q(received_at__lte=now - timedelta(days=low))
            & (Q(received_at__gt=now - timedelta(days=high)) if high else Q()),
        )
        for low, high in AGE_BUCKETS
    }
    return list(
        DossierFact.objects.filter(province=province, status__in=OPEN_STATUSES)
        .values("status")
        .annotate(total=Count("pk"), **buckets)
        .order_by("status")
    )


def overdue(
    *, province: str, now: datetime, due_within: timedelta = timedelta(0), limit: int = 50
) -> list[dict[str, object]]:
    """Open dossiers past their due time (or due within `due_within`), soonest first."""
    rows = (
        DossierFact.objects.filter(
            province=province, status__in=OPEN_STATUSES, due_at__lt=now + due_within, paused_at__isnull=True
        )
        .order_by("due_at")
        .values("dossier__code", "handling_unit", "receiving_unit", "procedure__code", "due_at")[:limit]
    )
    return [dict(row) for row in rows]


def flow_matrix(*, province: str, start: datetime, end: datetime) -> list[dict[str, object]]:
    """Receiving unit → handling unit, for dossiers received elsewhere than where they are handled."""
    return list(
        DossierFact.objects.filter(province=province, received_at__gte=start, received_at__lt=end)
        .exclude(receiving_unit=F("handling_unit"))
        .values("receiving_unit", "handling_unit")
        .annotate(dossiers=Count("pk"))
        .order_by("-dossiers")
    )


def processing_time(*, province: str, start: datetime, end: datetime) -> list[dict[str, object]]:
    """Average working hours per procedure for results in the period, beside the legal limit."""
    return list(
        DossierFact.objects.filter(province=province, end_at__gte=start, end_at__lt=end, status__in=(9, 10))
        .values("procedure__code", "procedure__processing_time_amount", "procedure__processing_time_unit")
        .annotate(results=Count("pk"), average_hours=Avg("handling_hours"))
        .order_by("-results")
    )
