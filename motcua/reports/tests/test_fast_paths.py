# mypy: disallow-untyped-calls=False
"""The dashboards read maintained tables (`CurrentFact`, the monthly summary) and narrow indexes; each
figure must equal what a plain pass over every fact or dossier gives. The oracles here are Python loops
over the fixture's rows, independent of the SQL they check."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.models.dossiers import OPEN_STATUSES
from motcua.dossiers.states import Status, SubState
from motcua.dossiers.tests.factories import World
from motcua.reports import dashboards
from motcua.reports.index766 import COUNTERS, Counts, counts_by_scope, fact_counts
from motcua.reports.models import CURRENT, CurrentFact, DossierFact, RunningSummary
from motcua.reports.periods import period_parse
from motcua.reports.refresh import reports_refresh
from motcua.reports.summary import running_summary_rebuild
from motcua.reports.tests.golden import build_golden
from motcua.reports.tests.test_summary import NOW, PERIODS, TZ, _scramble

SOON = NOW + timedelta(days=2)


def _fact_rows(model: type[DossierFact] | type[CurrentFact]) -> dict[int, tuple[object, ...]]:
    fields = [f.attname for f in DossierFact._meta.concrete_fields]
    return {row[0]: row for row in model.objects.values_list(*fields)}


def _assert_current_facts_are_the_current_facts() -> None:
    expected = {pk: row for pk, row in _fact_rows(DossierFact).items() if pk in _current_ids()}
    assert _fact_rows(CurrentFact) == expected


def _current_ids() -> set[int]:
    return set(DossierFact.objects.filter(CURRENT).values_list("pk", flat=True))


def _running(fact: DossierFact) -> bool:
    return fact.status in OPEN_STATUSES and fact.end_at is None and fact.paused_at is None


@pytest.fixture
def scrambled(world: World) -> str:
    build_golden(world)
    _scramble(world, 300)
    return world.subject_agency.province_id


@pytest.mark.django_db
def test_the_refresh_keeps_current_facts_equal_to_the_open_and_live_facts(world: World) -> None:
    dossiers = build_golden(world)
    current = _current_ids()
    assert 0 < len(current) < DossierFact.objects.count()
    _assert_current_facts_are_the_current_facts()
    # C is returned (leaves), A is reopened for handling (comes in); the refresh moves both.
    Dossier.objects.filter(pk=dossiers["C"].pk).update(
        status=Status.RETURNED, sub_state=SubState.RETURNED, finished_at=datetime(2026, 3, 25, 8, tzinfo=TZ),
        returned_at=datetime(2026, 3, 25, 9, tzinfo=TZ), updated_at=timezone.now(),
    )  # fmt: skip
    Dossier.objects.filter(pk=dossiers["A"].pk).update(
        status=Status.IN_PROGRESS, sub_state=SubState.IN_HANDLING, finished_at=None, returned_at=None,
        updated_at=timezone.now(),
    )  # fmt: skip
    reports_refresh(now=NOW)
    assert _current_ids() == current - {dossiers["C"].pk} | {dossiers["A"].pk}
    _assert_current_facts_are_the_current_facts()
    # The running summary the refresh recounted for the months it moved equals a recount of every month.
    incremental = _running_summary()
    assert incremental
    running_summary_rebuild()
    assert _running_summary() == incremental


def _running_summary() -> Counter[tuple[object, ...]]:
    fields = [f.attname for f in RunningSummary._meta.concrete_fields if f.attname != "id"]
    return Counter(RunningSummary.objects.values_list(*fields))


@pytest.mark.django_db
def test_backlog_equals_a_count_of_every_open_fact(scrambled: str) -> None:
    expected: defaultdict[int, Counter[str]] = defaultdict(Counter)
    for fact in DossierFact.objects.filter(province=scrambled):
        if fact.status not in OPEN_STATUSES:
            continue
        age = NOW - fact.received_at
        expected[fact.status]["total"] += 1
        for low, high in dashboards.AGE_BUCKETS:
            if age >= timedelta(days=low) and (high is None or age < timedelta(days=high)):
                expected[fact.status][f"{low}-{high or '∞'}"] += 1
    rows = dashboards.backlog(province=scrambled, now=NOW)
    assert len(rows) > 2
    assert {r["status"]: Counter({k: v for k, v in r.items() if k != "status" and v}) for r in rows} == expected


@pytest.mark.django_db
def test_deadlines_and_the_overdue_list_equal_a_pass_over_every_fact(scrambled: str) -> None:
    expected: defaultdict[str, Counter[str]] = defaultdict(Counter)
    listed = []
    for fact in DossierFact.objects.filter(province=scrambled).select_related("dossier"):
        if _running(fact) and fact.due_at is not None and fact.due_at < SOON:
            expected[fact.handling_unit]["overdue" if fact.due_at < NOW else "due_soon"] += 1
            listed.append((fact.due_at, fact.dossier.code))
    by_unit = dashboards.deadlines_by_unit(province=scrambled, now=NOW, soon_until=SOON)
    assert sum(r["overdue"] for r in by_unit) > 0
    assert {
        r["handling_unit"]: Counter({k: r[k] for k in ("overdue", "due_soon") if r[k]}) for r in by_unit
    } == expected
    rows = dashboards.overdue(province=scrambled, now=NOW, soon_until=SOON, limit=1000)
    assert sorted((r["due_at"], r["dossier__code"]) for r in rows) == sorted(listed)


@pytest.mark.django_db
def test_deadlines_per_officer_equal_a_pass_over_every_step(scrambled: str) -> None:
    """The officer holding each running dossier that `deadlines_by_unit` counts: its started, unfinished
    steps, with the dossier's state and due time as the facts have them."""
    facts = {f.pk: f for f in DossierFact.objects.filter(province=scrambled)}
    expected: Counter[tuple[str | None, str, str]] = Counter()
    for step in DossierStep.objects.select_related("assignee"):
        fact = facts.get(step.dossier_id)
        if step.started_at is None or step.finished_at is not None or fact is None or not _running(fact):
            continue
        if fact.due_at is None or fact.due_at >= SOON:
            continue
        who = step.assignee.username if step.assignee else None
        expected[(who, step.role, "overdue" if fact.due_at < NOW else "due_soon")] += 1
    rows = dashboards.deadlines_by_officer(province=scrambled, now=NOW, soon_until=SOON)
    got = Counter(
        {(r["assignee__username"], r["role"], k): r[k] for r in rows for k in ("overdue", "due_soon") if r[k]}
    )
    assert got == expected
    assert sum(got.values()) > 0


