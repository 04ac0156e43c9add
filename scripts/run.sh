#!/usr/bin/env bash
# Set up and serve the demo on the embedded default (SQLite in $MOTCUA_DATA_DIR, default ./var).
# Idempotent: a second run keeps the data and starts again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh
# PDF forms need a font with Vietnamese glyphs; Debian's DejaVu has them.
if ! fc-list 2>/dev/null | grep -qi dejavu && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null || true
fi
export PATH="$PWD/.venv/bin:$PATH"
export MOTCUA_DEBUG="${MOTCUA_DEBUG:-0}"
# The demo serves plain HTTP on loopback and its accounts have no authenticator: cookies without Secure,
# and the second factor only for staff who enrol one (/can-bo/xac-thuc/dang-ky/).
export MOTCUA_SECURE_COOKIES="${MOTCUA_SECURE_COOKIES:-0}"
export MOTCUA_STAFF_OTP="${MOTCUA_STAFF_OTP:-optional}"
port="${PORT:-8000}"

motcua migrate --no-input
motcua demo

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; }
trap stop EXIT INT TERM
motcua db_worker &
pids+=($!)
# The partner agencies' systems, simulated (MOTCUA_PARTNER_BASE_URL points at them by default), and the
# outbox retries whose backoff has passed (the worker drains right after each commit).
motcua simulators &
pids+=($!)
motcua outbox-drain --every 15 >/dev/null &
pids+=($!)
# Hourly housekeeping (all idempotent): close dossiers whose supplement never came, per procedure; apply
# the personal data retention; bring the Decision 766 fact table up to date for the reports; drop the
# worker's task results finished two weeks ago (a busy server asks for a drain a second).
(while true; do motcua dossiers-sweep; motcua personal-data-retention; motcua reports-refresh >/dev/null; motcua prune_db_task_results --min-age-days 14 -v 0; sleep 3600; done) &
pids+=($!)
echo "motcua: serving http://127.0.0.1:$port (Ctrl+C to stop)"
motcua runserver --insecure --noreload "127.0.0.1:$port" &
pids+=($!)
wait -n "${pids[@]}"
