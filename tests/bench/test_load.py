"""Load test (run by `make bench`, never by `make test`): 50 users of the generated team browse at once through
gunicorn on PostgreSQL and Redis, with the production settings: list pages of every module (plain, sorted,
searched), detail views of records they may see, global search and quick search. wrk drives it (50
connections, each request as one of the 50 users, chosen at random), and reports requests per second, latency
percentiles and errors.

Next to it, the physical limit: gunicorn answering a request that reads no record and renders no template (an
unknown session's redirect to the sign-in page), measured the same way. In the results table the p95 column of
this line holds wrk's 99th percentile (wrk reports 50, 75, 90 and 99)."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from secondcrm.records.registry import registry

from .results import Figure, Timing

# Not a transactional test: that would empty every table at its end, the generated world included.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
USERS = 50
CONNECTIONS = 50
DURATION_S = int(os.environ.get("LOAD_SECONDS", "30"))
# Two cores: gunicorn's rule of thumb (2 x cores + 1) would starve PostgreSQL, which serves every request too.
WORKERS = 4
RECORDS_PER_USER = 20
SEARCH_TERMS = ("Tan", "Holdings", "Marine", "Lim", "Singapore", "gmail")

LUA = """
local paths = %(paths)s
local cookies = %(cookies)s
math.randomseed(%(seed)d)
request = function()
  local user = math.random(#cookies)
  local mine = paths[user]
  return wrk.format("GET", mine[math.random(#mine)], {["Cookie"] = "sessionid=" .. cookies[user]})
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("gunicorn did not start")


def production_env() -> dict[str, str]:
    """The production settings on the test run's database (its rows are committed) over plain http."""
    database = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "secondcrm.settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "DB_CONN_MAX_AGE": "60",
    }


@pytest.fixture
def gunicorn():
    env = production_env()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    port = _free_port()
    process = subprocess.Popen(
        [
            Path(sys.executable).parent / "gunicorn",
            "secondcrm.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def browsing_paths(user) -> list[str]:
    """What one user clicks through: every module's list (plain, sorted, a letter, searched), detail views of
    records they may see, and searches."""
    paths = []
    for module in registry:
        base = f"/{module.name}/"
        paths += [base, f"{base}?sort=-{module.title_field}", f"{base}?page=3", f"{base}?letter=B"]
        ids = module.model.objects.visible_to(user, "view").values_list("pk", flat=True)[:RECORDS_PER_USER]
        paths += [f"{base}{pk}/" for pk in ids]
    for term in SEARCH_TERMS:
        paths += [f"/search/?q={term}", f"/search/?q={term}&quick=1"]
    return paths


def signed_in_session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def run_wrk(url: str, script: str) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "--timeout", "10s", "--latency"]
        return subprocess.run([*command, "-s", lua.name, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(lua.name)


def parse_wrk(output: str) -> dict:
    """Requests per second, latency percentiles (ms) and errors from wrk's report."""

    def millis(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    percentiles = {int(p): millis(v) for p, v in re.findall(r"^\s+(\d+)%\s+(\S+)\s*$", output, re.MULTILINE)}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50": percentiles[50],
        "p99": percentiles[99],
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
    }


@pytest.fixture(scope="module")
def browsing(bench_world, django_db_blocker):
    """The wrk script of 50 users' browsing, their sessions committed (gunicorn, another process, must see them)
    outside the test's transaction, and removed afterwards."""
    users = bench_world.users[:USERS]
    with django_db_blocker.unblock():
        sessions = [signed_in_session(user) for user in users]
        script = LUA % {"paths": _lua([browsing_paths(user) for user in users]), "cookies": _lua(sessions), "seed": 7}
    yield script, len(users)
    with django_db_blocker.unblock():
        Session.objects.filter(session_key__in=sessions).delete()


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is installed by `make bench`")
def test_mixed_browsing_by_50_users(browsing, gunicorn, bench_results):
    script, users = browsing
    _measure(gunicorn, script, users, bench_results)


def _measure(gunicorn: str, script: str, users: int, bench_results) -> None:
    """wrk's figures for ``script`` against ``gunicorn``, next to those of a redirect (the physical limit)."""
    print(f"\nLoad test: {users} users, {CONNECTIONS} connections, {DURATION_S} s, gunicorn x{WORKERS}")
    browsing = parse_wrk(run_wrk(gunicorn, script))
    limit = parse_wrk(run_wrk(gunicorn, LUA % {"paths": _lua([["/"]]), "cookies": _lua(["none"]), "seed": 7}))
    note = (
        f"{browsing['rps']:.0f} req/s ({browsing['requests']:,} requests, {browsing['errors']} errors); "
        f"limit: {limit['rps']:.0f} req/s for a redirect"
    )
    bench_results.add(
        Figure(
            "Load test, wrk, 50 users",
            "mixed browsing (p50; p99 in the p95 column)",
            Timing(browsing["p50"], browsing["p99"]),
            Timing(limit["p50"], limit["p99"]),
            note,
        )
    )
    assert browsing["requests"] > 0


def _lua(value) -> str:
    """A Python list of strings (or of lists of strings) as a Lua table."""
    if isinstance(value, list):
        return "{" + ", ".join(_lua(item) for item in value) + "}"
    return json.dumps(value)
