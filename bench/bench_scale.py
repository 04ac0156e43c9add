"""Scale: the specialist's inbox and the public tracking lookup over a generated province, with the
baselines of the same run.

1. `motcua demo`, then `motcua generate --dossiers G --year <this year>`: G dossiers with their whole
   history (events, steps, supplements, tickets, ratings). G is `BENCH_SCALE_GENERATED`, default the
   smaller of the total and 1,000,000 (a large province-year: about 18 minutes on an idle 2-core machine,
   so 10 M generated would take 3 hours). When the total (`BENCH_SCALE_DOSSIERS`, default 1,000,000; the
   target is stated at 10,000,000) is larger, earlier years are grown in SQL: the generated year's finished
   dossiers copied 1, 2, … years back (every date and the date in the code shifted, no idempotency key),
   dossier rows only, as the archive of past years stands beside the current one. The inbox and the
   tracking index then hold the whole total; tracked dossiers are drawn from the generated ones, which
   have their timeline.
2. In a child process (Django configured from the environment): the busiest specialist's inbox (first page,
   a later page by keyset cursor) through the selector and through the whole staff page (session,
   access log, template), and the tracking lookup by code and receipt token through the selector and the
   public page, each run 200 times (p50, p95), with the plan of the inbox's later page.
3. Baselines on the same database: `GET /api/v1/health` behind gunicorn at 8 clients and pgbench TPC-B.

Uses `DATABASE_URL` when set (give it a database that already holds the generated data and set
`BENCH_SCALE_DOSSIERS=0` to skip generating), else a throwaway cluster.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bench.support import (
    ROOT,
    baseline_rows,
    gunicorn,
    health_baseline,
    pgbench_baseline,
    postgresql,
    timed,
)

DOSSIERS = int(os.environ.get("BENCH_SCALE_DOSSIERS", "1000000"))
GENERATED = int(os.environ.get("BENCH_SCALE_GENERATED", str(min(DOSSIERS, 1_000_000))))
FINISHED = (3, 7, 8, 10)  # refused, withdrawn, stopped, returned: what a past year holds
RUNS = 200
TARGETS = {"inbox": 50.0, "tracking": 20.0}


def main() -> None:
    with postgresql() as database_url, tempfile.TemporaryDirectory(prefix="motcua-bench-") as data_dir:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "MOTCUA_DATA_DIR": data_dir,
            "MOTCUA_DEBUG": "0",
            "MOTCUA_LOG_LEVEL": "WARNING",
            "MOTCUA_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # Measuring the lookup, not the per-client limit that guards it.
            "MOTCUA_TRACKING_LIMIT_CLIENT": "1000000/60",
            # The page as a signed-in specialist sees it; the second factor is a sign-in step, not the page.
            "MOTCUA_STAFF_OTP": "optional",
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
        }
        motcua = str(ROOT / ".venv/bin/motcua")
        _run([motcua, "migrate", "--no-input", "-v", "0"], env)
        generated = "already loaded"
        if DOSSIERS:
            _run([motcua, "demo"], env)
            began = time.perf_counter()
            out = _run(
                [motcua, "generate", f"--dossiers={GENERATED}", f"--year={datetime.now(UTC).year}", "--no-progress"],
                env,
            )
            seconds = time.perf_counter() - began
            generated = f"{GENERATED:,} generated in {seconds:,.0f} s ({GENERATED / seconds:,.0f}/s): {out.strip()}"
            if DOSSIERS > GENERATED:
                began = time.perf_counter()
                grown = json.loads(_run([sys.executable, "-m", "bench.bench_scale", "grow"], env))
                seconds = time.perf_counter() - began
                generated += (
                    f"; {grown['copied']:,} finished dossiers copied into {grown['years']} earlier years "
                    f"in {seconds:,.0f} s ({grown['copied'] / seconds:,.0f}/s)"
                )
        measured = json.loads(_run([sys.executable, "-m", "bench.bench_scale", "measure"], env))
        with gunicorn(env) as port:
            health = health_baseline(port)
        pgbench = pgbench_baseline(database_url)
    print(f"Scale: {measured['total']:,} dossiers ({generated})")
    print()
    print(
        f"Inbox of {measured['specialist']} ({measured['agency_rows']:,} dossiers of the body, "
        f"{measured['inbox_rows']:,} in the inbox); tracking over every dossier. {RUNS} runs each, one client."
    )
    print()
    print("| measure | per s | p50 ms | p95 ms | p99 ms | target |")
    print("|---|---:|---:|---:|---:|---|")
    for name, figures in measured["timings"].items():
        target = ""
        if name.startswith("inbox page"):
            target = f"p95 ≤ {TARGETS['inbox']:.0f} ms"
        elif name.startswith("tracking"):
            target = f"p95 ≤ {TARGETS['tracking']:.0f} ms"
        print(
            f"| {name} | {1000 / figures['p50_ms']:,.0f} | {figures['p50_ms']:.1f} | {figures['p95_ms']:.1f} | "
            f"{figures['p99_ms']:.1f} | {target} |"
        )
    for row in baseline_rows(health, pgbench):
        print(row)
    print()
    print("Plan of a later inbox page:")
    print(measured["plan"])


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, check=False, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bench_scale: {' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


# ---------------------------------------------------------------------------------------------------
# Child steps (Django configured from the environment set by main)


def _grow() -> None:
    """Copy the generated year's finished dossiers into earlier years until the table holds `DOSSIERS`."""
    import django

    django.setup()
    from django.db import connection, models

    from motcua.dossiers.models import Dossier

    table = Dossier._meta.db_table
    columns, values = [], []
    for field in Dossier._meta.concrete_fields:
        if field.primary_key:
            continue
        column = connection.ops.quote_name(field.column)
        columns.append(column)
        if field.name == "code":
            # <agency>-YYMMDD-NNNN: the two-digit year moves with the dates.
            values.append(
                f"regexp_replace({column}, '-(\\d\\d)(\\d{{4}})-(\\d+)$', "
                f"'-' || lpad(((substring({column} from '-(\\d\\d)\\d{{4}}-\\d+$'))::int - %(years)s)::text, 2, '0') "
                f"|| '\\2-\\3')"
            )
        elif field.name == "idempotency_key":
            values.append("''")
        elif isinstance(field, models.DateTimeField | models.DateField):
            values.append(f"{column} - make_interval(years => %(years)s)")
        else:
            values.append(column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - table name from the model
        (total,) = cursor.fetchone()
        copied = years = 0
        while total < DOSSIERS:
            years += 1
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - names from the model
                f"SELECT {', '.join(values)} FROM {table} "
                f"WHERE status IN {FINISHED} AND received_at >= %(start)s ORDER BY id LIMIT %(limit)s",
                {
                    "years": years,
                    "start": datetime(datetime.now(UTC).year, 1, 1, tzinfo=UTC),
                    "limit": DOSSIERS - total,
                },
            )
            if not cursor.rowcount:
                raise SystemExit("bench_scale grow: no finished dossier of this year to copy")
            copied += cursor.rowcount
            total += cursor.rowcount
        cursor.execute(f"ANALYZE {table}")
    print(json.dumps({"copied": copied, "years": years}))


