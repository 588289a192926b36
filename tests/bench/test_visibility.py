"""Benchmark of record visibility at scale (run by `make bench`, never by `make test`): the Accounts list on
1,000,000 accounts owned by 50 users across a role tree, for a Staff user under Private sharing (the
``visible_to`` condition does the work) and for an admin (no condition), first page, sorted and searched.

The rows are committed and vacuumed, as a production table would be: a transaction that is rolled back
could not VACUUM, and without the visibility map PostgreSQL plans and counts differently. So the world is
built by a module fixture outside the test's transaction and removed again at its end. Owners take the rows
in turn and names do not follow owners, so one user's accounts are spread over the whole table and every
sort order, as in a CRM filled over years. When a Staff page is slower than ``BUDGET_MS``, the bench prints
EXPLAIN ANALYZE of its slowest query.
"""

import statistics
import time

import pytest
from django.db import connection
from django.db.models import BooleanField, CharField, JSONField, TextField
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import Account
from secondcrm.access.models import Profile, Role, SharingDefault, User
from tests.personas import make_user

ACCOUNTS = 1_000_000
RUNS = 15
BUDGET_MS = 100
BENCH_PREFIX = "VIS"
# Users per role; 50 owners in all. The measured Staff user sees their own accounts and Junior Staff's.
TEAM = {"Management": 2, "Manager": 4, "Staff": 16, "Junior Staff": 4, "Manager East": 4, "Staff East": 20}
NEW_ROLES = {
    "Junior Staff": ("Staff", "staff"),
    "Manager East": ("Management", "manager"),
    "Staff East": ("Manager East", "staff"),
}
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent"]
KINDS = ["Trading", "Holdings", "Logistics", "Foods", "Labs", "Partners", "Systems", "Marine", "Retail", "Energy"]
CITIES = ["Singapore", "Kuala Lumpur", "Jakarta", "Bangkok", "Manila", "Ho Chi Minh City", "Sydney", "Tokyo"]

pytestmark = pytest.mark.django_db


def column_values() -> dict[str, str]:
    """SQL for each column of the generated rows (``i`` is the series number); every other column gets
    NULL, false, {} or '' as its model allows."""
    return {
        "number": f"'{BENCH_PREFIX}' || i",
        # "Globex Marine 123457": 100 name stems, so sorting and searching by name meet realistic duplicates.
        # The stem does not depend on the owner (i %% 50), or one user's accounts would all sort together.
        "account_name": "(%(companies)s::text[])[1 + (i / 50) %% 10] || ' ' || (%(kinds)s::text[])[1 + (i / 500) %% 10]"
        " || ' ' || (1000000 - i)",
        "assigned_user_id": "(%(owners)s::bigint[])[1 + i %% %(owner_count)s]",
        "bill_city": "(%(cities)s::text[])[1 + (i / 7) %% 8]",
        "bill_country": "'Singapore'",
        "phone": "'+65 6' || lpad(((i * 7919) %% 10000000)::text, 7, '0')",
        "website": "'https://account' || i || '.example'",
        "account_type": "'customer'",
        "created_at": "now() - i * interval '1 minute'",
        "modified_at": "now() - i * interval '1 minute'",
    }


