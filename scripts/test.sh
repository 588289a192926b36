#!/usr/bin/env bash
# `make test`: lint, migrations check, then the whole pytest suite on PostgreSQL and Redis.
# `make bench` (--bench): the benchmarks under tests/bench instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh

export DJANGO_SETTINGS_MODULE=tests.settings
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "Models changed without a migration: run manage.py makemigrations"; exit 1; }

if [ "${1:-}" = "--bench" ]; then
  exec .venv/bin/pytest tests/bench -p no:xdist -s
fi
exec .venv/bin/pytest -n 2 --dist loadgroup --ignore=tests/bench "$@"
