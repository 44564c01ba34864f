#!/usr/bin/env bash
# Serves the demo: a background-task worker (notifications, outbox), the periodic overdue scan
# and the daily 一日双巡 verdicts beside the web server. In production these run from cron or a
# systemd timer.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY manage.py db_worker --interval 2 >/dev/null 2>&1 &
worker=$!
( while true; do
    $PY manage.py escalate_overdue >/dev/null 2>&1 || true
    # Idempotent: yesterday's verdicts are written once and rewritten unchanged after that.
    $PY manage.py patrol_compliance >/dev/null 2>&1 || true
    sleep 300
  done ) &
scanner=$!
trap 'kill $worker $scanner 2>/dev/null || true' EXIT INT TERM
echo "后台任务进程已启动 / task worker started (pid $worker); 超期扫描每 5 分钟 / overdue scan every 5 min"
$PY manage.py runserver 127.0.0.1:8000
