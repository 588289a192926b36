"""Smoke test of the embedded default, started the way scripts/run.sh (`make run`) starts it.

No DATABASE_URL and no REDIS_URL: SQLite and the file-based Celery broker in a temporary SECONDCRM_VAR_DIR,
migrate and seed_demo, then gunicorn and a Celery worker (with beat) as separate processes. A person's
visit is replayed over real HTTP, and a task sent from another process must reach the worker through the
broker's files.
"""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.smoke

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # gunicorn and celery are installed beside this interpreter
# Variables that would move the app off its embedded default (tests/settings.py sets the first three in
# this process) or change what the test expects: the demo password, the retention, eager tasks.
NOT_EMBEDDED = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DEMO_PASSWORD",
    "RECYCLE_BIN_RETENTION_DAYS",
    "CELERY_TASK_ALWAYS_EAGER",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "MEDIA_ROOT",
    "SECONDCRM_VAR_DIR",
)
PURGE = "secondcrm.records.tasks.purge_expired_recycle_bin"
BACKDATE = """
from datetime import timedelta
from django.utils import timezone
from accounts.models import Account
from secondcrm.access.models import User
from secondcrm.records.services import record_delete

admin = User.objects.get(username="admin")
for name, days in (("Lion City Bakery", 100), ("Orchid Health Clinics", 1)):
    record = Account.objects.get(account_name=name)
    record_delete(record=record, acting_user=admin)
    Account.all_objects.filter(pk=record.pk).update(deleted_at=timezone.now() - timedelta(days=days))
"""
BIN_CONTENTS = """
import json
from accounts.models import Account

names = ("Lion City Bakery", "Orchid Health Clinics", "Harbour Logistics Pte Ltd")
rows = Account.all_objects.filter(account_name__in=names)
print(json.dumps({row.account_name: row.deleted_at is not None for row in rows}))
"""

