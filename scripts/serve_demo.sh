#!/usr/bin/env bash
# Serves the demo: a background-task worker (notifications, outbox) and the scheduler of the
# periodic jobs (settings.PERIODIC_JOBS: overdue scan, daily verdicts, purges …) beside the
# development web server. Production runs the same two processes under systemd
# (docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY manage.py db_worker --interval 2 >/dev/null 2>&1 &
worker=$!
$PY manage.py run_scheduler --run-now >/dev/null 2>&1 &
scheduler=$!
trap 'kill $worker $scheduler 2>/dev/null || true' EXIT INT TERM
echo "后台任务进程与定时任务进程已启动 / task worker and scheduler started (pids $worker, $scheduler)"
$PY manage.py runserver 127.0.0.1:8000
