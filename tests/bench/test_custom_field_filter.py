"""Benchmark of list-view filtering on a custom field (run by `make bench`, never by `make test`): the Accounts
list on 1,000,000 accounts whose custom values hold a Region picklist (20 values) and a VIP checkbox, filtered
on the region, for an admin and for a Staff user under Private sharing.

Custom values live in one JSON column; the filter is a JSON containment (``custom @> '{"cf_region": ...}'``)
so that the GIN index (jsonb_path_ops) on ``custom`` answers it instead of a scan of every row's JSON. The
bench prints the figures and EXPLAIN ANALYZE of the filtered queries, and fails if no filtered query used the
index. As in test_visibility.py, the rows are committed and vacuumed by a module fixture and removed at its end.

Not measured here: sorting the whole unfiltered list by a custom column has no index to follow (ORDER BY
``custom -> 'cf_region'`` sorts every visible row: about 1.5 s for an admin and 0.3 s for a Staff user at a
million rows on the 2-core machine); it would need an expression index per custom field.
"""

import time

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import Account
from secondcrm.access.models import Role, SharingDefault, User
from secondcrm.access.permissions import access_changed
from secondcrm.records.models import CustomField, ListColumns
from tests.bench.test_visibility import (
    CITIES,
    COMPANIES,
    KINDS,
    bulk_insert_accounts,
    column_values,
    explain,
    measure,
)
from tests.personas import make_user

ACCOUNTS = 1_000_000
BENCH_PREFIX = "CFB"
GIN_INDEX = "accounts_account_custom_gin"
BUDGET_MS = 100
REGIONS = [f"Region {n:02d}" for n in range(1, 21)]
# Owners: the measured Staff user sees their own accounts only (1 in 20) under Private sharing.
TEAM = {"Staff": 16, "Manager": 4}
LIST_FIELDS = ("account_name", "bill_city", "website", "phone", "account_type", "assigned_to")

pytestmark = pytest.mark.django_db


def insert_accounts(owner_ids: list[int]) -> None:
    """One INSERT ... SELECT over generate_series, with every account's custom values: a region and a VIP
    flag for one account in ten. Neither follows the owner (``i % 20``) nor the names' order: a VIP flag tied to
    ranges of ``i``, as names are, would leave the first names by order without VIPs, a correlation the planner
    cannot know and real data need not have."""
    given = column_values() | {
        "number": f"'{BENCH_PREFIX}' || i",
        "custom": "jsonb_build_object('cf_region', (%(regions)s::text[])[1 + (i / 20) %% 20],"
        " 'cf_vip', abs(hashint8(i)) %% 10 = 0)",
    }
    params = {
        "companies": COMPANIES,
        "kinds": KINDS,
        "cities": CITIES,
        "regions": REGIONS,
        "owners": owner_ids,
        "owner_count": len(owner_ids),
        "count": ACCOUNTS,
    }
    bulk_insert_accounts(given, params)


@pytest.fixture(scope="module")
def million_custom_accounts(django_db_setup, django_db_blocker):
    """The custom fields, 20 owners, an admin and a million accounts, committed and vacuumed; removed afterwards."""
    with django_db_blocker.unblock():
        assert not Account.all_objects.exists(), "the bench needs an empty Accounts table"
        forget_cached_policies()
        try:
            CustomField.objects.create(
                module="accounts",
                name="cf_region",
                label="Region",
                field_type=CustomField.Type.PICKLIST,
                choices=REGIONS,
            )
            CustomField.objects.create(
                module="accounts", name="cf_vip", label="VIP", field_type=CustomField.Type.CHECKBOX
            )
            roles = {role.name: role for role in Role.objects.all()}
            owners = [
                make_user(f"benchcf_{role.lower()}_{n:02d}", roles[role])
                for role, count in TEAM.items()
                for n in range(1, count + 1)
            ]
            admin = make_user("benchcf_admin", roles["Management"], is_superuser=True, is_staff=True)
            started = time.perf_counter()
            insert_accounts([user.pk for user in owners])
            inserted = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {Account._meta.db_table}")
            print(
                f"\nInserted {ACCOUNTS:,} accounts with custom values in {inserted - started:.1f} s,"
                f" vacuumed and analyzed in {time.perf_counter() - inserted:.1f} s"
            )
            staff = User.objects.get(username="benchcf_staff_01")
            for user in (staff, admin):  # the list shows the Region column too
                ListColumns.objects.create(user=user, module="accounts", columns=[*LIST_FIELDS, "cf_region"])
        except BaseException:
            remove_bench_world()
            raise
    yield {"staff": staff, "admin": admin}
    with django_db_blocker.unblock():
        remove_bench_world()