def _measure() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from motcua.dossiers.models import Dossier
    from motcua.dossiers.selectors import dossier_work_queue
    from motcua.dossiers.services.tracking import tracking_token
    from motcua.dossiers.tracking_selectors import dossier_track
    from motcua.org.models import Role, StaffUser

    busiest = (
        Dossier.objects.filter(status=4, sub_state__in=["waiting_assignment", "in_handling"])
        .values("handling_agency_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None, "no open dossier to list"
    specialist = StaffUser.objects.filter(role=Role.SPECIALIST, agency_id=busiest["handling_agency_id"]).first()
    assert specialist is not None
    cursors: list[str] = []
    cursor_value: str | None = None
    while len(cursors) < 40:
        _, _, cursor_value = dossier_work_queue(specialist, cursor=cursor_value)
        if cursor_value is None:
            break
        cursors.append(cursor_value)
    rng = random.Random(7)
    client = Client()
    client.force_login(specialist)
    inbox_url = reverse("dossiers:queue", args=["hop-thu"])
    # Generated dossiers (they have their timeline), not the copies of earlier years.
    generated = Dossier.objects.filter(received_at__year=datetime.now(UTC).year)
    sample = list(generated.order_by("?").values_list("pk", flat=True)[:RUNS]) if RUNS else []
    tracked = [Dossier.objects.get(pk=pk) for pk in sample]
    lookups = [(d.code, tracking_token(d)) for d in tracked]
    public = Client()

    def page(later: bool) -> Callable[[], object]:
        def get() -> object:
            params = {"sau": rng.choice(cursors)} if later and cursors else {}
            response = client.get(inbox_url, params)
            assert response.status_code == 200, response.status_code
            return response

        return get

    def track_page() -> object:
        code, token = rng.choice(lookups)
        response = public.get(f"/tra-cuu-ho-so/{code}", {"token": token}, follow=True)
        assert response.status_code == 200, response.status_code
        return response

    timings = {
        "inbox selector, first page (50 rows, remaining working time)": _timed(lambda: dossier_work_queue(specialist)),
        "inbox selector, a later page (keyset cursor)": _timed(
            lambda: dossier_work_queue(specialist, cursor=rng.choice(cursors) if cursors else None)
        ),
        "inbox page, first (GET /can-bo/hop-thu/: session, query, access log, template)": _timed(page(False)),
        "inbox page, a later one": _timed(page(True)),
        "tracking selector (code + receipt token)": _timed(
            lambda: dossier_track(code=(pick := rng.choice(lookups))[0], client="198.51.100.7", token=pick[1])
        ),
        "tracking page (GET /tra-cuu-ho-so/<code>?token=…)": _timed(track_page),
    }
    with CaptureQueriesContext(connection) as captured:
        dossier_work_queue(specialist, cursor=cursors[-1] if cursors else None)
    page_sql = next(q["sql"] for q in captured.captured_queries if 'FROM "dossiers_dossier"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF) {page_sql}")
        plan = "\n".join("    " + row[0] for row in cursor.fetchall())
    agency_rows = Dossier.objects.filter(handling_agency_id=busiest["handling_agency_id"]).count()
    print(
        json.dumps(
            {
                "total": Dossier.objects.count(),
                "specialist": specialist.username,
                "agency_rows": agency_rows,
                "inbox_rows": busiest["n"],
                "timings": timings,
                "plan": plan,
            }
        )
    )


def _timed(operation: Callable[[], object]) -> dict[str, float]:
    return timed(operation, runs=RUNS)


if __name__ == "__main__":
    {"measure": _measure, "grow": _grow}[sys.argv[1]]()
