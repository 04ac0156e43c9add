"""Catalog import: the whole national file (2,642 procedures) into a fresh SQLite database.

Each step runs in its own Python process, which reports its wall time and peak resident memory, so
Django's import cost is counted and one step's memory does not hide another's. The baseline, measured
in the same run, only decompresses and parses the JSON lines of the same file: the ratio to it holds
on a noisy machine. Targets: under 30 s and under 300 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from motcua.catalog.data import PORTAL_FILE

TARGET_SECONDS = 30.0
TARGET_MB = 300.0

_MEASURE = """
import json, resource, sys, time
began = time.perf_counter()
{body}
elapsed = time.perf_counter() - began
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": elapsed, "peak_mb": peak_kb / 1024, "extra": extra}}))
"""

_BASELINE = """
import gzip
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as lines:
    extra = sum(1 for line in lines if json.loads(line))
"""

_IMPORT = """
import django
django.setup()
from motcua.catalog.services.imports import import_procedure_files
report = import_procedure_files([sys.argv[1]])
extra = {"created": report.created, "unchanged": report.unchanged, "with_time": report.with_time,
         "with_fee": report.with_fee, "records": report.portal_records}
"""


def _run(body: str, env: dict[str, str]) -> dict[str, object]:
    code = _MEASURE.format(body=body)
    done = subprocess.run(
        [sys.executable, "-c", code, str(PORTAL_FILE)], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "MOTCUA_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "motcua.settings"}
        env.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "motcua.cli", "migrate", "-v0"], env=env, check=True)
        baseline = _run(_BASELINE, env)
        first = _run(_IMPORT, env)
        again = _run(_IMPORT, env)
        size_mb = (Path(data_dir) / "motcua.sqlite3").stat().st_size / 1e6

    base_seconds = float(str(baseline["seconds"]))
    rows = [
        ("baseline: gunzip + json.loads only", baseline, ""),
        ("import into an empty database", first, f"< {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB"),
        ("re-import (all unchanged)", again, ""),
    ]
    print("| step | seconds | × baseline | peak MB | target |\n|---|---:|---:|---:|---|")
    for name, measured, target in rows:
        seconds = float(str(measured["seconds"]))
        peak = float(str(measured["peak_mb"]))
        print(f"| {name} | {seconds:.2f} | {seconds / base_seconds:.0f} | {peak:.0f} | {target} |")
    stats = first["extra"]
    assert isinstance(stats, dict)
    records = int(stats["records"])
    print(
        f"\n{stats['created']} procedures; time limit parsed on some channel: {stats['with_time']} "
        f"({100 * int(stats['with_time']) / records:.1f}%); fee parsed: {stats['with_fee']} "
        f"({100 * int(stats['with_fee']) / records:.1f}%); SQLite file {size_mb:.0f} MB"
    )
    seconds, peak = float(str(first["seconds"])), float(str(first["peak_mb"]))
    verdict = "met" if seconds < TARGET_SECONDS and peak < TARGET_MB else "MISSED"
    print(f"target (< {TARGET_SECONDS:.0f} s and < {TARGET_MB:.0f} MB): {verdict}")


if __name__ == "__main__":
    main()
