#!/usr/bin/env bash
# Runs "$@" against a throwaway PostgreSQL cluster on a loopback port, then removes it.
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL server binaries not found; run make system-deps" >&2; exit 1; }

workdir=$(mktemp -d -t civicgrid-pg.XXXXXX)
port=${PGTEST_PORT:-$(( 55000 + RANDOM % 5000 ))}
run_as=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root; use the postgres system user the package creates.
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$workdir" postgres
  chown postgres "$workdir"
  run_as=(runuser -u postgres --)
fi

cleanup() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${run_as[@]}" "$pg_bin/initdb" -D "$workdir/data" -U civicgrid --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -w -l "$workdir/log" \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
  start >/dev/null

export DATABASE_URL="postgres://civicgrid@127.0.0.1:$port/civicgrid"
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U civicgrid civicgrid
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
