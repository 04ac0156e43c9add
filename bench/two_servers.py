"""Two app servers on one PostgreSQL (docs/scaling.md): receptions through both at once stay gap-free, and a
queue number issued through one shows on the board read through the other.

    python -m bench.two_servers http://127.0.0.1:8801 http://127.0.0.1:8802

Both servers (`scripts/run-prod.sh`, the second with `--web-only`) share `DATABASE_URL`, which this
process uses too (for the desks' API tokens and the check of the codes). Prints one table.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from urllib.parse import urlsplit

from bench.support import ROOT, percentile

RECEPTIONS_PER_CLIENT = 25
CLIENTS_PER_SERVER = 4


def _call(base: str, method: str, path: str, body: object = None, token: str = "") -> tuple[int, object, float]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    began = time.perf_counter()
    connection.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    elapsed = time.perf_counter() - began
    connection.close()
    return response.status, json.loads(payload) if payload else None, elapsed


def _waiting(server: str, center: str) -> int:
    """Numbers waiting for service A on the center's board, as `server` shows it."""
    status, board, _ = _call(server, "GET", f"/api/v1/queue/centers/{center}/board")
    assert status == 200, status
    assert isinstance(board, dict)
    return next((int(s["waiting"]) for s in board["services"] if s["code"] == "A"), 0)


def main(servers: list[str]) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings"}
    setup = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.bench_dossiers", "seed"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    components = [{"component": code, "documents": [setup["scan"]]} for code in setup["components"]]
    codes: dict[str, list[str]] = defaultdict(list)
    latencies: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []

    def desk(server: str, index: int) -> None:
        rng = random.Random(index)
        token = setup["tokens"][index % len(setup["tokens"])]
        for _ in range(RECEPTIONS_PER_CLIENT):
            unit = rng.choice(setup["communes"])
            body = {
                "procedure_code": "1.001193",
                "receiving_unit": setup["desks"][index % len(setup["desks"])],
                "channel": "direct",
                "applicant": {
                    "full_name": "Nguyễn Văn An",
                    "personal_id": f"0100{rng.randrange(90, 100):02d}{rng.randrange(10**6):06d}",
                    "address_unit": unit,
                },
                "subject_unit": unit,
                "components": components,
            }
            status, answer, elapsed = _call(server, "POST", "/api/v1/dossiers", body, token)
            if status != 201 or not isinstance(answer, dict):
                failures.append(f"{server}: {status} {str(answer)[:200]}")
                return
            codes[server].append(str(answer["code"]))
            latencies[server].append(elapsed)

    threads = [
        threading.Thread(target=desk, args=(server, s * CLIENTS_PER_SERVER + i))
        for s, server in enumerate(servers)
        for i in range(CLIENTS_PER_SERVER)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"two_servers: {failures[0]}")

    numbers: dict[tuple[str, str], list[int]] = defaultdict(list)
    for code in (c for server_codes in codes.values() for c in server_codes):
        match = re.match(r"^(.+)-(\d{6})-(\d+)$", code)
        assert match is not None, code
        numbers[(match[1], match[2])].append(int(match[3]))
    # Gap-free where this run numbered alone: each body-day's numbers this run are consecutive.
    gaps = sum(1 for used in numbers.values() if sorted(used) != list(range(min(used), min(used) + len(used))))
    duplicates = sum(len(used) - len(set(used)) for used in numbers.values())

    # The board: issue through the first server, read through the second until the number shows.
    center = setup["desks"][0]
    before = _waiting(servers[1], center)
    status, ticket, _ = _call(servers[0], "POST", "/api/v1/queue/tickets", {"center": center, "service": "A"})
    assert status == 201, (status, ticket)
    assert isinstance(ticket, dict)
    began = time.perf_counter()
    seen = None
    while time.perf_counter() - began < 5:
        if _waiting(servers[1], center) == before + 1:
            seen = time.perf_counter() - began
            break
        time.sleep(0.05)

    print("| server | receptions | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for server in servers:
        values = sorted(latencies[server])
        print(
            f"| {server} | {len(values)} | {1000 * percentile(values, 50):.0f} | {1000 * percentile(values, 95):.0f} |"
        )
    print()
    print(
        f"{sum(len(c) for c in codes.values())} codes over {len(numbers)} body-days: {duplicates} duplicates, "
        f"{gaps} body-days with a gap; ticket {ticket['number']} issued through {servers[0]} counted on the board "
        f"read through {servers[1]} after {'%.0f ms' % (1000 * seen) if seen is not None else 'never (5 s)'}."
    )


if __name__ == "__main__":
    main(sys.argv[1:] or ["http://127.0.0.1:8801", "http://127.0.0.1:8802"])
