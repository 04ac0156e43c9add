#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster in a temporary folder on a loopback port; print its DATABASE_URL.
# Usage: eval "$(scripts/pg-throwaway.sh start)"   ...   scripts/pg-throwaway.sh stop "$PG_DIR"
# Installs PostgreSQL from apt when no server binaries are found.
set -euo pipefail

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

case "${1:-}" in
  start)
    if ! bindir=$(find_bin); then
      echo "PostgreSQL not found: installing it from apt" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
      bindir=$(find_bin)
    fi
    dir=$(mktemp -d /tmp/motcua-pg.XXXXXX)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    run=()
    if [ "$(id -u)" = 0 ]; then
      # initdb refuses to run as root: the cluster belongs to the postgres system user.
      id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
      chown postgres "$dir"
      run=(runuser -u postgres --)
    fi
    "${run[@]}" "$bindir/initdb" -D "$dir/data" -U motcua --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >&2 || { cat "$dir/server.log" >&2; exit 1; }
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U motcua motcua
    echo "export PG_DIR=$dir PG_BIN=$bindir DATABASE_URL=postgresql://motcua@127.0.0.1:$port/motcua"
    ;;
  stop)
    dir="$2"
    bindir=$(find_bin)
    run=()
    [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
    "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
