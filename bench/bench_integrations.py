"""Integrations benchmark: drain 10,000 queued messages against the partner simulators (messages per
second, exchange log included), with the simulator's raw request rate through a plain HTTP client as the
baseline; and the latency a reception pays for writing its outbox rows (with vs without the hook, same run).

SQLite in a throwaway data folder (the default installation); simulators on loopback with 5-20 ms of
latency per request; the worker delivers with 16 threads.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = 10_000
DOSSIERS = 2_000  # 5 messages each, so the per-dossier order is exercised
BASELINE_REQUESTS = 3_000
CONCURRENCY = 16
RECEPTIONS = 150


def main() -> None:
    """Run in a child process with its own data folder, so Django starts on a fresh SQLite database."""
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_DATA_DIR=data_dir)
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "-c", "from bench.bench_integrations import run; run()"], env=env, cwd=ROOT, check=True
        )


def run() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.integrations.callbacks import callback_secrets
    from motcua.integrations.simulators import Simulators, running_simulators

    call_command("migrate", verbosity=0)
    sims = Simulators(callback_secrets=callback_secrets(), seed=1)
    for partner in sims.partners:
        sims.set_faults(partner, latency_ms=(5, 20))
    with running_simulators(sims) as server:
        os.environ["MOTCUA_PARTNER_BASE_URL"] = server.base_url
        baseline = _baseline(server.base_url)
        drained, seconds = _drain(sims)
        with_hook, without_hook = _reception_latency()
    print("| measurement | value |")
    print("|---|---|")
    print(f"| baseline: simulator raw rate, plain `requests`, {CONCURRENCY} threads | {baseline:,.0f} req/s |")
    print(f"| outbox drain of {MESSAGES:,} messages ({DOSSIERS:,} dossiers) | {drained / seconds:,.0f} msg/s |")
    print(f"| drain time | {seconds:.1f} s |")
    print(f"| reception without outbox hook, median / p95 | {_ms(without_hook)} |")
    print(f"| reception with outbox hook, median / p95 | {_ms(with_hook)} |")
    added = statistics.median(with_hook) - statistics.median(without_hook)
    print(f"| latency added to a reception by its outbox rows (median) | {added * 1000:.2f} ms |")


def _ms(samples: list[float]) -> str:
    p95 = statistics.quantiles(samples, n=20)[-1]
    return f"{statistics.median(samples) * 1000:.1f} ms / {p95 * 1000:.1f} ms"


def _baseline(base_url: str) -> float:
    import requests

    sessions: dict[int, requests.Session] = {}

    def one(n: int) -> None:
        import threading

        session = sessions.setdefault(threading.get_ident(), requests.Session())
        session.post(
            f"{base_url}/sms/messages",
            json={"to": "0912345678", "text": "baseline"},
            headers={"Idempotency-Key": f"baseline:{n}"},
            timeout=10,
        ).raise_for_status()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        list(pool.map(one, range(BASELINE_REQUESTS)))
    elapsed = time.perf_counter() - start
    for session in sessions.values():
        session.close()
    return BASELINE_REQUESTS / elapsed


def _drain(sims: object) -> tuple[int, float]:
    from django.utils import timezone

    from motcua.core.models_outbox import OutboxMessage, OutboxState
    from motcua.integrations.delivery import outbox_drain
    from motcua.integrations.simulators import Simulators

    assert isinstance(sims, Simulators)
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                partner="sms",
                kind="status.notice",
                dossier_code=f"H38.900-260302-{n % DOSSIERS:04d}",
                payload={"to": "0912345678", "text": f"Hồ sơ {n}"},
                idempotency_key=f"bench:{n}",
                next_attempt_at=now,
                created_at=now,
            )
            for n in range(MESSAGES)
        ],
        batch_size=1000,
    )
    start = time.perf_counter()
    report = outbox_drain(batch=400, concurrency=CONCURRENCY)
    seconds = time.perf_counter() - start
    assert report.delivered == MESSAGES, report
    assert not OutboxMessage.objects.exclude(state=OutboxState.DELIVERED).exists()
    assert sims.stats("sms")["duplicates"] == []
    return report.delivered, seconds


def _reception_latency() -> tuple[list[float], list[float]]:
    from unittest import mock

    from motcua.dossiers.services import sync
    from motcua.dossiers.tests.factories import build_world, receive

    world = build_world()
    with_hook: list[float] = []
    without_hook: list[float] = []
    for n in range(RECEPTIONS * 2):
        # Alternate so both variants see the same database size and cache state.
        hooked = n % 2 == 0
        with mock.patch.object(sync, "dossier_event_sync", wraps=sync.dossier_event_sync if hooked else None):
            start = time.perf_counter()
            receive(world, idempotency_key=uuid.uuid4().hex)
            elapsed = time.perf_counter() - start
        (with_hook if hooked else without_hook).append(elapsed)
    return with_hook, without_hook
