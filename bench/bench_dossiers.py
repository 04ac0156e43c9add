"""Dossiers on PostgreSQL: reception throughput and latency through the real HTTP API, and the
specialist's inbox at 1M dossiers.

1. Reception: a real WSGI server (gunicorn, gthread workers) on a loopback port, driven by 8 client
   threads, each with one keep-alive connection (`bench.support`), posting complete birth registrations
   (1.001193, its required components, each with a scan) from 8 desks for citizens of random communes,
   measured after `RECEPTION_WARM_UP_S` of the same load. Baselines in the same run on the same server
   and database: `GET /api/v1/health` (the framework's limit: routing, one `SELECT 1`, JSON) and
   `pgbench -c 8` TPC-B (the database's limit for small write transactions).
2. Inbox: 1M dossiers generated in SQL (`INSERT … SELECT generate_series`, every row consistent with
   the model's constraints), 100,000 of them handled by Xã Hợp Thành's People's Committee and 10,000
   of those in its specialist's inbox; then the first page and pages at random cursors through the
   selector, and the whole page (view, template, access log) through Django's test client.

Uses `DATABASE_URL` when set, else a throwaway cluster (`scripts/pg-throwaway.sh`), stopped afterwards.
Django work runs in child processes (`python -m bench.bench_dossiers <step>`), so this benchmark does
not depend on settings another benchmark of the same run configured.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.support import (
    CLIENTS,
    THREADS,
    WORKERS,
    Load,
    drive,
    gunicorn,
    health_baseline,
    pgbench_baseline,
    postgresql,
    timed,
)

ROOT = Path(__file__).resolve().parent.parent
DURATION_S = 10.0
#: Long enough for every server process to have received for (and memoized the reference rows of) nearly
#: every commune, as a server that has been running does: a first reception for a commune reads its
#: competence rules (four queries) once per process.
RECEPTION_WARM_UP_S = 10.0
BIRTH_REGISTRATION = "1.001193"
INBOX_AGENCY_UNIT = "02680"  # Xã Hợp Thành
TOTAL_DOSSIERS = 1_000_000
AGENCY_SHARE = 10  # one dossier in 10 is handled by the measured agency
INBOX_SHARE = 10  # one in 10 of those waits in its specialist's inbox
INBOX_RUNS = 200
TARGETS = {"reception_rate": 300.0, "reception_p99_ms": 100.0, "inbox_p95_ms": 50.0}


# ---------------------------------------------------------------------------------------------------
# Orchestration (no Django in this process)


def main() -> None:
    with postgresql() as database_url, tempfile.TemporaryDirectory(prefix="motcua-bench-") as data_dir:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "MOTCUA_DATA_DIR": data_dir,
            "MOTCUA_DEBUG": "0",
            # The inbox is read by a signed-in specialist without an authenticator, as in the demo.
            "MOTCUA_STAFF_OTP": "optional",
            "MOTCUA_LOG_LEVEL": "WARNING",
            "MOTCUA_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
        }
        _run([str(ROOT / ".venv/bin/motcua"), "migrate", "--no-input", "-v", "0"], env)
        setup = json.loads(_child("seed", env))
        reception = _reception(env, setup)
        with gunicorn(env) as port:
            health = health_baseline(port, seconds=DURATION_S)
        pgbench = pgbench_baseline(database_url, seconds=int(DURATION_S))
        inbox = json.loads(_child("inbox", env))
    _report(reception, health, pgbench, inbox)


def _reception(env: dict[str, str], setup: dict[str, Any]) -> Load:
    tokens: list[str] = setup["tokens"]
    desks: list[str] = setup["desks"]
    communes: list[str] = setup["communes"]
    components = [{"component": code, "documents": [setup["scan"]]} for code in setup["components"]]

    def request(client: int, n: int) -> tuple[str, str, bytes, dict[str, str]]:
        rng = random.Random(client * 1_000_003 + n)
        body = {
            "procedure_code": BIRTH_REGISTRATION,
            "receiving_unit": desks[client],
            "channel": "direct",
            "applicant": {
                "full_name": "Nguyễn Văn An",
                "personal_id": f"0100{rng.randrange(90, 100):02d}{rng.randrange(10**6):06d}",
                "address_unit": (unit := rng.choice(communes)),
            },
            "subject_unit": unit,
            "components": components,
        }
        headers = {"Authorization": f"Bearer {tokens[client]}", "Content-Type": "application/json"}
        return "POST", "/api/v1/dossiers", json.dumps(body).encode(), headers

    with gunicorn(env) as port:
        return drive(port, request, seconds=DURATION_S, expect=201, warm_up_s=RECEPTION_WARM_UP_S)


def _child(step: str, env: dict[str, str]) -> str:
    return _run([sys.executable, "-m", "bench.bench_dossiers", step], env)


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, check=False, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bench_dossiers: {' '.join(command)} failed:\n{done.stderr}")
    return done.stdout


def _report(reception: Load, health: Load, pgbench: Load | None, inbox: dict[str, Any]) -> None:
    print(
        f"Reception through the HTTP API: {CLIENTS} clients, {DURATION_S:.0f} s, gunicorn {WORKERS}×{THREADS} gthread (`bench.support`)"
    )
    print()
    print("| load | per second | p50 ms | p99 ms | reception ÷ this | target |")
    print("|---|---:|---:|---:|---:|---|")
    print(
        f"| POST /api/v1/dossiers (reception) | {reception.rate:,.0f} | {reception.p50_ms:.1f} | "
        f"{reception.p99_ms:.1f} | 1 | ≥ {TARGETS['reception_rate']:.0f}/s, p99 ≤ {TARGETS['reception_p99_ms']:.0f} ms |"
    )
    print(
        f"| baseline: GET /api/v1/health | {health.rate:,.0f} | {health.p50_ms:.1f} | {health.p99_ms:.1f} | "
        f"{reception.rate / health.rate:.2f} |  |"
    )
    if pgbench is not None:
        print(
            f"| baseline: pgbench -c {CLIENTS} TPC-B (transactions) | {pgbench.rate:,.0f} | avg {pgbench.p50_ms:.1f} |  | "
            f"{reception.rate / pgbench.rate:.2f} |  |"
        )
    print()
    print(
        f"Inbox at {inbox['total']:,} dossiers (agency {inbox['agency']}: {inbox['agency_rows']:,} dossiers, "
        f"{inbox['inbox_rows']:,} in the specialist's inbox); generated in {inbox['generate_s']:.0f} s"
    )
    print()
    print("| measure | p50 ms | p95 ms | target |")
    print("|---|---:|---:|---|")
    for name, figures in inbox["timings"].items():
        target = f"p95 ≤ {TARGETS['inbox_p95_ms']:.0f} ms" if name.startswith("page") else ""
        print(f"| {name} | {figures['p50_ms']:.1f} | {figures['p95_ms']:.1f} | {target} |")
    print()
    print("Plan of the first page's query:")
    print(inbox["plan"])


# ---------------------------------------------------------------------------------------------------
# Child steps (Django configured from the environment set by main)


def _seed() -> None:
    import gzip

    import django

    django.setup()
    from motcua.catalog.data import DATA_DIR
    from motcua.catalog.models import Procedure
    from motcua.catalog.services.imports import import_procedure_files
    from motcua.dossiers.services.documents import document_store
    from motcua.org.demo import demo_organization_seed
    from motcua.org.models import AdministrativeUnit, StaffUser
    from motcua.org.services import api_token_create

    demo_organization_seed(province_code="15")
    with gzip.open(DATA_DIR / "national-portal-2026-07.jsonl.gz", "rt", encoding="utf-8") as lines:
        records = [line for line in lines if f'"ma_thu_tuc": "{BIRTH_REGISTRATION}"' in line]
    folder = Path(tempfile.mkdtemp())
    (folder / "birth.jsonl").write_text("".join(records), encoding="utf-8")
    import_procedure_files([folder / "birth.jsonl"])
    procedure = Procedure.objects.get(code=BIRTH_REGISTRATION)
    assert procedure.current_version is not None
    communes = list(AdministrativeUnit.objects.filter(province_id="15").values_list("code", flat=True))
    desks = communes[:CLIENTS]
    users = [StaffUser.objects.get(username=f"reception.{code}") for code in desks]
    scan = document_store(actor=users[0], chunks=[b"%PDF-1.4\n1 0 obj <</Type /Page>>\n%%EOF\n"]).sha256
    print(
        json.dumps(
            {
                "tokens": [api_token_create(username=user.username) for user in users],
                "desks": desks,
                "communes": communes,
                "components": [c.code for c in procedure.current_version.components.filter(required=True)],
                "scan": scan,
            }
        )
    )


_GENERATE = """
WITH agencies AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM org_agency WHERE kind = 'commune_committee'
), centers AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM org_servicecenter
)
INSERT INTO dossiers_dossier (
    code, procedure_id, version_id, channel, status, sub_state, resume_sub_state, outcome,
    receiving_center_id, handling_agency_id, subject_unit_id, return_place,
    applicant_name, applicant_personal_id, applicant_phone, applicant_email, applicant_address,
    received_at, clock_started_at, due_at, original_due_at, extended, supplement_rounds,
    late_by_supplements, paused_total, finished_at, returned_at,
    tracking_salt, idempotency_key, idempotency_fingerprint, created_by_id, event_count, last_event_hash,
    created_at, updated_at
)
SELECT
    'H38.' || (101 + n %% 99) || '-' || to_char(received, 'YYMMDD') || '-' || lpad(n::text, 7, '0'),
    %(procedure)s, %(version)s, 'direct',
    CASE WHEN inbox THEN 4 ELSE 10 END,
    CASE WHEN inbox
         THEN (CASE WHEN n %% 3 = 0 THEN 'waiting_assignment' ELSE 'in_handling' END) ELSE 'returned' END,
    '', CASE WHEN inbox THEN '' ELSE 'approved' END,
    centers.ids[1 + n %% array_length(centers.ids, 1)],
    CASE WHEN mine THEN %(agency)s ELSE agencies.ids[1 + n %% array_length(agencies.ids, 1)] END,
    %(unit)s, 'desk',
    'Nguyễn Văn An', '0100' || lpad((n %% 100000000)::text, 8, '0'), '', '', '',
    received, received,
    CASE WHEN inbox THEN now() - interval '5 days' + (n %% 20000) * interval '1 minute'
         ELSE received + interval '3 days' END,
    received + interval '3 days', false, 0, false, interval '0',
    CASE WHEN inbox THEN NULL ELSE received + interval '2 days' END,
    CASE WHEN inbox THEN NULL ELSE received + interval '2 days' END,
    md5(n::text), '', '', %(user)s, 1, '', received, received
