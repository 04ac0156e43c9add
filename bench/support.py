"""Shared plumbing of the benchmarks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_THROWAWAY = ROOT / "scripts" / "pg-throwaway.sh"


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
