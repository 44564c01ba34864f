#!/usr/bin/env bash
# make prod-check: the production stack on this machine, as docs/deploy.md describes it —
# PostgreSQL, gunicorn, the task worker and the scheduler, DEBUG off, static files collected
# with hashed names — filled with the small demo city, then a smoke test over HTTP as a
# browser would use it. Everything is thrown away at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ]; then
  exec bash scripts/with_postgres.sh bash "$0"
fi

VENV=.venv/bin
work=$(mktemp -d -t civicgrid-prod.XXXXXX)
port=${PROD_CHECK_PORT:-$(( 58000 + RANDOM % 1000 ))}
export CIVICGRID_ENV_FILE=""
export DEBUG=0
export SECRET_KEY="$($VENV/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
export FIELD_ENCRYPTION_KEY="$($VENV/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
export BLIND_INDEX_KEY="$($VENV/python -c 'import secrets; print(secrets.token_urlsafe(32))')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache CACHE_LOCATION=civicgrid_cache
export MEDIA_ROOT="$work/media" STATIC_ROOT="$work/static"
export LOG_LEVEL=INFO

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "prod-check: migrate, cache table, collectstatic, small demo city"
$VENV/python manage.py migrate --noinput -v0
$VENV/python manage.py createcachetable
$VENV/python manage.py collectstatic --noinput -v0
$VENV/python manage.py build_demo --size small >/dev/null
$VENV/python manage.py check --deploy --fail-level ERROR

echo "prod-check: gunicorn on 127.0.0.1:$port, task worker, scheduler"
$VENV/gunicorn config.wsgi --bind "127.0.0.1:$port" --workers 2 --access-logfile "$work/access.log" \
  --error-logfile "$work/error.log" &
pids+=($!)
$VENV/python manage.py db_worker --interval 2 >"$work/worker.log" 2>&1 &
pids+=($!)
$VENV/python manage.py run_scheduler --run-now >"$work/scheduler.log" 2>&1 &
pids+=($!)

if ! $VENV/python scripts/smoke.py "http://127.0.0.1:$port"; then
  echo "--- gunicorn errors"; tail -n 40 "$work/error.log" || true
  exit 1
fi
grep -q "scheduler started" "$work/scheduler.log" || { echo "scheduler did not start"; cat "$work/scheduler.log"; exit 1; }
echo "prod-check: passed"
