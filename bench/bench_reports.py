"""Reports benchmark on PostgreSQL: the Decision 766 set for the province and all its units, and each
dashboard query, over a generated province-year of dossiers, beside a bare `SELECT count(*)` baseline.

Dossiers are generated with one `INSERT … SELECT generate_series` (skewed units and procedures, ~45 %
on-line, ~10 % boundary-free, ~20 % late, supplements), three workflow steps each (the dossiers being
handled hold their second, most of them assigned), and their fact rows with the set-based SQL equivalent
of `reports_refresh` (handling time there is elapsed time scaled to office hours, not the calendar's);
the monthly summary, the current facts (with their running summary) and the shared contacts with the
real `monthly_summary_rebuild`, `current_facts_copy` and `shared_contacts_refresh` (timed: what the hourly
refresh pays when everything changed). Dashboards are timed as the page builders the views call.
`BENCH_REPORTS_DOSSIERS` sets the size (default 2,000,000). Starts a throwaway cluster when DATABASE_URL is
not set, and stops it afterwards; with DATABASE_URL set, a database that already holds the generated
dossiers of that size is reused (generating 2 M takes minutes).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench.support import run_on_postgresql


def main() -> None:
    run_on_postgresql("bench_reports")


def _timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def _generate(size: int) -> None:
    """Dossiers, their facts and workflow steps, with set-based SQL (see the module docstring)."""
    from django.db import connection

    from motcua.catalog.tests.factories import ProcedureFactory, ProcedureVersionFactory
    from motcua.org.demo import demo_organization_seed
    from motcua.org.models import Agency, Role, ServiceCenter, StaffUser

    demo_organization_seed(province_code="15")
    pairs = [
        (a.pk, c.pk, str(a.unit_id))
        for a in Agency.objects.filter(unit__isnull=False, province_id="15", kind="commune_committee").order_by(
            "unit_id"
        )
        for c in ServiceCenter.objects.filter(unit_id=a.unit_id)[:1]
    ]
    versions = []
    for _ in range(60):
        procedure = ProcedureFactory.create()
        version = ProcedureVersionFactory.create(procedure=procedure)
        versions.append((procedure.pk, version.pk))
    agencies, centers = [p[0] for p in pairs], [p[1] for p in pairs]
    units = [p[2] for p in pairs]
    specialists = dict(
        StaffUser.objects.filter(role=Role.SPECIALIST, agency_id__in=agencies).values_list("agency_id", "pk")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO dossiers_dossier (code, procedure_id, version_id, channel, status, sub_state,
              resume_sub_state, outcome, receiving_center_id, handling_agency_id, subject_unit_id, return_place,
              applicant_name, applicant_personal_id, applicant_phone, applicant_email, applicant_address,
              received_at, clock_started_at, due_at, original_due_at, extended, supplement_rounds,
              late_by_supplements, paused_total, finished_at, returned_at, tracking_salt, idempotency_key,
              idempotency_fingerprint, vneid_verified, population_db_linked, event_count, last_event_hash, created_at,
              updated_at)
            SELECT 'B-' || i, (%(procs)s::int[])[p], (%(versions)s::int[])[p], ch,
              st, CASE st WHEN 10 THEN 'returned' WHEN 9 THEN 'result_at_desk' WHEN 4 THEN 'in_handling'
                          WHEN 5 THEN 'waiting_supplement' WHEN 3 THEN 'refused' ELSE 'withdrawn' END,
              '', '', (%(centers)s::int[])[CASE WHEN bf THEN 1 + (i %% %(n)s) ELSE u END], (%(agencies)s::int[])[u],
              (%(units)s::text[])[u], 'desk', 'Nguyễn Văn ' || i, lpad((i %% 900000000000)::text, 12, '0'),
              '09' || lpad((i %% 99999999)::text, 8, '0'), '', '', rec, rec, rec + interval '7 days',
              rec + interval '7 days', false, sup, sup > 1, interval '0',
              CASE WHEN st IN (4, 5) THEN NULL ELSE rec + dur END,
              CASE WHEN st = 10 THEN rec + dur + interval '1 day' END, md5(i::text), '', '', random() < 0.3,
              random() < 0.2, 0, '', rec, rec
            FROM (
              SELECT i, 1 + floor(power(random(), 1.6) * %(n)s)::int AS u, 1 + floor(power(random(), 3) * 60)::int AS p,
                random() < 0.1 AS bf,
                CASE WHEN random() < 0.45 THEN 'online' WHEN random() < 0.9 THEN 'direct' ELSE 'post' END AS ch,
                (SELECT CASE WHEN r < 0.90 THEN 10 WHEN r < 0.94 THEN 4 WHEN r < 0.96 THEN 5 WHEN r < 0.98 THEN 9
                             WHEN r < 0.99 THEN 3 ELSE 7 END FROM (SELECT random() + i * 0 AS r) x) AS st,
                timestamptz '2026-01-01 08:00+07' + random() * interval '330 days' AS rec,
                random() * interval '9 days' AS dur,
                CASE WHEN random() < 0.1 THEN 1 WHEN random() < 0.02 THEN 2 ELSE 0 END AS sup
              FROM generate_series(1, %(size)s) AS i
            ) g
            """,
            {"procs": [v[0] for v in versions], "versions": [v[1] for v in versions], "centers": centers,
             "agencies": agencies, "units": units, "n": len(pairs), "size": size},
        )  # fmt: skip
        cursor.execute(
            """
            INSERT INTO reports_dossierfact (dossier_id, procedure_id, province, handling_unit, handling_agency_id,
              receiving_unit, channel, status, received_at, due_at, end_at, paused_at, late_by_supplements,
              supplement_rounds, handling_hours, digitized, reused, from_store, e_result, vneid, dissatisfied,
              source_updated_at)
            SELECT d.id, d.procedure_id, '15', a.unit_id, d.handling_agency_id, coalesce(c.unit_id, ''), d.channel,
              d.status, d.received_at, d.due_at, coalesce(d.finished_at, d.returned_at), d.paused_at,
              d.late_by_supplements, d.supplement_rounds,
              extract(epoch FROM coalesce(d.finished_at, d.returned_at) - d.clock_started_at) / 3600 * 8 / 24,
              d.channel <> 'online' OR random() < 0.5, random() < 0.3, random() < 0.2, d.status IN (9, 10) AND random() < 0.7,
              d.vneid_verified, random() < 0.02, d.updated_at
            FROM dossiers_dossier d JOIN org_agency a ON a.id = d.handling_agency_id
              JOIN org_servicecenter c ON c.id = d.receiving_center_id
            """
        )  # fmt: skip
        # Three workflow steps per dossier (reception, specialist, leader). A dossier being handled (status 4
        # or 5) holds its second step, started and unfinished, assigned to the agency's specialist (one in ten
        # not assigned yet); every other dossier finished all three.
        cursor.execute(
            """
            INSERT INTO dossiers_dossierstep (dossier_id, "order", name, role, budget_days, due_at, assignee_id,
              started_at, finished_at)
            SELECT d.id, s.o, s.name, s.role, s.budget, d.received_at + s.budget * interval '1 day',
              CASE WHEN s.o = 1 OR d.id %% 10 <> 0 THEN m.user_id END,
              CASE WHEN s.o < 3 OR d.finished_at IS NOT NULL THEN d.received_at + (s.o - 1) * interval '1 hour' END,
              CASE WHEN s.o = 1 THEN d.received_at + interval '30 minutes'
                   WHEN d.finished_at IS NOT NULL THEN d.finished_at - (3 - s.o) * interval '1 minute' END
            FROM dossiers_dossier d
              JOIN unnest(%(agencies)s::int[], %(users)s::int[]) AS m(agency_id, user_id)
                ON m.agency_id = d.handling_agency_id
              CROSS JOIN (VALUES (1, 'Tiếp nhận', 'reception', 0.5), (2, 'Thẩm định', 'specialist', 5),
                                 (3, 'Phê duyệt', 'leader', 1.5)) AS s(o, name, role, budget)
            """,
            {"agencies": list(specialists), "users": list(specialists.values())},
        )
        for table in ("dossiers_dossier", "reports_dossierfact", "dossiers_dossierstep"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def run() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from motcua.dossiers.models import Dossier
    from motcua.reports import dashboards, pages
    from motcua.reports.brokers import brokers_detect, shared_contacts_refresh
    from motcua.reports.models import CurrentFact, MonthlySummary, RunningSummary
    from motcua.reports.periods import period_parse
    from motcua.reports.refresh import current_facts_copy
    from motcua.reports.selectors import Scope, index766_province
    from motcua.reports.summary import monthly_summary_rebuild

    size = int(os.environ.get("BENCH_REPORTS_DOSSIERS", "2000000"))
    call_command("migrate", "--no-input", "-v", "0")
    existing = Dossier.objects.filter(code__startswith="B-").count()
    if existing not in (0, size):
        raise SystemExit(f"the database holds {existing:,} generated dossiers, not {size:,}: use another one")
    if existing:
        generated = "reused from an earlier run (DATABASE_URL)"
    else:
        started = time.perf_counter()
        _generate(size)
        generated = f"generated with facts and steps in {time.perf_counter() - started:.0f} s"
    if existing:
        summary = f"monthly summary: {MonthlySummary.objects.count():,} rows kept from the earlier run"
    else:
        started = time.perf_counter()
        summary_rows = monthly_summary_rebuild()
        summary = f"monthly summary: {summary_rows:,} rows rebuilt in {time.perf_counter() - started:.1f} s"
    started = time.perf_counter()
    current_facts_copy()
    current_s = time.perf_counter() - started
    started = time.perf_counter()
    shared = shared_contacts_refresh()
    shared_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in ("reports_monthlysummary", "reports_currentfact", "reports_runningsummary"):
            cursor.execute(f"VACUUM ANALYZE {table}")

    def count() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM dossiers_dossier")

    now = datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    soon = now + timedelta(days=1)
    year, month = period_parse("2026"), period_parse("2026-10")
    province = Scope("15", None, "Lào Cai")
    rows: list[tuple[str, float, float | None]] = [
        ("baseline: SELECT count(*) FROM dossiers_dossier", _timed(count), None),
        ("766 set: province + all units + procedures, 2026", _timed(lambda: index766_province("15", year, now=now)), 2000),
        ("766 set: province + all units + procedures, 2026-10", _timed(lambda: index766_province("15", month, now=now)), 2000),
        ("backlog by status and age", _timed(lambda: dashboards.backlog(province="15", now=now)), 300),
        ("overdue list (50)", _timed(lambda: dashboards.overdue(province="15", now=now)), 300),
        ("deadlines per officer", _timed(lambda: dashboards.deadlines_by_officer(province="15", now=now, soon_until=soon)), 300),
        ("flow matrix, month", _timed(lambda: dashboards.flow_matrix(province="15", start=month.start, end=month.end)), 300),
        ("processing time by procedure, month", _timed(lambda: dashboards.processing_time(province="15", period=month)), 300),
        ("broker detection, month", _timed(lambda: brokers_detect(province="15", start=month.start, end=month.end)), 300),
        ("page: 766 indices, province, 2026-10", _timed(lambda: pages.index766_page(province, month, now=now)), 300),
        ("page: backlog", _timed(lambda: pages.backlog_page(province, now=now)), 300),
        ("page: overdue, due soon, early warning", _timed(lambda: pages.deadlines_page(province, now=now)), 300),
        ("page: processing time, 2026-10", _timed(lambda: pages.processing_page(province, month)), 300),
        ("page: flows and paper transfers, 2026-10", _timed(lambda: pages.flow_page(province, month, now=now)), 300),
        ("page: queues and ratings, 2026-10", _timed(lambda: pages.queue_page(province, month)), 300),
    ]  # fmt: skip
    print(f"dossiers: {size:,}, {generated}; load average {os.getloadavg()[0]:.1f} at the end of the timings")
    print(summary)
    print(
        f"current facts: {CurrentFact.objects.count():,} rows copied in {current_s:.1f} s, with "
        f"{RunningSummary.objects.count():,} running summary rows"
    )
    print(f"shared contacts: {shared:,} values kept, full recount in {shared_s:.1f} s")
    print(f"{'query':<58} {'best of 3 (ms)':>15} {'target (ms)':>12}")
    for name, ms, target in rows:
        print(f"{name:<58} {ms:>15.1f} {target if target else '':>12}")


if __name__ == "__main__":
    main()
