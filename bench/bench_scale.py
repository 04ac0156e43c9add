"""Scale: the specialist's inbox and the public tracking lookup over a generated province, with the
baselines of the same run.

1. `motcua demo`, then `motcua generate --dossiers N --year <this year>` (N from `BENCH_SCALE_DOSSIERS`,
   default 1,000,000, a large province-year; the target is stated at 10,000,000, which takes hours to load on
   a 2-core machine: the load rate is printed, so a smaller run says how long 10 M takes).
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
                [motcua, "generate", f"--dossiers={DOSSIERS}", f"--year={datetime.now(UTC).year}", "--no-progress"], env
            )
            seconds = time.perf_counter() - began
            generated = f"{DOSSIERS:,} generated in {seconds:,.0f} s ({DOSSIERS / seconds:,.0f}/s): {out.strip()}"
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
# Child step (Django configured from the environment set by main)


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
    sample = list(Dossier.objects.order_by("?").values_list("pk", flat=True)[:RUNS]) if RUNS else []
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
    {"measure": _measure}[sys.argv[1]]()
