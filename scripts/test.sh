#!/usr/bin/env bash
# `make test`: lint, migrations check, then the whole pytest suite on PostgreSQL and Redis.
# `make bench` (--bench): the benchmarks under tests/bench instead, on one generated world (tests/bench/conftest.py).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh

export DJANGO_SETTINGS_MODULE=tests.settings
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "Models changed without a migration: run manage.py makemigrations"; exit 1; }

if [ "${1:-}" = "--bench" ]; then
  # The load test drives gunicorn with wrk.
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  # One generated world per run (BENCH_SCALE, default 1); BENCH_KEEP=1 keeps it, and its database, for the next run.
  keep=()
  [ "${BENCH_KEEP:-}" = "1" ] && keep=(--reuse-db)
  exec .venv/bin/pytest tests/bench -p no:xdist -s "${keep[@]}"
fi
exec .venv/bin/pytest -n 2 --dist loadgroup --ignore=tests/bench "$@"
