"""`reports_refresh`: bring the fact table up to date with the dossiers changed since the last refresh.

The only write of the reports app, to its own derived tables. Incremental by watermark: dossiers (or their
ratings) updated after the newest `source_updated_at` already copied, in batches; `full=True` rebuilds
everything. Run hourly with `motcua reports-refresh`. The monthly summary is recounted for the received
months of the dossiers copied (`summary.monthly_summary_rebuild`), and the step medians of the early warning
(`forecast.step_typicals_refresh`) are recomputed for the procedures of the dossiers copied, and the
contacts shared by many applicants (`brokers.shared_contacts_refresh`) for the values of the dossiers
copied. Each batch also updates `CurrentFact`, in the transaction that writes its facts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierComponent, DossierRating, Satisfaction
from motcua.dossiers.services.deadlines import calendar_for
from motcua.reports.brokers import shared_contacts_refresh
from motcua.reports.forecast import step_typicals_refresh
from motcua.reports.models import CURRENT, UNENDED, CurrentFact, DossierFact
from motcua.reports.summary import month_of, monthly_summary_rebuild, running_summary_rebuild
from motcua.workcal.calendar import working_time_between

BATCH = 2000
_UPDATED = [f.name for f in DossierFact._meta.concrete_fields if f.name != "dossier"]
_COLUMNS = [f.column for f in DossierFact._meta.concrete_fields]


def _changed(since: datetime | None) -> QuerySet[Dossier]:
    dossiers = Dossier.objects.all()
    if since is not None:
        dossiers = dossiers.filter(Q(updated_at__gt=since) | Q(rating__updated_at__gt=since))
    return dossiers


def _batches(dossiers: QuerySet[Dossier]) -> Iterator[list[int]]:
    ids = list(dossiers.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), BATCH):
        yield ids[i : i + BATCH]


def _component(flag: str) -> Exists:
    return Exists(DossierComponent.objects.filter(dossier=OuterRef("pk"), **{flag: True}))


def reports_refresh(*, full: bool = False, now: datetime | None = None) -> int:
    """Copy changed dossiers into the fact table; returns how many rows were written. `now` bounds the
    step history of the early warning (tests pass a fixed time)."""
    since = None if full else DossierFact.objects.aggregate(m=Max("source_updated_at"))["m"]
    written = 0
    procedures: set[int] = set()
    months: set[tuple[str, date]] = set()
    changed = _changed(since)
    for ids in _batches(changed):
        rows = (
            Dossier.objects.filter(pk__in=ids)
            .annotate(
                any_digitized=_component("digitized"),
                any_reused=_component("reused"),
                any_from_store=_component("from_national_db"),
                has_result=Exists(Dossier.result_documents.through.objects.filter(dossier_id=OuterRef("pk"))),
                unhappy=Exists(
                    DossierRating.objects.filter(dossier=OuterRef("pk"), satisfaction=Satisfaction.DISSATISFIED)
                ),
                source=Greatest("updated_at", Coalesce("rating__updated_at", "updated_at")),
            )
            .values(
                "pk", "procedure_id", "handling_agency_id", "handling_agency__province_id", "handling_agency__unit_id",
                "receiving_center__unit_id", "channel", "status", "received_at", "clock_started_at", "due_at",
                "finished_at", "returned_at", "paused_at", "paused_total", "late_by_supplements", "supplement_rounds",
                "vneid_verified", "any_digitized", "any_reused", "any_from_store", "has_result", "unhappy", "source",
            )
        )  # fmt: skip
        facts = [_fact(row) for row in rows]
        with transaction.atomic():
            DossierFact.objects.bulk_create(
                facts, update_conflicts=True, unique_fields=["dossier"], update_fields=_UPDATED
            )
            current_facts_copy(dossier_ids=ids)
        written += len(facts)
        procedures.update(fact.procedure_id for fact in facts)
        months.update((fact.province, month_of(fact.received_at)) for fact in facts)
    monthly_summary_rebuild(months=None if full else months)
    if full or written:
        shared_contacts_refresh(changed=None if full else changed)
    if full or procedures:
        step_typicals_refresh(procedure_ids=None if full else procedures, now=now or timezone.now())
    return written


def current_facts_copy(*, dossier_ids: list[int] | None = None) -> None:
    """Copy the `CURRENT` facts of the given dossiers (all when None) into `CurrentFact`, dropping their
    rows that are no longer current: one DELETE and one INSERT … SELECT; then recount the running summary
    for the received months of the rows that left or came in."""
    stale = CurrentFact.objects.all()
    facts = DossierFact.objects.filter(CURRENT)
    if dossier_ids is not None:
        stale, facts = stale.filter(pk__in=dossier_ids), facts.filter(pk__in=dossier_ids)
    select, params = facts.values_list(*(f.attname for f in DossierFact._meta.concrete_fields)).query.sql_with_params()
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    with transaction.atomic():
        months = None if dossier_ids is None else _received_months(stale)
        stale.delete()
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(CurrentFact._meta.db_table)
            cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)
        if months is not None:
            months |= _received_months(CurrentFact.objects.filter(pk__in=dossier_ids))
        running_summary_rebuild(months=months)


def _received_months(facts: QuerySet[CurrentFact]) -> set[tuple[str, date]]:
    return {
        (province, month_of(received))
        for province, received in facts.filter(UNENDED).values_list("province", "received_at").distinct()
    }


def _fact(row: dict[str, Any]) -> DossierFact:
    end = row["finished_at"] or row["returned_at"]
    started = row["clock_started_at"]
    hours = None
    if isinstance(end, datetime) and isinstance(started, datetime):
        calendar = calendar_for(str(row["handling_agency__province_id"]))
        paused = row["paused_total"] if isinstance(row["paused_total"], timedelta) else timedelta()
        hours = max((working_time_between(started, end, calendar) - paused).total_seconds() / 3600, 0.0)
    return DossierFact(
        dossier_id=row["pk"],
        procedure_id=row["procedure_id"],
        province=row["handling_agency__province_id"],
        handling_unit=row["handling_agency__unit_id"] or "",
        handling_agency_id=row["handling_agency_id"],
        receiving_unit=row["receiving_center__unit_id"] or "",
        channel=row["channel"],
        status=row["status"],
        received_at=row["received_at"],
        due_at=row["due_at"],
        end_at=end,
        paused_at=row["paused_at"],
        late_by_supplements=row["late_by_supplements"],
        supplement_rounds=row["supplement_rounds"],
        handling_hours=hours,
        digitized=row["any_digitized"],
        reused=row["any_reused"],
        from_store=row["any_from_store"],
        e_result=row["has_result"],
        vneid=row["vneid_verified"],
        dissatisfied=row["unhappy"],
        source_updated_at=row["source"],
    )
