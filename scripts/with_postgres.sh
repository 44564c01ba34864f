#!/usr/bin/env bash
# Runs "$@" against a throwaway PostgreSQL cluster on a loopback port, then removes it.
# PGTEST_REPLICA=1 adds a streaming replica of it (pg_basebackup -R) on a second port and
# exports DATABASE_REPLICA_URL, so the read-replica routing tests run on a real pair.
# PGTEST_PORT / PGTEST_REPLICA_PORT pin the ports; otherwise free ones are picked at random.
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL server binaries not found; run make system-deps" >&2; exit 1; }

workdir=$(mktemp -d -t civicgrid-pg.XXXXXX)
run_as=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root; use the postgres system user the package creates.
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$workdir" postgres
  chown postgres "$workdir"
  run_as=(runuser -u postgres --)
fi

cleanup() {
  for dir in "$workdir/replica" "$workdir/data"; do
    [ -d "$dir" ] && "${run_as[@]}" "$pg_bin/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true
  done
  rm -rf "$workdir"
}
trap cleanup EXIT

# Something already answers on the port (another cluster, another test run's server)?
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free port in 55000-59999 other than the ones given.
pick_port() {
  local candidate taken
  for _ in $(seq 1 50); do
    candidate=$(( 55000 + RANDOM % 5000 ))
    for taken in "$@"; do [ "$candidate" = "$taken" ] && continue 2; done
    port_in_use "$candidate" || { echo "$candidate"; return 0; }
  done
  echo "no free port found in 55000-59999" >&2
  return 1
}

# start_cluster DATADIR PORT: the fast, throwaway settings; false when the server does not
# come up (e.g. another process took the port between the check and the start).
start_cluster() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$1" -w -l "$1.log" \
    -o "-c listen_addresses=127.0.0.1 -p $2 -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    start >/dev/null
}

# start_on_free_port DATADIR FIXED_PORT OTHER_PORT...: prints the port the cluster listens on.
start_on_free_port() {
  local dir=$1 fixed=$2 port
  shift 2
  if [ -n "$fixed" ]; then
    port_in_use "$fixed" && { echo "port $fixed is already in use" >&2; return 1; }
    start_cluster "$dir" "$fixed" || { cat "$dir.log" >&2; return 1; }
    echo "$fixed"
    return 0
  fi
  for _ in 1 2 3; do
    port=$(pick_port "$@")
    if start_cluster "$dir" "$port"; then echo "$port"; return 0; fi
  done
  cat "$dir.log" >&2
  return 1
}

"${run_as[@]}" "$pg_bin/initdb" -D "$workdir/data" -U civicgrid --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
port=$(start_on_free_port "$workdir/data" "${PGTEST_PORT:-}")
export DATABASE_URL="postgres://civicgrid@127.0.0.1:$port/civicgrid"
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U civicgrid civicgrid
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

if [ "${PGTEST_REPLICA:-0}" = 1 ]; then
  # A physical copy that follows the primary's WAL (-R writes primary_conninfo and
  # standby.signal); initdb's pg_hba.conf already trusts replication from 127.0.0.1. Test
  # databases created on the primary later reach it by replication.
  "${run_as[@]}" "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$port" -U civicgrid \
    -D "$workdir/replica" -R -X stream -c fast
  replica_port=$(start_on_free_port "$workdir/replica" "${PGTEST_REPLICA_PORT:-}" "$port")
  in_recovery=$("$pg_bin/psql" -h 127.0.0.1 -p "$replica_port" -U civicgrid -d civicgrid -Atc 'select pg_is_in_recovery()')
  [ "$in_recovery" = t ] || { echo "the replica on $replica_port is not in recovery" >&2; exit 1; }
  export DATABASE_REPLICA_URL="postgres://civicgrid@127.0.0.1:$replica_port/civicgrid"
  echo "PostgreSQL streaming replica on 127.0.0.1:$replica_port"
fi

"$@"