def bulk_insert_accounts(given: dict[str, str], params: dict) -> None:
    """One INSERT ... SELECT over generate_series(1, %(count)s): ``given`` holds the SQL of some columns (``i`` is
    the series number); every other column gets NULL, false, {} or '' as its model allows."""
    columns, values = [], []
    for field in Account._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in given:
            values.append(given[field.column])
        elif field.null:
            values.append("NULL")
        elif isinstance(field, BooleanField):
            values.append("false")
        elif isinstance(field, JSONField):
            values.append("'{}'::jsonb")
        elif isinstance(field, CharField | TextField):
            values.append("''")
        else:
            raise AssertionError(f"No bench value for the required column {field.column}")
    sql = (
        f"INSERT INTO {Account._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM generate_series(1::bigint, %(count)s) AS i"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def insert_accounts(owner_ids: list[int]) -> None:
    """One INSERT ... SELECT over generate_series: about a minute for a million rows with their indexes."""
    given = column_values()
    params = {
        "companies": COMPANIES,
        "kinds": KINDS,
        "cities": CITIES,
        "owners": owner_ids,
        "owner_count": len(owner_ids),
        "count": ACCOUNTS,
    }
    bulk_insert_accounts(given, params)


@pytest.fixture(scope="module")
def million_accounts(django_db_setup, django_db_blocker):
    """Roles, 50 owners, an admin and a million accounts, committed and vacuumed; removed afterwards."""
    created_roles: list[Role] = []
    with django_db_blocker.unblock():
        assert not Account.all_objects.exists(), "the bench needs an empty Accounts table"
        try:
            roles = {role.name: role for role in Role.objects.all()}
            for name, (parent, preset) in NEW_ROLES.items():
                roles[name] = Role.objects.create(name=name, parent=roles[parent])
                roles[name].profiles.add(Profile.objects.get(preset=preset))
                created_roles.append(roles[name])
            owners = [
                make_user(f"bench_{role.lower().replace(' ', '_')}_{n:02d}", roles[role])
                for role, count in TEAM.items()
                for n in range(1, count + 1)
            ]
            admin = make_user("bench_admin", roles["Management"], is_superuser=True, is_staff=True)
            started = time.perf_counter()
            insert_accounts([user.pk for user in owners])
            inserted = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {Account._meta.db_table}")
            print(
                f"\nInserted {ACCOUNTS:,} accounts in {inserted - started:.1f} s,"
                f" vacuumed and analyzed in {time.perf_counter() - inserted:.1f} s"
            )
            staff = User.objects.get(username="bench_staff_01")
        except BaseException:
            remove_bench_world(created_roles)
            raise
    yield {"staff": staff, "admin": admin}
    with django_db_blocker.unblock():
        remove_bench_world(created_roles)


def remove_bench_world(created_roles: list[Role]) -> None:
    """Leave the database as the bench found it, for the benches that run after this one."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Account._meta.db_table} WHERE number LIKE %s", [f"{BENCH_PREFIX}%"])
    User.objects.filter(username__startswith="bench_").delete()
    for role in reversed(created_roles):
        role.delete()


def measure(client, url: str) -> dict:
    """Median and p95 of RUNS requests, the query count, and the slowest query of the last run."""
    client.get(url)  # warm caches
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    slowest = max(queries.captured_queries, key=lambda query: float(query["time"]))
    return {
        "median": statistics.median(timings),
        "p95": statistics.quantiles(timings, n=20)[-1],
        "queries": len(queries),
        "slowest_sql": slowest["sql"],
        "slowest_ms": float(slowest["time"]) * 1000,
    }


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


# As in production: each role's access policy comes from the shared cache (the test settings turn it off).
@override_settings(ACCESS_POLICY_CACHE="default")
def test_visibility_on_a_million_accounts(client_as, million_accounts):
    SharingDefault.objects.update_or_create(module="accounts", defaults={"access": SharingDefault.Access.PRIVATE})
    staff = million_accounts["staff"]
    visible = Account.objects.visible_to(staff).count()
    assert visible == ACCOUNTS * 5 // 50  # their own and four Junior Staff users' accounts, none of their peers'
    pages = (
        ("list, first page", "/accounts/"),
        ("list, sorted by city, descending", "/accounts/?sort=-bill_city"),
        ("list, search in name", "/accounts/?search_value=Globex+Marine+99&search_in=account_name"),
    )
    rows = []
    for who in ("staff", "admin"):
        client = client_as(million_accounts[who])
        for label, url in pages:
            rows.append((who, label, measure(client, url)))

    print(f"\nAccounts list on {ACCOUNTS:,} accounts (Staff sees {visible:,} under Private), {RUNS} runs:")
    print(f"  {'user':<6} {'page':<34} {'median':>9} {'p95':>9} {'queries':>8} {'slowest query':>14}")
    for who, label, figures in rows:
        print(
            f"  {who:<6} {label:<34} {figures['median']:6.1f} ms {figures['p95']:6.1f} ms {figures['queries']:8d}"
            f" {figures['slowest_ms']:11.1f} ms"
        )
    for who, label, figures in rows:
        if who == "staff" and figures["median"] > BUDGET_MS:
            print(f"\nOver {BUDGET_MS} ms: staff, {label}; its slowest query:\n{figures['slowest_sql']}")
            print(explain(figures["slowest_sql"]))
