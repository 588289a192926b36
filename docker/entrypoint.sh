#!/bin/sh
# Entrypoint of the SecondCRM image: apply migrations first when MIGRATE_ON_START=1, then run the command.
# Only the web service sets it (docker-compose.yml), so one process migrates and the worker and beat,
# which wait for web to be healthy, start on the migrated schema.
set -eu
cd "$(dirname "$0")/.."

if [ "${MIGRATE_ON_START:-0}" = "1" ]; then
  python manage.py migrate --noinput
fi

# exec replaces this shell, so the command runs as PID 1 and receives `docker stop`'s SIGTERM itself.
exec "$@"
