"""Crash safety (issue #10): the app server and the task worker are killed with SIGKILL at random moments
while client threads send 2,000 receptions with idempotency keys and retry them until answered.

Real processes on a database of their own (a fresh SQLite file, or a fresh database on the PostgreSQL
server of `DATABASE_URL`): gunicorn serving `motcua.wsgi`, `motcua db_worker` draining the outbox to the
partner simulators, each in its own process group so SIGKILL takes the master and its workers at once,
as a power cut would. A seeded schedule kills each a random while after it came back; the harness
restarts it at once. Clients retry the same request (same key) on a refused or cut connection and on
5xx. Afterwards, with the worker left to drain: exactly one dossier per key and it is the one the client
was answered with, none partial (components, steps, first event, its outbox rows delivered or pending),
codes gap-free per agency and day, `motcua audit-verify` and `motcua exchange-verify` pass.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from conftest import ReliabilityFigure

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RECEPTIONS = 2_000
CLIENTS = 8
SEED = 20261126
#: Seconds a process runs, once it is ready again (the server answers, the worker logs its start), before
#: the next kill (uniform). Each restart costs a Django start-up (about 2 s of CPU), so kills come every few
#: seconds, not every few requests.
SERVER_UPTIME_S = (1.0, 8.0)
WORKER_UPTIME_S = (1.0, 8.0)
READY_TIMEOUT_S = 120.0
DEADLINE_S = 900.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _database() -> Iterator[str]:
    """A fresh database: a new one on the PostgreSQL server of DATABASE_URL, else '' (SQLite in the data dir)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        yield ""
        return
    import psycopg

    name = f"motcua_crash_{uuid.uuid4().hex[:12]}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Supervised:
    """One process group the harness starts, SIGKILLs on schedule and starts again."""

    def __init__(
        self, name: str, command: list[str], env: dict[str, str], log: Path, ready: Callable[[Supervised], bool]
    ) -> None:
        self.name, self.command, self.env, self.log, self.ready = name, command, env, log, ready
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = self.kills = 0

    def start(self) -> None:
        self.starts += 1
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own commands
                self.command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def kill(self) -> None:
        assert self.process is not None
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.kills += 1

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _logged(line: str) -> Callable[[Supervised], bool]:
    """Ready once its log holds `line` as many times as it was started (the worker has no endpoint)."""

    def ready(process: Supervised) -> bool:
        return process.log.read_text(errors="replace").count(line) >= process.starts

    return ready


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/api/v1/health")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def _child(step: str, env: dict[str, str], stdin: str = "") -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.crash_child", step],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _motcua(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "motcua"), *args], env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603