def remove_bench_world() -> None:
    """Leave the database as the bench found it, for the benches that run after this one."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Account._meta.db_table} WHERE number LIKE %s", [f"{BENCH_PREFIX}%"])
    CustomField.all_objects.filter(module="accounts", name__in=["cf_region", "cf_vip"]).delete()
    User.objects.filter(username__startswith="benchcf_").delete()
    forget_cached_policies()


def forget_cached_policies() -> None:
    """The measured requests keep role policies in the shared cache, as production does, but the benches build
    and remove their users with that cache off (the test settings): so no bench may leave a policy behind for
    the next one, whose role tree differs, nor read one an earlier bench left."""
    with override_settings(ACCESS_POLICY_CACHE="default"):
        access_changed()  # outside a transaction: the cache's generation moves on at once


def filtered_queries(client, url: str) -> list[str]:
    """The SQL of one request's queries that filter on custom values."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries if '"custom" @>' in query["sql"]]


@override_settings(ACCESS_POLICY_CACHE="default")
def test_custom_field_filter_on_a_million_accounts(client_as, million_custom_accounts):
    SharingDefault.objects.update_or_create(module="accounts", defaults={"access": SharingDefault.Access.PRIVATE})
    staff = million_custom_accounts["staff"]
    region = REGIONS[6]
    in_region = Account.objects.filter(custom__contains={"cf_region": region}).count()
    assert abs(in_region - ACCOUNTS // len(REGIONS)) < 10
    staff_sees = Account.objects.visible_to(staff).filter(custom__contains={"cf_region": region}).count()
    assert abs(staff_sees - in_region // 20) < 10  # their own accounts in the region, none of their peers'
    pages = (
        ("filtered on Region", f"/accounts/?cf_region={region}"),
        ("filtered on Region and VIP", f"/accounts/?cf_region={region}&cf_vip=yes"),
        ("filtered on Region, sorted by city", f"/accounts/?cf_region={region}&sort=-bill_city"),
    )
    rows = []
    for who in ("staff", "admin"):
        client = client_as(million_custom_accounts[who])
        for label, url in pages:
            rows.append((who, label, measure(client, url)))

    print(f"\nAccounts list filtered on a custom picklist, {ACCOUNTS:,} accounts ({in_region:,} in {region}):")
    print(f"  {'user':<6} {'page':<36} {'median':>9} {'p95':>9} {'queries':>8} {'slowest query':>14}")
    for who, label, figures in rows:
        print(
            f"  {who:<6} {label:<36} {figures['median']:6.1f} ms {figures['p95']:6.1f} ms {figures['queries']:8d}"
            f" {figures['slowest_ms']:11.1f} ms"
        )

    for who, label, figures in rows:
        if figures["median"] > BUDGET_MS:
            print(f"\nOver {BUDGET_MS} ms: {who}, {label}; its slowest query:\n{figures['slowest_sql']}")
            print(explain(figures["slowest_sql"]))

    plans = []
    for who in ("staff", "admin"):
        for sql in filtered_queries(client_as(million_custom_accounts[who]), pages[0][1]):
            plan = explain(sql)
            plans.append(plan)
            print(f"\nEXPLAIN ANALYZE, {who}, {pages[0][0]}:\n{sql}\n{plan}")
    assert plans, "the filter did not reach the database as JSON containment"
    assert any(GIN_INDEX in plan for plan in plans), f"no filtered query used {GIN_INDEX}"
