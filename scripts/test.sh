#!/usr/bin/env bash
# The whole check, as CI runs it: static checks, then the test suite on SQLite and on PostgreSQL.
# Works on a fresh machine: creates .venv and installs PostgreSQL when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh dev
export PATH="$PWD/.venv/bin:$PATH"

echo "== ruff"
ruff check .
ruff format --check .
echo "== mypy (strict)"
mypy motcua bench tests conftest.py
echo "== import-linter"
lint-imports

# Browser tests drive Debian's chromium (never a downloaded browser): install it when tests need it.
if grep -rqs "pytest.mark.browser" motcua tests && [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

data_dir=$(mktemp -d /tmp/motcua-test.XXXXXX)
pg_dir=""
cleanup() {
  [ -n "$pg_dir" ] && scripts/pg-throwaway.sh stop "$pg_dir"
  rm -rf "$data_dir"
}
trap cleanup EXIT
export MOTCUA_DATA_DIR="$data_dir"
rm -f var/reliability-figures.jsonl

echo "== tests on SQLite"
env -u DATABASE_URL pytest -p no:cacheprovider -n 2 "$@"

echo "== tests on PostgreSQL"
eval "$(scripts/pg-throwaway.sh start)"
pg_dir="$PG_DIR"
DATABASE_URL="$DATABASE_URL" pytest -p no:cacheprovider -n 2 "$@"

echo "== reliability figures (docs/reliability.md: scripts/reliability_report.py --write)"
python scripts/reliability_report.py
