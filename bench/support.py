"""Shared plumbing of the benchmarks: a PostgreSQL database, a real WSGI server, a client load, and the two
baselines every PostgreSQL benchmark prints beside its figures (pgbench TPC-B: the database's limit; a bare
endpoint of the same server under the same load: the framework's limit)."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_THROWAWAY = ROOT / "scripts" / "pg-throwaway.sh"
#: 8 clients: pgbench's TPC-B saturates 2 cores there; the issue's targets are stated at this load.
CLIENTS = 8
#: The production layout of `scripts/run-prod.sh` for 2 cores: 3 processes × 4 threads.
WORKERS, THREADS = 3, 4

Request = Callable[[int, int], tuple[str, str, bytes | None, dict[str, str] | None]]


def run_on_postgresql(module: str) -> None:
    """Run `bench.<module>.run()` in a child process on PostgreSQL: `DATABASE_URL` when set, otherwise a
    throwaway cluster started for the run and stopped after it. A child process, so Django is configured
    for PostgreSQL whatever ran before in this one."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="motcua.settings")
    pg_dir = None
    if not env.get("DATABASE_URL"):
        started = subprocess.run([str(PG_THROWAWAY), "start"], capture_output=True, text=True, check=True)
        exported = dict(pair.split("=", 1) for pair in started.stdout.split()[1:])
        pg_dir = exported["PG_DIR"]
        env["DATABASE_URL"] = exported["DATABASE_URL"]
    try:
        subprocess.run([sys.executable, "-c", f"from bench.{module} import run; run()"], env=env, cwd=ROOT, check=True)
    finally:
        if pg_dir:
            subprocess.run([str(PG_THROWAWAY), "stop", pg_dir], check=False)


@contextmanager
def postgresql() -> Iterator[str]:
    """`DATABASE_URL` when set, else a throwaway cluster for the duration."""
    if url := os.environ.get("DATABASE_URL"):
        yield url
        return
    started = subprocess.run([str(PG_THROWAWAY), "start"], check=True, capture_output=True, text=True).stdout
    values = dict(re.findall(r"(\w+)=(\S+)", started))
    try:
        yield values["DATABASE_URL"]
    finally:
        subprocess.run([str(PG_THROWAWAY), "stop", values["PG_DIR"]], check=False)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile of sorted `values` (nearest rank)."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(len(values) * q / 100))]


@dataclass(frozen=True)
class Load:
    """Requests per second and latency of one measured run."""

    rate: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    count: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = WORKERS, threads: int = THREADS) -> Iterator[int]:
    """The application behind gunicorn (gthread) on a free loopback port, as `run-prod.sh` serves it (one
    listening socket per worker: the clients' connections spread over the processes)."""
    port = free_port()
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "motcua.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        "--keep-alive=30",
        "--reuse-port",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _wait_for(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("bench: the server did not start")


def drive(
    port: int,
    request: Request,
    *,
    clients: int = CLIENTS,
    seconds: float = 10.0,
    expect: int = 200,
    warm_up_s: float = 2.0,
) -> Load:
    """`clients` threads, each on one keep-alive connection, for `seconds` after `warm_up_s` of the same
    load (not measured)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[str] = []
    stop = threading.Event()
    measuring = threading.Event()

    def client(index: int) -> None:
        connection = _KeepAlive(port)
        n = 0
        while not stop.is_set():
            method, path, body, headers = request(index, n)
            n += 1
            began = time.perf_counter()
            status, payload = connection.exchange(method, path, body, headers)
            elapsed = time.perf_counter() - began
            if status != expect:
                failures.append(f"{method} {path}: {status} {payload[:300]!r}")
                stop.set()
            if measuring.is_set():
                latencies[index].append(elapsed)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(warm_up_s)
    measuring.set()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    measured = time.perf_counter() - began
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"bench: unexpected response: {failures[0]}")
    flat = sorted(value for values in latencies for value in values)
    return Load(
        rate=len(flat) / measured,
        p50_ms=1000 * percentile(flat, 50),
        p95_ms=1000 * percentile(flat, 95),
        p99_ms=1000 * percentile(flat, 99),
        count=len(flat),
    )


class _KeepAlive:
    """One keep-alive HTTP/1.1 connection doing the least work a client can: the load runs on the cores
    the server is measured on, and `http.client` (its header parsing above all) took 0.3–0.5 ms of them a
    request, as much as a twentieth of a reception. Answers must carry `Content-Length` (Django's
    `CommonMiddleware` sets it); anything else stops the benchmark."""

    def __init__(self, port: int) -> None:
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending = b""

    def exchange(self, method: str, path: str, body: bytes | None, headers: dict[str, str] | None) -> tuple[int, bytes]:
        """Send one request, return the answer's status and body."""
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body or b'')}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.socket.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))
        while b"\r\n\r\n" not in self.pending:
            self._receive()
        head, _, self.pending = self.pending.partition(b"\r\n\r\n")
        status_line, *fields = head.split(b"\r\n")
        lengths = [int(f.split(b":", 1)[1]) for f in fields if f[:15].lower() == b"content-length:"]
        if len(lengths) != 1:
            raise SystemExit(f"bench: an answer without Content-Length: {head[:300]!r}")
        while len(self.pending) < lengths[0]:
            self._receive()
        payload, self.pending = self.pending[: lengths[0]], self.pending[lengths[0] :]
        return int(status_line.split(b" ", 2)[1]), payload

    def _receive(self) -> None:
        chunk = self.socket.recv(1 << 16)
        if not chunk:
            raise SystemExit("bench: the server closed a keep-alive connection")
        self.pending += chunk

    def close(self) -> None:
        self.socket.close()


