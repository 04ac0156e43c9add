"""The monthly summary of closed dossiers (`MonthlySummary`): its rebuild, and its share of the 766 counts.

The 766 set of a period counts the summary rows of the months it spans plus the live facts (dossiers
still being handled, a few percent of the table) row by row, instead of every fact received before the
period end (docs/benchmarks.md, "Reports"). For a closed dossier and a period made of whole months
[S, E), the conditions of `index766.group_counts` become conditions on months:
received in the period ⇔ S ≤ received month < E; in progress ⇔ received month < E and end month ≥ S;
ended in the period ⇔ S ≤ end month < E; still being handled at the period end ⇔ end month ≥ E, and then
late (besides repeated supplements) ⇔ due before E ⇔ due month < E.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, DateField, F, FloatField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from motcua.reports.models import LIVE, UNENDED, CurrentFact, DossierFact, MonthlySummary, RunningSummary
from motcua.reports.periods import Period

_BATCH = 5000
#: A result counted late on the processing-time page: ended after its due time, or more than one
#: supplement request.
LATE_RESULT = Q(end_at__gt=F("due_at")) | Q(late_by_supplements=True)


#: A dossier with a promised return time that was not withdrawn (status 7): the base of the on-time shares.
TIMED = Q(due_at__isnull=False) & ~Q(status=7)


def month_of(value: datetime) -> date:
    return timezone.localtime(value).date().replace(day=1)


def _next(month: date) -> date:
    return month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)


def _start(month: date) -> datetime:
    return timezone.make_aware(datetime.combine(month, time.min))


def _month(field: str) -> TruncMonth:
    return TruncMonth(field, output_field=DateField(), tzinfo=timezone.get_default_timezone())


def _months_scope(months: Iterable[tuple[str, date]] | None) -> tuple[Q, Q] | None:
    """The summary rows and the facts of the given (province, received month) pairs, as two conditions
    (everything when `months` is None); None when the pairs are none at all."""
    if months is None:
        return Q(), Q()
    wanted = set(months)
    if not wanted:
        return None
    kept, received = Q(), Q()
    for province, month in wanted:
        kept |= Q(province=province, received_month=month)
        received |= Q(province=province, received_at__gte=_start(month), received_at__lt=_start(_next(month)))
    return kept, received


@transaction.atomic
def monthly_summary_rebuild(*, months: Iterable[tuple[str, date]] | None = None) -> int:
    """Recount the summary rows of the given (province, received month) pairs from the fact table (all of
    them when None); returns the number of summary rows written."""
    scope = _months_scope(months)
    if scope is None:
        return 0
    kept, received = scope
    facts = DossierFact.objects.exclude(LIVE).filter(received)
    summary = MonthlySummary.objects.filter(kept)
    results = Q(status__in=(9, 10))
    rows = (
        facts.annotate(
            received_month=_month("received_at"),
            end_month=_month("end_at"),
            due_month_raw=_month("due_at"),
        )
        .annotate(
            due_month=Case(
                When(due_month_raw__lt=F("end_month"), then=F("due_month_raw")),
                default=Value(None),
                output_field=DateField(),
            )
        )
        .values("province", "received_month", "end_month", "due_month", "handling_unit", "procedure_id", "channel")
        .annotate(
            dossiers=Count("pk"),
            synced=Count("pk", filter=~Q(status=1)),
            reused=Count("pk", filter=Q(reused=True)),
            from_store=Count("pk", filter=Q(from_store=True)),
            vneid=Count("pk", filter=Q(vneid=True)),
            timed=Count("pk", filter=TIMED),
            timed_by_supplements=Count("pk", filter=TIMED & Q(late_by_supplements=True)),
            timed_overrun=Count("pk", filter=TIMED & Q(late_by_supplements=False, end_at__gt=F("due_at"))),
            timed_dissatisfied=Count("pk", filter=TIMED & Q(dissatisfied=True)),
            results=Count("pk", filter=results),
            e_results=Count("pk", filter=results & Q(e_result=True)),
            digitized_e_results=Count("pk", filter=results & Q(e_result=True, digitized=True)),
            ended_timed=Count("pk", filter=results & Q(handling_hours__isnull=False)),
            hours=Coalesce(Sum("handling_hours", filter=results), Value(0.0), output_field=FloatField()),
            late_results=Count("pk", filter=results & LATE_RESULT),
        )
        .order_by()
    )
    summary.delete()
    written = 0
    batch: list[MonthlySummary] = []
    for row in rows.iterator(chunk_size=_BATCH):
        batch.append(MonthlySummary(**row))
        if len(batch) == _BATCH:
            written += len(MonthlySummary.objects.bulk_create(batch))
            batch = []
    written += len(MonthlySummary.objects.bulk_create(batch))
    return written


def running_summary_rebuild(*, months: Iterable[tuple[str, date]] | None = None) -> int:
    """Recount the `RunningSummary` rows of the given (province, received month) pairs from `CurrentFact`
    (all of them when None); returns the number of rows written. Callers hold the transaction that wrote
    the current facts."""
    scope = _months_scope(months)
    if scope is None:
        return 0
    kept, received = scope
    facts = CurrentFact.objects.filter(UNENDED).filter(received)
    summary = RunningSummary.objects.filter(kept)
    rows = (
        facts.annotate(received_month=_month("received_at"), due_month=_month("due_at"))
        .values("province", "received_month", "due_month", "handling_unit", "procedure_id")
        .annotate(
            dossiers=Count("pk"),
            synced=Count("pk", filter=~Q(status=1)),
            online=Count("pk", filter=Q(channel="online")),
            reused=Count("pk", filter=Q(reused=True)),
            from_store=Count("pk", filter=Q(from_store=True)),
            vneid=Count("pk", filter=Q(vneid=True)),
            timed=Count("pk", filter=TIMED),
            timed_by_supplements=Count("pk", filter=TIMED & Q(late_by_supplements=True)),
            timed_dissatisfied=Count("pk", filter=TIMED & Q(dissatisfied=True)),
        )
        .order_by()
    )
    summary.delete()
    return len(RunningSummary.objects.bulk_create([RunningSummary(**row) for row in rows], batch_size=_BATCH))


def running_counts(period: Period, *, province: str, now: datetime | None) -> list[QuerySet[Any, dict[str, Any]]]:
    """The `UNENDED` facts' share of `index766.group_counts`, per (handling unit, procedure): the running
    summary's rows, and the facts due in the month of min(period end, now) before that instant (late by
    the due time, unless already counted late for their supplements)."""
    start, end = month_of(period.start), month_of(period.end)
    as_of = min(period.end, now or timezone.now())
    boundary = month_of(as_of)
    received = Q(received_month__gte=start)
    zero = Value(0)

    def total(field: Any, condition: Q | None = None) -> Coalesce:
        return Coalesce(Sum(field, filter=condition), 0)

    ended = dict.fromkeys(("results", "e_results", "digitized_e_results", "ended_timed"), zero)
    summary = (
        RunningSummary.objects.filter(province=province, received_month__lt=end)
        .values("handling_unit", "procedure_id")
        .annotate(
            received=total("dossiers", received),
            synced=total("synced", received),
            online=total("online", received),
            reused=total("reused", received),
            from_store=total("from_store", received),
            vneid=total("vneid", received),
            progress=total("timed"),
            late=total("timed_by_supplements")
            + total(F("timed") - F("timed_by_supplements"), Q(due_month__lt=boundary)),
            dissatisfied=total("timed_dissatisfied"),
            **ended,
            hours=Value(None, output_field=FloatField()),
        )
        .order_by()
    )
    queries: list[QuerySet[Any, dict[str, Any]]] = [summary]
    if as_of > _start(boundary):
        due_before = (
            CurrentFact.objects.filter(UNENDED, province=province, due_at__gte=_start(boundary), due_at__lt=as_of)
            .filter(received_at__lt=period.end, late_by_supplements=False)
            .exclude(status=7)
            .values("handling_unit", "procedure_id")
            .annotate(
                **dict.fromkeys(("received", "synced", "online", "reused", "from_store", "vneid"), zero),
                progress=zero,
                late=Count("pk"),
                dissatisfied=zero,
                **ended,
                hours=Value(None, output_field=FloatField()),
            )
            .order_by()
        )
        queries.append(due_before)
    return queries


def summary_counts(period: Period, *, province: str) -> QuerySet[MonthlySummary, dict[str, Any]]:
    """The closed dossiers' share of `index766.group_counts`, per (handling unit, procedure)."""
    start, end = month_of(period.start), month_of(period.end)
    received = Q(received_month__gte=start)
    progress = Q(end_month__gte=start)
    ended_in = Q(end_month__gte=start, end_month__lt=end)

    def total(field: Any, condition: Q) -> Coalesce:
        return Coalesce(Sum(field, filter=condition), 0)

    return (
        MonthlySummary.objects.filter(province=province, received_month__lt=end)
        .filter(received | progress)
        .values("handling_unit", "procedure_id")
        .annotate(
            received=total("dossiers", received),
            synced=total("synced", received),
            online=total("dossiers", received & Q(channel="online")),
            reused=total("reused", received),
            from_store=total("from_store", received),
            vneid=total("vneid", received),
            progress=total("timed", progress),
            late=total("timed_by_supplements", progress)
            + total("timed_overrun", ended_in)
            + total(F("timed") - F("timed_by_supplements"), Q(end_month__gte=end, due_month__lt=end)),
            dissatisfied=total("timed_dissatisfied", progress),
            results=total("results", ended_in),
            e_results=total("e_results", ended_in),
            digitized_e_results=total("digitized_e_results", ended_in),
            ended_timed=total("ended_timed", ended_in),
            hours=Coalesce(Sum("hours", filter=ended_in), Value(0.0), output_field=FloatField()),
        )
        .order_by()
    )