FROM agencies, centers, generate_series(1, %(total)s) AS n,
     LATERAL (SELECT n %% %(agency_share)s = 0 AS mine,
                     now() - interval '2 years' + n * interval '1 minute' AS received) AS r,
     LATERAL (SELECT r.mine AND (n / %(agency_share)s) %% %(inbox_share)s = 0 AS inbox) AS i
"""


def _inbox() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.selectors import dossier_work_queue
    from motcua.org.models import Agency, AgencyKind, StaffUser

    procedure = Procedure.objects.get(code=BIRTH_REGISTRATION)
    agency = Agency.objects.get(unit_id=INBOX_AGENCY_UNIT, kind=AgencyKind.COMMUNE_COMMITTEE)
    specialist = StaffUser.objects.get(username=f"specialist.{INBOX_AGENCY_UNIT}")
    # Columns added after this benchmark was written get their model default, so the rows stay valid.
    listed = set(re.findall(r"\w+", _GENERATE.split("INSERT INTO dossiers_dossier (", 1)[1].split(")", 1)[0]))
    extra = [f for f in Dossier._meta.concrete_fields if f.column not in listed and f.column != "id"]
    sql = _GENERATE.replace(
        "    created_at, updated_at\n)", "    created_at, updated_at" + "".join(f", {f.column}" for f in extra) + "\n)"
    )
    sql = sql.replace(
        "received, received\nFROM", "received, received" + "".join(f", %(extra_{f.column})s" for f in extra) + "\nFROM"
    )
    defaults = {f"extra_{f.column}": f.get_db_prep_value(f.get_default(), connection) for f in extra}
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                **defaults,
                "procedure": procedure.pk,
                "version": procedure.current_version_id,
                "agency": agency.pk,
                "unit": INBOX_AGENCY_UNIT,
                "user": specialist.pk,
                "total": TOTAL_DOSSIERS,
                "agency_share": AGENCY_SHARE,
                "inbox_share": INBOX_SHARE,
            },
        )
        cursor.execute("ANALYZE dossiers_dossier")
    generated = time.perf_counter() - began
    mine = Dossier.objects.filter(handling_agency=agency)
    inbox_rows = mine.filter(status=4).count()

    cursors: list[str | None] = [None]
    cursor_value: str | None = None
    while len(cursors) < 40:
        _, _, cursor_value = dossier_work_queue(specialist, cursor=cursor_value)
        if cursor_value is None:
            break
        cursors.append(cursor_value)
    later = [value for value in cursors if value]
    rng = random.Random(7)

    def selector(first: bool) -> Callable[[], object]:
        return lambda: dossier_work_queue(specialist, cursor=None if first else rng.choice(later))

    client = Client()
    client.force_login(specialist)
    url = reverse("dossiers:queue", args=["hop-thu"])

    def page(first: bool) -> Callable[[], object]:
        def get() -> object:
            response = client.get(url, {} if first else {"sau": rng.choice(later)})
            assert response.status_code == 200
            return response

        return get

    timings = {
        "selector, first page (query + remaining working time of 50 rows)": _timed_inbox(selector(True)),
        "selector, a later page (keyset cursor)": _timed_inbox(selector(False)),
        "page, first (GET /can-bo/hop-thu/: session, query, access log, template)": _timed_inbox(page(True)),
        "page, a later one": _timed_inbox(page(False)),
    }
    with CaptureQueriesContext(connection) as captured:
        dossier_work_queue(specialist)
    page_sql = next(q["sql"] for q in captured.captured_queries if 'FROM "dossiers_dossier"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF) {page_sql}")
        plan = "\n".join("    " + row[0] for row in cursor.fetchall())
    print(
        json.dumps(
            {
                "total": Dossier.objects.count(),
                "agency": agency.code,
                "agency_rows": mine.count(),
                "inbox_rows": inbox_rows,
                "generate_s": generated,
                "timings": timings,
                "plan": plan,
            }
        )
    )


def _timed_inbox(operation: Callable[[], object]) -> dict[str, float]:
    return timed(operation, runs=INBOX_RUNS)


if __name__ == "__main__":
    steps = {"seed": _seed, "inbox": _inbox}
    steps[sys.argv[1]]()
