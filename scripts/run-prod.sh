#!/usr/bin/env bash
# Production serving on PostgreSQL (docs/scaling.md): migrations and static files, then gunicorn (gthread
# workers for 2 cores), the task worker, the outbox drain and the hourly housekeeping, stopped together.
# Settings come from the environment (motcua/config.py; `motcua env-example`).
#   scripts/run-prod.sh              the first (or only) app server: migrates, collects, serves, works
#   scripts/run-prod.sh --web-only   a further app server on the same database: serves only
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh
export PATH="$PWD/.venv/bin:$PATH"
: "${DATABASE_URL:?run-prod serves PostgreSQL: set DATABASE_URL=postgresql://user:password@host:5432/motcua}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "run-prod: DATABASE_URL must be a postgresql:// URL (SQLite is for make run)" >&2; exit 2 ;;
esac
export MOTCUA_DEBUG=0
setting() { python -c 'import sys; from motcua.config import env; print(env(sys.argv[1]))' "$1"; }
workers=$(setting MOTCUA_WEB_WORKERS)
threads=$(setting MOTCUA_WEB_THREADS)
bind=$(setting MOTCUA_BIND)

web_only=0
[ "${1:-}" = "--web-only" ] && web_only=1

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; }
trap stop EXIT INT TERM

if [ "$web_only" = 0 ]; then
  # One server migrates; the others start with --web-only once it has.
  motcua migrate --no-input
  motcua collectstatic --no-input -v 0
  # Background tasks on the database (django-tasks), deliveries whose backoff has passed, and the hourly
  # housekeeping; each is safe to run on several servers at once.
  motcua db_worker &
  pids+=($!)
  motcua outbox-drain --every 15 >/dev/null &
  pids+=($!)
  (while true; do motcua dossiers-sweep; motcua personal-data-retention; motcua reports-refresh >/dev/null; motcua prune_db_task_results --min-age-days 14 -v 0; sleep 3600; done) &
  pids+=($!)
fi

echo "motcua: gunicorn on $bind, $workers workers × $threads threads"
# --max-requests recycles a worker now and then (a slow leak cannot grow); the jitter keeps them apart.
# --reuse-port gives each worker its own listening socket and lets the kernel spread new connections over
# them: on one shared socket the worker awake first took every connection of a burst (8 desks connecting
# together all landed on one process, which then used one core of two; docs/scaling.md).
gunicorn motcua.wsgi:application \
  --bind "$bind" --workers "$workers" --worker-class gthread --threads "$threads" --reuse-port \
  --no-control-socket --keep-alive 30 --timeout 60 --graceful-timeout 30 --max-requests 20000 --max-requests-jitter 2000 \
  --access-logfile - --log-level info &
pids+=($!)
wait -n "${pids[@]}"