def test_receptions_survive_sigkill_of_server_and_worker(tmp_path: Path, reliability_figure: ReliabilityFigure) -> None:
    rng = random.Random(SEED)
    with _database() as database_url:
        server_port, partner_port = _free_port(), _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "MOTCUA_DATA_DIR": str(tmp_path),
            "MOTCUA_DEBUG": "0",
            "MOTCUA_LOG_LEVEL": "WARNING",
            "MOTCUA_PARTNER_BASE_URL": f"http://127.0.0.1:{partner_port}",
            "MOTCUA_OUTBOX_BACKOFF_MS": "200",
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "PYTHONUNBUFFERED": "1",  # the worker's start line reaches its log at once
        }
        migrated = _motcua(env, "migrate", "--no-input", "-v", "0")
        assert migrated.returncode == 0, migrated.stderr
        world = _child("seed", env)

        server = Supervised(
            "server",
            # --preload: the master imports Django once and forks, so a restart costs one import, not two.
            [
                str(BIN / "gunicorn"),
                "motcua.wsgi:application",
                "--bind",
                f"127.0.0.1:{server_port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--timeout",
                "60",
                "--preload",
                "--no-control-socket",
            ],
            env,
            tmp_path / "server.log",
            lambda _process: _answers(server_port),
        )
        worker = Supervised(
            "worker",
            [str(BIN / "motcua"), "db_worker", "--interval", "0.2", "--no-startup-delay"],
            env,
            tmp_path / "worker.log",
            _logged("Starting worker"),
        )
        simulators = Supervised(
            "simulators",
            [str(BIN / "motcua"), "simulators", "--port", str(partner_port)],
            env,
            tmp_path / "sim.log",
            _logged("partner simulators on"),
        )
        for process in (simulators, server, worker):
            process.start()
        starting = time.monotonic()
        while not all(process.ready(process) for process in (simulators, server, worker)):
            assert time.monotonic() - starting < READY_TIMEOUT_S, "the processes did not start"
            time.sleep(0.1)

        keys = [f"crash-{SEED}-{n:05d}" for n in range(RECEPTIONS)]
        answered: dict[str, str] = {}
        retries = [0] * CLIENTS
        failures: list[str] = []
        lock = threading.Lock()
        done = threading.Event()
        began = time.monotonic()

        def body(n: int) -> bytes:
            unit = world["subject_units"][n % 2]
            return json.dumps(
                {
                    "procedure_code": world["procedure"],
                    "receiving_unit": world["center"],
                    "channel": "direct",
                    "applicant": {
                        "full_name": "Nguyễn Văn An",
                        "personal_id": "010190012345",
                        "phone": "0912345678",
                        "address_unit": unit,
                    },
                    "subject_unit": unit,
                    "components": [{"component": code} for code in world["components"]],
                    "idempotency_key": keys[n],
                }
            ).encode()

        headers = {"Authorization": f"Bearer {world['token']}", "Content-Type": "application/json"}

        def client(index: int) -> None:
            connection: http.client.HTTPConnection | None = None
            for n in range(index, RECEPTIONS, CLIENTS):
                payload = body(n)
                while True:
                    if time.monotonic() - began > DEADLINE_S:
                        with lock:
                            failures.append(f"{keys[n]}: no answer within {DEADLINE_S:.0f} s")
                        return
                    try:
                        if connection is None:
                            connection = http.client.HTTPConnection("127.0.0.1", server_port, timeout=30)
                        connection.request("POST", "/api/v1/dossiers", body=payload, headers=headers)
                        response = connection.getresponse()
                        answer = response.read()
                    except (OSError, http.client.HTTPException):
                        if connection is not None:
                            connection.close()
                        connection = None
                        retries[index] += 1
                        time.sleep(0.1)
                        continue
                    if response.status >= 500:
                        retries[index] += 1
                        time.sleep(0.1)
                        continue
                    with lock:
                        if response.status == 201:
                            answered[keys[n]] = json.loads(answer)["code"]
                        else:
                            failures.append(f"{keys[n]}: {response.status} {answer[:300]!r}")
                    break
            if connection is not None:
                connection.close()

        def chaos(process: Supervised, uptime: tuple[float, float], schedule: random.Random) -> None:
            while not done.is_set():
                deadline = time.monotonic() + READY_TIMEOUT_S
                while not done.is_set() and not process.ready(process):
                    if time.monotonic() > deadline:
                        with lock:
                            failures.append(f"{process.name} did not come back within {READY_TIMEOUT_S:.0f} s")
                        return
                    time.sleep(0.05)
                if done.wait(schedule.uniform(*uptime)):
                    return
                process.kill()
                process.start()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        killers = [
            threading.Thread(target=chaos, args=(server, SERVER_UPTIME_S, random.Random(rng.random()))),
            threading.Thread(target=chaos, args=(worker, WORKER_UPTIME_S, random.Random(rng.random()))),
        ]
        try:
            for thread in threads + killers:
                thread.start()
            for thread in threads:
                thread.join()
            done.set()
            for thread in killers:
                thread.join()
            storm_s = time.monotonic() - began
            # Left alone, the worker drains what is due; then no message may be missing or dead.
            server.stop()
            worker.stop()
            drained = _motcua(env, "db_worker", "--batch", "--no-startup-delay")
            assert drained.returncode == 0, drained.stderr
            report = _child("check", env, json.dumps(keys))
            audit = _motcua(env, "audit-verify")
            exchange = _motcua(env, "exchange-verify")
        finally:
            for process in (server, worker, simulators):
                process.stop()

    violations: list[str] = failures + report["violations"]
    mismatched = [key for key, code in answered.items() if code not in report["codes_by_key"].get(key, [])]
    violations += [f"{key}: answered {answered[key]}, stored {report['codes_by_key'].get(key)}" for key in mismatched]
    if audit.returncode != 0:
        violations.append(f"audit-verify: {audit.stdout[-500:]} {audit.stderr[-500:]}")
    if exchange.returncode != 0:
        violations.append(f"exchange-verify: {exchange.stdout[-500:]} {exchange.stderr[-500:]}")

    section = "Crash safety"
    reliability_figure(section, "receptions answered", len(answered), f"{RECEPTIONS}")
    reliability_figure(section, "app server SIGKILLs", server.kills, "")
    reliability_figure(section, "worker SIGKILLs", worker.kills, "")
    reliability_figure(section, "client retries", sum(retries), "")
    reliability_figure(section, "storm duration (s)", round(storm_s, 1), "")
    reliability_figure(section, "violations", len(violations), "0")
    assert server.kills > 0
    assert worker.kills > 0
    assert len(answered) == RECEPTIONS, violations[:5]
    assert report["dossiers"] == RECEPTIONS, violations[:5]
    assert not violations, "\n".join(violations[:20])