# An import of two accounts, previewed and run by the worker: COPY is PostgreSQL's, so SQLite takes the other path.
IMPORT_START = r"""
from django.core.files.base import ContentFile
from secondcrm.access.models import User
from secondcrm.imports.fields import auto_mapping, importable_fields
from secondcrm.imports.models import ImportJob
from secondcrm.imports.reading import file_columns
from secondcrm.imports.services import preview_start
from secondcrm.records.registry import registry

admin = User.objects.get(username="admin")
job = ImportJob(module="accounts", user=admin, file_name="accounts.csv")
rows = "Account Name;City\nKampong Glam Traders;Singapore\nBugis Books;Singapore\n"
job.file.save("accounts.csv", ContentFile(rows.encode()), save=False)
job.delimiter = ";"
job.columns = file_columns(job)
job.mapping = auto_mapping(job.columns, importable_fields(registry.get("accounts"), admin))
job.save()
preview_start(job)
print(job.pk)
"""
IMPORT_STEP = """
import json
from secondcrm.imports.models import ImportJob
from secondcrm.imports.services import import_start

job = ImportJob.objects.get(pk={pk})
if job.status == ImportJob.Status.READY and {run}:
    import_start(job)
    job.refresh_from_db()
print(json.dumps({{"status": job.status, "created": job.created_count, "error": job.error}}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(args: list, env: dict, timeout: int = 60) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
    return result.stdout


def manage(*args: str, env: dict) -> str:
    return run([sys.executable, "manage.py", *args], env)


def start(args: list, env: dict, log: Path) -> subprocess.Popen:
    # A session of its own: stopping the group also stops gunicorn's and celery's child processes.
    with log.open("wb") as output:
        return subprocess.Popen(
            [str(arg) for arg in args],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def wait_until(condition, timeout: float, what: str, logs: list[Path]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.25)
    raise AssertionError(f"{what} within {timeout} s\n" + "\n".join(f"--- {log}\n{log.read_text()}" for log in logs))


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_embedded_default_serves_pages_and_runs_tasks_through_the_file_broker(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in NOT_EMBEDDED}
    env.update(DJANGO_SETTINGS_MODULE="secondcrm.settings", SECONDCRM_VAR_DIR=str(tmp_path))
    manage("migrate", "--noinput", env=env)
    assert "Demo data loaded." in manage("seed_demo", env=env)
    assert (tmp_path / "secondcrm.sqlite3").is_file()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"
    processes = []
    try:
        processes.append(
            start([BIN / "gunicorn", "secondcrm.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"], env, web_log)
        )
        # As scripts/run.sh starts it, with the log at INFO so the task's outcome can be read from it.
        worker = [BIN / "celery", "-A", "secondcrm", "worker", "--beat", "--loglevel=info", "--concurrency=1"]
        worker += ["--schedule", tmp_path / "celerybeat-schedule"]
        processes.append(start(worker, env, worker_log))
        wait_until(lambda: answers(f"{base}/healthz"), 30, "gunicorn did not answer /healthz", [web_log])

        # The image's health check script, against a live app: healthy for a host the app serves,
        # unhealthy (Django answers 400) for one it does not.
        healthcheck = [sys.executable, ROOT / "docker" / "healthcheck.py", str(port)]
        assert subprocess.run(healthcheck, env=env, capture_output=True, timeout=30).returncode == 0
        foreign = subprocess.run(
            healthcheck, env={**env, "ALLOWED_HOSTS": "crm.example.com"}, capture_output=True, text=True, timeout=30
        )
        assert foreign.returncode == 1
        assert "400" in foreign.stderr

        # Anonymous visitors are sent to the login page.
        with urllib.request.urlopen(f"{base}/accounts/", timeout=10) as response:
            assert urllib.parse.urlparse(response.url).path == "/login/"

        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with browser.open(f"{base}/login/", timeout=10) as response:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
        assert token, "no CSRF token on the login page"
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token[1], "username": "admin", "password": "demo"})
        with browser.open(f"{base}/login/", data=form.encode(), timeout=10) as response:
            assert urllib.parse.urlparse(response.url).path == "/"  # redirected home, not back to the form
        with browser.open(f"{base}/accounts/", timeout=10) as response:
            assert urllib.parse.urlparse(response.url).path == "/accounts/"
            page = response.read().decode()
        assert "Harbour Logistics Pte Ltd" in page

        # One account deleted 100 days ago, one yesterday; the default retention is 90 days.
        manage("shell", "--no-imports", "-c", BACKDATE, env=env)
        task_id = run([BIN / "celery", "-A", "secondcrm", "call", PURGE], env).strip()
        assert re.fullmatch(r"[0-9a-f-]{36}", task_id), task_id
        # The worker logs the task's return value: the number of records purged.
        succeeded = re.compile(rf"{re.escape(PURGE)}\[{task_id}\] succeeded in [0-9.e-]+s: (\d+)")
        outcome = wait_until(
            lambda: succeeded.search(worker_log.read_text()), 60, "the worker did not run the task", [worker_log]
        )
        assert outcome[1] == "1"
        in_bin = json.loads(manage("shell", "--no-imports", "-c", BIN_CONTENTS, env=env))
        assert in_bin == {"Orchid Health Clinics": True, "Harbour Logistics Pte Ltd": False}

        # An import goes through the same broker: the worker previews it, then runs it.
        job = manage("shell", "--no-imports", "-c", IMPORT_START, env=env).strip()

        def import_status(run: bool) -> dict:
            return json.loads(manage("shell", "--no-imports", "-c", IMPORT_STEP.format(pk=job, run=run), env=env))

        wait_until(lambda: import_status(False)["status"] == "ready", 60, "the import was not previewed", [worker_log])
        import_status(True)
        done = wait_until(
            lambda: (status := import_status(False))["status"] == "done" and status, 60, "not imported", [worker_log]
        )
        assert done["created"] == 2, done

        for process in processes:
            assert process.poll() is None, f"{process.args[0]} exited early"
    finally:
        for process in processes:
            stop(process)
