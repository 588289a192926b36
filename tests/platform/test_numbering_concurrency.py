"""Record numbers stay unique and gapless when several processes create records at once, and the admin's
prefix and next number (Settings > Record Numbering) apply to the next record without ever reusing a number.

The concurrency test needs committed rows that other processes can see, so it runs as a transactional test
(its data is flushed afterwards and the migrations' rows restored). Each worker is a separate Python process
on the same test database, started first and released together, so their creates really overlap."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Account
from secondcrm.records.models import ModuleNumbering
from tests.factories import AccountFactory

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
PER_WORKER = 50

# What each worker runs: set up Django, say it is ready, wait for the go, create its accounts, print numbers.
WORKER = """
import sys

import django

django.setup()
from django.db import connection

from accounts.models import Account
from secondcrm.access.models import User

owner = User.objects.get(pk=int(sys.argv[1]))
connection.ensure_connection()
print("ready", flush=True)
sys.stdin.readline()
numbers = [
    Account.objects.create(account_name=f"Worker {sys.argv[2]} account {n}", assigned_user=owner).number
    for n in range(int(sys.argv[3]))
]
print(" ".join(numbers), flush=True)
"""


def worker_database_url() -> str:
    """The URL of the test database this process uses, for the workers' settings."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_creates_from_several_processes_get_distinct_gapless_numbers(staff):
    assert not ModuleNumbering.objects.filter(module="accounts").exists()  # the workers race to create it too
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": worker_database_url()}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(staff.pk), str(n), str(PER_WORKER)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        for worker in workers:  # release them together
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outputs = [worker.communicate(timeout=120) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    for worker, (_, errors) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, errors
    per_worker = [out.split() for out, _ in outputs]

    numbers = [number for numbers in per_worker for number in numbers]
    expected = {f"ACC{n}" for n in range(1, WORKERS * PER_WORKER + 1)}
    assert len(numbers) == len(set(numbers)) == WORKERS * PER_WORKER
    assert set(numbers) == expected  # no gaps relative to the sequence
    assert set(Account.objects.values_list("number", flat=True)) == expected
    assert ModuleNumbering.objects.get(module="accounts").next_number == WORKERS * PER_WORKER + 1
    # The creates overlapped: some worker's numbers are not one unbroken run, or the test proved nothing.
    runs = [sorted(int(number[3:]) for number in numbers) for numbers in per_worker]
    assert any(run[-1] - run[0] >= len(run) for run in runs)


@pytest.mark.django_db
def test_a_new_prefix_and_next_number_apply_to_the_next_record(client_as, admin, staff):
    assert AccountFactory(assigned_user=staff).number == "ACC1"
    response = client_as(admin).post(
        reverse("settings_admin:numbering"),
        {"module": "accounts", "accounts-prefix": "ORG-", "accounts-next_number": "1000"},
    )
    assert response.status_code == 302
    assert [AccountFactory(assigned_user=staff).number for _ in range(2)] == ["ORG-1000", "ORG-1001"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "next_number", "error"),
    [
        ("ACC", "3", "ACC5 is already used by a record; choose a number above 5"),  # ACC3, ACC4 free; ACC5 not
        ("ACC", "5", "ACC5 is already used by a record"),
        ("ACC", "1", "ACC5 is already used by a record"),
    ],
)
def test_a_next_number_that_would_reach_a_number_in_use_is_refused(client_as, admin, staff, prefix, next_number, error):
    for _ in range(5):
        AccountFactory(assigned_user=staff)
    Account.objects.filter(number__in=["ACC3", "ACC4"]).delete()  # purged: their numbers are free again
    response = client_as(admin).post(
        reverse("settings_admin:numbering"),
        {"module": "accounts", "accounts-prefix": prefix, "accounts-next_number": next_number},
    )
    assert response.status_code == 422
    assert error in response.text
    assert ModuleNumbering.objects.get(module="accounts").next_number == 6
    assert AccountFactory(assigned_user=staff).number == "ACC6"


@pytest.mark.django_db
def test_a_next_number_above_every_number_in_use_is_accepted(client_as, admin, staff):
    for _ in range(5):
        AccountFactory(assigned_user=staff)
    AccountFactory(assigned_user=staff, number="ACC-LEGACY-9")  # not "ACC" + digits: no number of the sequence
    client = client_as(admin)
    url = reverse("settings_admin:numbering")
    response = client.post(url, {"module": "accounts", "accounts-prefix": "ACC", "accounts-next_number": "6"})
    assert response.status_code == 302
    # Another prefix starts wherever its own numbers allow.
    response = client.post(url, {"module": "accounts", "accounts-prefix": "AC", "accounts-next_number": "1"})
    assert response.status_code == 302
    assert AccountFactory(assigned_user=staff).number == "AC1"