def processing_counts(period: Period, *, province: str, unit: str | None = None) -> dict[int, dict[str, float]]:
    """Per procedure, the results that ended in the period (a period of whole months): how many, how many
    late (`LATE_RESULT`), how many with a handling time and the sum of those times. The summary's rows of
    the period's end months, plus the results still `LIVE` (ended during a supplement wait)."""
    start, end = month_of(period.start), month_of(period.end)
    summary = MonthlySummary.objects.filter(province=province, end_month__gte=start, end_month__lt=end)
    # A `LIVE` fact with an end is a paused one: written so, the planner takes the partial index
    # `current_paused` instead of scanning every current fact.
    live = CurrentFact.objects.filter(
        province=province, paused_at__isnull=False, end_at__gte=period.start, end_at__lt=period.end, status__in=(9, 10)
    )
    if unit is not None:
        summary, live = summary.filter(handling_unit=unit), live.filter(handling_unit=unit)
    rows = [
        *summary.values("procedure_id").annotate(
            n=Sum("results"), late=Sum("late_results"), timed=Sum("ended_timed"), hours=Sum("hours")
        ).order_by(),
        *live.values("procedure_id").annotate(
            n=Count("pk"),
            late=Count("pk", filter=LATE_RESULT),
            timed=Count("handling_hours"),
            hours=Sum("handling_hours"),
        ).order_by(),
    ]  # fmt: skip
    counts: dict[int, dict[str, float]] = {}
    for row in rows:
        total = counts.setdefault(row["procedure_id"], dict.fromkeys(("n", "late", "timed", "hours"), 0.0))
        for name in total:
            total[name] += float(row[name] or 0)
    return {procedure: total for procedure, total in counts.items() if total["n"]}
