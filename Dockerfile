# syntax=docker/dockerfile:1
# One image for every SecondCRM process: docker-compose.yml runs it as web (gunicorn, the default
# command), worker and beat (celery). Beyond slim it needs only what WeasyPrint (PDF export) loads: Pango
# and a font.

# --- Front-end packages: exactly what package-lock.json pins, from npm ----------------------------------
FROM node:22-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- The application ---------------------------------------------------------------------------------------
FROM python:3.11-slim
# PYTHONPATH: the wheel that `pip install .` builds holds only the Python modules (no templates, no
# static/), so every process imports the project from the source tree in /app, whatever its entry point.
# SECONDCRM_VAR_DIR and MEDIA_ROOT: uploaded documents live on the /data volume (and, without a
# DATABASE_URL, the embedded SQLite database too); /app stays read-only for the app user.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    SECONDCRM_VAR_DIR=/data \
    MEDIA_ROOT=/data/media
WORKDIR /app

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# The dependencies first, read from pyproject.toml alone, so that a code change reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
      > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY . .
RUN pip install .
COPY --from=assets /build/node_modules ./node_modules

# Build-time values only, never seen at run time: a DATABASE_URL makes the settings choose the production
# storage (hashed names plus staticfiles.json, which web reads at run time); nothing connects to them.
RUN DATABASE_URL=postgres://collectstatic@127.0.0.1/collectstatic REDIS_URL=redis://127.0.0.1:6379/0 SECRET_KEY=collectstatic-build-step-only-not-a-runtime-secret python manage.py collectstatic --noinput --verbosity 0

RUN groupadd --system --gid 10001 secondcrm \
 && useradd --system --uid 10001 --gid secondcrm --home-dir /app --no-create-home --shell /usr/sbin/nologin secondcrm \
 && mkdir -p /data/media \
 && chown -R secondcrm:secondcrm /data
USER secondcrm
EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
# /dev/shm for the worker heartbeat files: a container's /tmp may sit on a slow overlay disk.
CMD ["gunicorn", "secondcrm.wsgi", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-"]
