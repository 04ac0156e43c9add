# mypy: disallow-untyped-calls=False
"""The monthly summary gives the 766 counts a scan of every fact gives, for every kind of period, and the
incremental refresh keeps it so."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status, SubState
from motcua.dossiers.tests.factories import World
from motcua.reports.index766 import fact_counts, group_counts
from motcua.reports.models import DossierFact, MonthlySummary
from motcua.reports.periods import period_parse
from motcua.reports.refresh import current_facts_copy, reports_refresh
from motcua.reports.summary import monthly_summary_rebuild
from motcua.reports.tests.golden import build_golden

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 5, 20, 10, tzinfo=TZ)
PERIODS = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-Q1", "2026-Q2", "2026-H1", "2026-9M", "2026"]


def _totals(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, int], dict[str, float]]:
    totals: defaultdict[tuple[str, int], defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        key = (str(row["handling_unit"]), int(str(row["procedure_id"])))
        for name, value in row.items():
            if name not in ("handling_unit", "procedure_id"):
                totals[key][name] += float(str(value or 0))
    # Sums of working hours in another order differ in the last bits.
    return {key: {k: round(v, 3) for k, v in values.items() if v} for key, values in totals.items()}


def _scramble(world: World, count: int) -> None:
    """`count` clones of a golden dossier whose facts get random times and flags around month ends
    (received late in a month, ended or due in the next, paused, withdrawn, open); nothing ends after now."""
    rng = random.Random(766)
    template = Dossier.objects.order_by("pk").first()
    assert template is not None
    clones = []
    for n in range(count):
        fields = {f.attname: getattr(template, f.attname) for f in Dossier._meta.concrete_fields if f.attname != "id"}
        clones.append(Dossier(**{**fields, "code": f"S-{n:04d}", "tracking_salt": f"{n:032d}"}))
    Dossier.objects.bulk_create(clones)
    reports_refresh(full=True, now=NOW)
    facts = list(DossierFact.objects.filter(dossier__code__startswith="S-"))
    units = [world.subject_code, str(world.other_agency.unit_id), ""]
    for fact in facts:
        received = datetime(2026, 1, 1, 8, tzinfo=TZ) + timedelta(days=rng.uniform(0, 135))
        fact.received_at = received
        fact.end_at = None if rng.random() < 0.25 else min(received + timedelta(days=rng.uniform(0, 45)), NOW)
        fact.due_at = None if rng.random() < 0.1 else received + timedelta(days=rng.uniform(0, 30))
        fact.paused_at = min(received + timedelta(days=rng.uniform(0, 20)), NOW) if rng.random() < 0.15 else None
        fact.status = rng.choice([1, 2, 3, 4, 5, 7, 8, 9, 10, 10, 10])
        fact.channel = rng.choice(["online", "direct", "post"])
        fact.handling_unit = rng.choice(units)
        fact.late_by_supplements = rng.random() < 0.1
        fact.handling_hours = None if rng.random() < 0.2 else rng.uniform(0, 100)
        for flag in ("digitized", "reused", "from_store", "e_result", "vneid", "dissatisfied"):
            setattr(fact, flag, rng.random() < 0.4)
    updated = ["received_at", "end_at", "due_at", "paused_at", "status", "channel", "handling_unit",
              "late_by_supplements", "handling_hours", "digitized", "reused", "from_store", "e_result", "vneid",
              "dissatisfied"]  # fmt: skip
    DossierFact.objects.bulk_update(facts, updated)
    # What the refresh derives from the facts it writes.
    current_facts_copy()
    monthly_summary_rebuild()


def _assert_summary_matches_a_full_scan(province: str) -> None:
    for key in PERIODS:
        period = period_parse(key)
        expected = _totals(fact_counts(DossierFact.objects.filter(province=province), period, now=NOW))
        assert _totals(group_counts(period, province=province, now=NOW)) == expected, key


@pytest.mark.django_db
def test_summary_plus_live_rows_equal_a_scan_of_every_fact(world: World) -> None:
    build_golden(world)
    _scramble(world, 300)
    assert 0 < MonthlySummary.objects.count() < DossierFact.objects.count()
    _assert_summary_matches_a_full_scan(world.subject_agency.province_id)


@pytest.mark.django_db
def test_incremental_refresh_recounts_the_month_of_a_dossier_that_closes(world: World) -> None:
    dossiers = build_golden(world)
    province = world.subject_agency.province_id
    before = _totals(group_counts(period_parse("2026-03"), province=province, now=NOW))
    # C (received 16 March, open, due 23 March) is returned on 25 March: it moves to the summary, late.
    Dossier.objects.filter(pk=dossiers["C"].pk).update(
        status=Status.RETURNED, sub_state=SubState.RETURNED, finished_at=datetime(2026, 3, 25, 8, tzinfo=TZ),
        returned_at=datetime(2026, 3, 25, 9, tzinfo=TZ), updated_at=timezone.now(),
    )  # fmt: skip
    reports_refresh(now=NOW)
    after = _totals(group_counts(period_parse("2026-03"), province=province, now=NOW))
    key = (world.subject_code, world.procedure.pk)
    assert after[key]["results"] == before[key]["results"] + 1
    assert after[key]["late"] == before[key]["late"]  # late while open, late once ended after its due time
    _assert_summary_matches_a_full_scan(province)