def health_baseline(port: int, *, clients: int = CLIENTS, seconds: float = 10.0) -> Load:
    """The framework's limit on this server: `GET /api/v1/health` (routing, one `SELECT 1`, JSON)."""
    return drive(port, lambda _i, _n: ("GET", "/api/v1/health", None, None), clients=clients, seconds=seconds)


def pgbench_baseline(database_url: str, *, clients: int = CLIENTS, seconds: int = 10) -> Load | None:
    """The database's limit: pgbench TPC-B (scale 1) at `clients` clients; None when pgbench is missing.
    Its tables (`pgbench_*`) are dropped again afterwards."""
    found = shutil.which("pgbench") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    if found is None:
        return None
    target = pg_args(database_url)
    subprocess.run([str(found), "-i", "-q", "-s", "1", *target], check=True, capture_output=True)
    try:
        done = subprocess.run(
            [str(found), "-c", str(clients), "-j", "2", "-T", str(seconds), "-r", *target],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        subprocess.run([str(found), "-i", "-I", "d", *target], check=False, capture_output=True)
    tps = re.search(r"tps = ([\d.]+)", done.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", done.stdout)
    assert tps is not None, done.stdout
    average = float(latency.group(1)) if latency else float("nan")
    return Load(rate=float(tps.group(1)), p50_ms=average, p95_ms=float("nan"), p99_ms=float("nan"), count=0)


def pg_args(database_url: str) -> list[str]:
    """`-h host -p port -U user dbname` of a `postgresql://` URL, for the PostgreSQL command-line tools."""
    match = re.match(
        r"postgres(?:ql)?://(?P<user>[^@:]+)(?::[^@]*)?@(?P<host>[^:/]+):(?P<port>\d+)/(?P<db>.+)", database_url
    )
    if match is None:
        raise SystemExit(f"bench: cannot read {database_url!r} for the PostgreSQL tools")
    return ["-h", match["host"], "-p", match["port"], "-U", match["user"], match["db"]]


def baseline_rows(health: Load, pgbench: Load | None) -> list[str]:
    """The two baseline rows of a results table `| measure | per s | p50 | p95 | p99 | |`."""
    rows = [
        f"| baseline: GET /api/v1/health, {CLIENTS} clients (framework) | {health.rate:,.0f} | "
        f"{health.p50_ms:.1f} | {health.p95_ms:.1f} | {health.p99_ms:.1f} |  |"
    ]
    if pgbench is not None:
        rows.append(
            f"| baseline: pgbench TPC-B, {CLIENTS} clients (database) | {pgbench.rate:,.0f} | "
            f"avg {pgbench.p50_ms:.1f} |  |  |  |"
        )
    return rows


def timed(operation: Callable[[], object], *, runs: int = 200, warmup: int = 10) -> dict[str, float]:
    """p50, p95 and p99 in ms of `runs` sequential calls of `operation`, after `warmup` untimed ones."""
    for _ in range(warmup):
        operation()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        operation()
        samples.append(time.perf_counter() - began)
    samples.sort()
    return {
        "p50_ms": 1000 * statistics.median(samples),
        "p95_ms": 1000 * percentile(samples, 95),
        "p99_ms": 1000 * percentile(samples, 99),
    }
