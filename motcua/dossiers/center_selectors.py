"""What a center's public page shows of its dossiers (công khai kết quả): on-time rate, average processing
time and citizens' ratings, over the dossiers it received that finished in the last year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierRating, Satisfaction
from motcua.org.models import ServiceCenter

PERIOD = timedelta(days=365)


@dataclass(frozen=True)
class CenterFigures:
    finished: int
    on_time: int
    average_days: float | None
    ratings: dict[str, int]

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.finished if self.finished else None

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())


def center_figures(center: ServiceCenter, *, now: datetime | None = None) -> CenterFigures:
    """On time as in Decision 766 index 2.1: finished by the due time and not late by repeated supplements."""
    since = (now or timezone.now()) - PERIOD
    finished = Dossier.objects.filter(receiving_center=center, finished_at__gte=since, due_at__isnull=False)
    figures = finished.aggregate(
        count=Count("id"),
        on_time=Count("id", filter=Q(finished_at__lte=F("due_at"), late_by_supplements=False)),
        average=Avg(ExpressionWrapper(F("finished_at") - F("received_at"), output_field=DurationField())),
    )
    average: timedelta | None = figures["average"]
    counts = DossierRating.objects.filter(dossier__receiving_center=center, created_at__gte=since).aggregate(
        **{value: Count("id", filter=Q(satisfaction=value)) for value in Satisfaction.values}
    )
    return CenterFigures(
        finished=figures["count"],
        on_time=figures["on_time"],
        average_days=average / timedelta(days=1) if average is not None else None,
        ratings={value: int(counts[value]) for value in Satisfaction.values},
    )
