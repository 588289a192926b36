#!/usr/bin/env bash
# `make run`: the app on its embedded default (SQLite in var/, a file-based Celery broker), with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python

$PY manage.py migrate --noinput >/dev/null
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py seed_demo

.venv/bin/celery -A secondcrm worker --beat --loglevel=warning --concurrency=1 \
  --schedule var/celerybeat-schedule >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

cat <<TXT

  SecondCRM is running at http://127.0.0.1:${PORT}
  Demo logins (password: ${DEMO_PASSWORD:-demo}): admin, manager, staff, management
  Background worker log: var/worker.log. Stop with Ctrl-C.

TXT
.venv/bin/gunicorn secondcrm.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --access-logfile - --log-level warning
