"""Deployment: docker-compose.yml, the Dockerfile and its helpers, and ``manage.py check --deploy``.

There is no Docker engine on the development machines, so the compose file and the Dockerfile are read
as data, and what they rely on is run for real here: the settings under the compose environment, the
entrypoint, the image's collectstatic step.
"""

import ast
import json
import os
import re
import secrets
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = ("web", "worker", "beat")
# What an operator puts in .env: the values docker-compose.yml refuses to start without.
OPERATOR_ENV = {
    "POSTGRES_PASSWORD": "a-database-password",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "crm.example.com",
}
INTERPOLATION = re.compile(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def settings_variables() -> set[str]:
    """Every environment variable secondcrm/settings.py reads, found in its source."""
    readers = {"env_str", "env_bool", "env_int", "env_list", "getenv", "get"}
    tree = ast.parse((ROOT / "secondcrm" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        # ``get`` counts only as ``os.environ.get``, not as any dict's get.
        if name == "get" and not (isinstance(func.value, ast.Attribute) and func.value.attr == "environ"):
            continue
        if name in readers:
            names.add(node.args[0].value)
    return names


def interpolate(value: str, operator_env: dict[str, str]) -> str:
    """docker compose's ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}`` and ``$$``."""

    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        current = operator_env.get(name)
        # With a colon, an empty value counts as unset, as in compose.
        missing = not current if op in (":-", ":?") else current is None
        if op and op.endswith("?") and missing:
            raise LookupError(f"compose would refuse to start: {name}: {arg}")
        if op and op.endswith("-") and missing:
            return arg
        return current or ""

    return INTERPOLATION.sub(replace, value)


def compose_environment(service: str, operator_env: dict[str, str] = OPERATOR_ENV) -> dict[str, str]:
    environment = COMPOSE["services"][service]["environment"]
    return {key: interpolate(str(value), operator_env) for key, value in environment.items()}


def clean_env() -> dict[str, str]:
    """This process's environment without anything the settings read (tests/settings.py set some) and
    without tests/conftest.py's DJANGO_ALLOW_ASYNC_UNSAFE, which ``check --deploy`` rightly rejects."""
    dropped = settings_variables() | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {key: value for key, value in os.environ.items() if key not in dropped}


def run_python(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def production_env(**extra: str) -> dict[str, str]:
    return {**clean_env(), "DJANGO_SETTINGS_MODULE": "secondcrm.settings", **extra}


# --- docker-compose.yml ----------------------------------------------------------------------------------


def test_compose_runs_web_worker_beat_db_and_redis():
    services = COMPOSE["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    # The three app processes run one image, built from this repository's Dockerfile.
    assert {services[name]["build"] for name in APP_SERVICES} == {"."}
    assert len({services[name]["image"] for name in APP_SERVICES}) == 1

    web = services["web"]["command"]
    assert web[:2] == ["gunicorn", "secondcrm.wsgi"]
    assert web[web.index("--bind") + 1] == "0.0.0.0:8000"
    assert any(port.endswith(":8000") for port in services["web"]["ports"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "secondcrm", "worker"]
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "secondcrm", "beat"]
    assert beat[beat.index("--scheduler") + 1] == "django_celery_beat.schedulers:DatabaseScheduler"

    # web alone migrates (through the entrypoint) and the others wait until it is healthy, so no process
    # runs on a schema older than its code and no two processes migrate at once.
    assert compose_environment("web")["MIGRATE_ON_START"] == "1"
    for name in ("worker", "beat"):
        assert "MIGRATE_ON_START" not in compose_environment(name)
        assert services[name]["depends_on"]["web"] == {"condition": "service_healthy"}
    assert services["web"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }


def test_compose_healthchecks_probe_each_service():
    services = COMPOSE["services"]
    web = services["web"]["healthcheck"]["test"]
    assert web == ["CMD", "python", "/app/docker/healthcheck.py", "8000"]
    assert (ROOT / "docker" / "healthcheck.py").is_file()  # the image holds the repository at /app
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])


def test_compose_gives_every_app_service_every_variable_the_settings_read():
    variables = settings_variables()
    # The scan itself must see the settings' variables, or an empty set would pass below.
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"} <= variables
    assert {"EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "DEFAULT_FROM_EMAIL"} <= variables
    for service in APP_SERVICES:
        missing = variables - set(compose_environment(service))
        assert not missing, f"{service} lacks {sorted(missing)}"
    web = compose_environment("web")
    assert web["DATABASE_URL"] == "postgres://secondcrm:a-database-password@db:5432/secondcrm"
    assert web["REDIS_URL"].startswith("redis://redis:6379/")
    assert web["SECRET_KEY"] == OPERATOR_ENV["SECRET_KEY"]


def test_compose_refuses_to_start_without_the_secrets():
    for required in ("POSTGRES_PASSWORD", "SECRET_KEY", "ALLOWED_HOSTS"):
        without = {key: value for key, value in OPERATOR_ENV.items() if key != required}
        with pytest.raises(LookupError, match=required):
            compose_environment("web", without)
    with pytest.raises(LookupError, match="POSTGRES_PASSWORD"):
        interpolate(COMPOSE["services"]["db"]["environment"]["POSTGRES_PASSWORD"], {})


def test_compose_environment_passes_check_deploy():
    result = run_python(["manage.py", "check", "--deploy"], production_env(**compose_environment("web")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


DUMP_SETTINGS = """
import json
from django.conf import settings
values = {name: repr(getattr(settings, name)) for name in dir(settings) if name.isupper()}
print(json.dumps({name: value for name, value in values.items() if " at 0x" not in value}))
"""


def test_compose_defaults_are_the_settings_defaults():
    """Each ``${VAR:-default}`` yields what the settings do when VAR is unset (an empty TIME_ZONE would not)."""
    raw = COMPOSE["services"]["web"]["environment"]
    defaulted = {key for key, value in raw.items() if str(value).startswith(f"${{{key}:-")}
    assert {"TIME_ZONE", "EMAIL_HOST", "LOG_LEVEL", "SECURE_SSL_REDIRECT"} <= defaulted
    full = compose_environment("web")
    unset = {key: value for key, value in full.items() if key not in defaulted}

    dumps = []
    for environment in (full, unset):
        result = run_python(["-c", DUMP_SETTINGS], production_env(**environment))
        assert result.returncode == 0, result.stderr
        dumps.append(json.loads(result.stdout))
    with_compose, with_settings = dumps
    assert with_compose["TIME_ZONE"] == "'Asia/Singapore'"
    differing = {
        name for name in with_compose.keys() | with_settings.keys() if with_compose.get(name) != with_settings.get(name)
    }
    assert not differing, {name: (with_compose.get(name), with_settings.get(name)) for name in differing}


# --- check --deploy ------------------------------------------------------------------------------------------


def test_check_deploy_is_clean():
    env = production_env(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/secondcrm",
        REDIS_URL="redis://127.0.0.1:6379/0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="crm.example.com",
    )
    result = run_python(["manage.py", "check", "--deploy"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_check_deploy_still_reports_a_weak_secret_key():
    """The silenced HSTS-preload warning is the only one: a real problem still shows."""
    env = production_env(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/secondcrm",
        REDIS_URL="redis://127.0.0.1:6379/0",
        SECRET_KEY="short",
        ALLOWED_HOSTS="crm.example.com",
    )
    result = run_python(["manage.py", "check", "--deploy"], env)
    assert "security.W009" in result.stdout + result.stderr
    assert "no issues" not in result.stdout + result.stderr


# --- The image -----------------------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    lines = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [tuple(line.strip().split(None, 1)) for line in joined.splitlines() if line.strip()]


def test_dockerfile_builds_a_non_root_gunicorn_image_from_pyproject_and_npm():
    instructions = dockerfile_instructions()
    stages = [args for op, args in instructions if op == "FROM"]
    assert stages[-1] == "python:3.11-slim"
    assert any(args.startswith("node:") and args.endswith(" AS assets") for args in stages)
    runs = [args for op, args in instructions if op == "RUN"]
    assert any("npm ci" in run for run in runs)
    assert "pip install ." in runs
    assert ("COPY", "--from=assets /build/node_modules ./node_modules") in instructions

    users = [args for op, args in instructions if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    entrypoint = json.loads(next(args for op, args in instructions if op == "ENTRYPOINT"))
    assert entrypoint == ["/app/docker/entrypoint.sh"]
    assert os.access(ROOT / "docker" / "entrypoint.sh", os.X_OK)
    command = json.loads([args for op, args in instructions if op == "CMD"][-1])
    assert command == COMPOSE["services"]["web"]["command"]

    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", "node_modules", "var", ".git"} <= set(ignored)


COLLECT = """
import sys
from django.conf import settings
settings.STATIC_ROOT = sys.argv[1]
import django
django.setup()
from django.core.management import call_command
call_command("collectstatic", "--noinput", verbosity=0)
"""
RESOLVE = """
import json, sys
from django.conf import settings
settings.STATIC_ROOT = sys.argv[1]
import django
django.setup()
from django.contrib.staticfiles.storage import staticfiles_storage
print(json.dumps({name: staticfiles_storage.url(name) for name in sys.argv[2:]}))
"""


def test_image_collectstatic_step_builds_the_manifest_web_reads(tmp_path):
    """The build step, with the Dockerfile's own build-time values, writes hashed files and a manifest
    that resolves every ``{% static %}`` the templates use under the run-time (compose) environment."""
    collect = next(args for op, args in dockerfile_instructions() if op == "RUN" and "collectstatic" in args)
    words = shlex.split(collect)
    build_env = dict(word.split("=", 1) for word in words if re.match(r"^[A-Z_]+=", word))
    assert words[len(build_env) : len(build_env) + 3] == ["python", "manage.py", "collectstatic"]
    assert "DATABASE_URL" in build_env  # without it the settings would pick the embedded, unhashed storage

    result = run_python(["-c", COLLECT, str(tmp_path)], production_env(**build_env))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").is_file()

    template_files = [
        path
        for path in ROOT.rglob("templates/**/*.html")
        if not {"node_modules", ".venv"} & set(path.relative_to(ROOT).parts)
    ]
    names = sorted(
        {name for path in template_files for name in re.findall(r"{% static ['\"]([^'\"]+)['\"] %}", path.read_text())}
    )
    assert "vendor/htmx/htmx.min.js" in names

    result = run_python(["-c", RESOLVE, str(tmp_path), *names], production_env(**compose_environment("web")))
    assert result.returncode == 0, result.stderr
    for name, url in json.loads(result.stdout).items():
        hashed = url.removeprefix("/static/")
        assert hashed != name, f"{name} was not hashed"
        assert (tmp_path / hashed).is_file(), f"{name}: {hashed} missing"


def test_entrypoint_migrates_only_when_asked(tmp_path):
    env = {
        **clean_env(),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "SECONDCRM_VAR_DIR": str(tmp_path),
    }
    database = tmp_path / "secondcrm.sqlite3"
    entrypoint = str(ROOT / "docker" / "entrypoint.sh")
    command = ["python", "-c", "print('command ran')"]

    # Run from elsewhere: the entrypoint must find manage.py by its own location, as in the image.
    plain = subprocess.run([entrypoint, *command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.strip() == "command ran"
    assert not database.exists()

    env["MIGRATE_ON_START"] = "1"
    migrating = subprocess.run(
        [entrypoint, *command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert migrating.returncode == 0, migrating.stderr
    assert migrating.stdout.rstrip().endswith("command ran")
    with sqlite3.connect(database) as connection:
        applied = {app for (app,) in connection.execute("SELECT DISTINCT app FROM django_migrations")}
    assert {"access", "records", "accounts", "django_celery_beat"} <= applied

    # exec: the command's exit status is the container's.
    failing = subprocess.run(
        [entrypoint, "sh", "-c", "exit 3"], cwd=tmp_path, env=env, capture_output=True, timeout=120
    )
    assert failing.returncode == 3