@pytest.mark.django_db
def test_processing_time_equals_a_pass_over_every_fact(scrambled: str) -> None:
    checked = 0
    for key in PERIODS:
        period = period_parse(key)
        ended: defaultdict[str, list[DossierFact]] = defaultdict(list)
        for fact in DossierFact.objects.filter(province=scrambled).select_related("procedure"):
            if fact.status in (9, 10) and fact.end_at is not None and period.start <= fact.end_at < period.end:
                ended[fact.procedure.code].append(fact)
        expected = {}
        for code, facts in ended.items():
            hours = [f.handling_hours for f in facts if f.handling_hours is not None]
            late = [f for f in facts if f.late_by_supplements or (f.due_at is not None and f.end_at > f.due_at)]  # type: ignore[operator]
            expected[code] = (len(facts), round(sum(hours) / len(hours), 6) if hours else None, len(late))
        rows = dashboards.processing_time(province=scrambled, period=period)
        got = {
            r["procedure__code"]: (
                r["results"],
                None if r["average_hours"] is None else round(r["average_hours"], 6),
                r["late"],
            )
            for r in rows
        }
        assert got == expected, key
        checked += sum(n for n, _, _ in expected.values())
    assert checked > 0


def _rounded(counts: Counts) -> tuple[dict[str, float], set[int], set[int]]:
    # Sums of working hours in another order differ in the last bits.
    return {k: round(v, 3) for k, v in counts.values.items()}, counts.procedures, counts.vneid_procedures


@pytest.mark.django_db
def test_the_766_rollup_per_unit_and_procedure_equals_a_scan_of_every_fact(scrambled: str) -> None:
    for key in PERIODS:
        period = period_parse(key)
        whole = Counts()
        units: defaultdict[str, Counts] = defaultdict(Counts)
        procedures: defaultdict[int, Counts] = defaultdict(Counts)
        for row in fact_counts(DossierFact.objects.filter(province=scrambled), period, now=NOW):
            procedure = int(row["procedure_id"])
            for counts in (whole, units[row["handling_unit"]], procedures[procedure]):
                counts.totals = [t + float(row[name] or 0) for t, name in zip(counts.totals, COUNTERS, strict=True)]
                if row["received"]:
                    counts.procedures.add(procedure)
                if row["vneid"]:
                    counts.vneid_procedures.add(procedure)
        scoped = counts_by_scope(period, province=scrambled, now=NOW)
        assert _rounded(scoped.province) == _rounded(whole), key
        assert {u: _rounded(c) for u, c in scoped.units.items()} == {u: _rounded(c) for u, c in units.items()}, key
        assert {p: _rounded(c) for p, c in scoped.procedures.items()} == {
            p: _rounded(c) for p, c in procedures.items()
        }, key
    assert len(scoped.units) == 3
