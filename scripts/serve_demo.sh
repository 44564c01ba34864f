#!/usr/bin/env bash
# Serves the demo: a background-task worker (notifications, outbox) beside the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY manage.py db_worker --interval 2 >/dev/null 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "后台任务进程已启动 / task worker started (pid $worker)"
$PY manage.py runserver 127.0.0.1:8000
