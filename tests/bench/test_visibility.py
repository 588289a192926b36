"""Benchmark of record visibility at scale (run by `make bench`, never by `make test`): the Accounts list on
1,000,000 accounts owned by the 50 users of ``generate_data``'s role tree, for a Staff user under Private sharing
(the ``visible_to`` condition does the work) and for an admin (no condition), first page, sorted and searched,
each next to the same rows read by raw SQL.

The rows are committed and vacuumed, as a production table would be: a transaction that is rolled back
could not VACUUM, and without the visibility map PostgreSQL plans and counts differently. So the world is
built by a module fixture outside the test's transaction and removed again at its end. Owners take the accounts
in turn and names do not follow owners, so one user's accounts are spread over the whole table and every
sort order, as in a CRM filled over years. When a Staff page is slower than ``BUDGET_MS``, the bench prints
EXPLAIN ANALYZE of its slowest query.
"""

import pytest
from django.test import override_settings

from accounts.models import Account
from secondcrm.access.models import Role, SharingDefault, User
from secondcrm.benchdata.generate import Volumes, clear_data, generate_data
from tests.personas import make_user

from .results import Figure, explain, page_timing, sql_timing

ACCOUNTS = 1_000_000
SEED = 1
BUDGET_MS = 100
SEARCHED = "Meridian Logistics"
ACCOUNT_LIST = "SELECT * FROM accounts_account WHERE deleted_at IS NULL"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def million_accounts(django_db_setup, django_db_blocker):
    """The generated team, an admin and a million accounts, committed and vacuumed; removed afterwards. Built with
    the access policy cache on, as the measured requests use it, so that its entries follow."""
    with django_db_blocker.unblock(), override_settings(ACCESS_POLICY_CACHE="default"):
        assert not Account.all_objects.exists(), "the bench needs an empty Accounts table"
        try:
            team = generate_data(Volumes(accounts=ACCOUNTS), seed=SEED)
            admin = make_user("bench_admin", Role.objects.get(name="Management"), is_superuser=True, is_staff=True)
        except BaseException:
            remove_bench_world()
            raise
    staff = team.member("Staff")
    yield {"staff": staff, "admin": admin, "owners": [staff.pk, *(user.pk for user in team.members["Junior Staff"])]}
    with django_db_blocker.unblock(), override_settings(ACCESS_POLICY_CACHE="default"):
        remove_bench_world()


def remove_bench_world() -> None:
    """Leave the database as the bench found it, for the benches that run after this one."""
    clear_data()
    User.objects.filter(username="bench_admin").delete()


def explain_captured(sql: str) -> str:
    """EXPLAIN ANALYZE of a query as the test client captured it, its parameters written in: a % in it is text."""
    return explain(sql.replace("%", "%%"))


def list_sql(owners: list[int] | None, order: str, where: str = "", params=()) -> list:
    """A list page as raw SQL: its 20 rows and its count, among the accounts of ``owners`` (None: all)."""
    condition, arguments = where, list(params)
    if owners is not None:
        condition += " AND assigned_user_id = ANY(%s)"
        arguments.append(owners)
    return [
        (f"{ACCOUNT_LIST} {condition} ORDER BY {order} LIMIT 20", arguments),
        (f"SELECT count(*) FROM accounts_account WHERE deleted_at IS NULL {condition}", arguments),
    ]


# As in production: each role's access policy comes from the shared cache (the test settings turn it off).
@override_settings(ACCESS_POLICY_CACHE="default")
def test_visibility_on_a_million_accounts(client_as, million_accounts, bench_results):
    SharingDefault.objects.update_or_create(module="accounts", defaults={"access": SharingDefault.Access.PRIVATE})
    staff = million_accounts["staff"]
    visible = Account.objects.visible_to(staff).count()
    assert visible == ACCOUNTS * 5 // 50  # their own and four Junior Staff users' accounts, none of their peers'
    searched = ("AND UPPER(account_name::text) LIKE UPPER(%s)", [f"%{SEARCHED}%"])
    pages = (
        ("list, first page", "/accounts/", ("account_name", "", ())),
        ("list, sorted by city, descending", "/accounts/?sort=-bill_city", ("bill_city DESC", "", ())),
        (
            "list, search in name",
            f"/accounts/?search_value={SEARCHED.replace(' ', '+')}&search_in=account_name",
            ("account_name", *searched),
        ),
    )
    print(f"\nAccounts list on {ACCOUNTS:,} accounts (Staff sees {visible:,} under Private):")
    over_budget = []
    for who, owners in (("staff", million_accounts["owners"]), ("admin", None)):
        client = client_as(million_accounts[who])
        for label, url, (order, where, params) in pages:
            figure = bench_results.add(
                Figure(
                    bench="visibility, 1M accounts",
                    case=f"{who}, {label}",
                    timing=page_timing(client, url),
                    raw=sql_timing(*list_sql(owners, order, where, params)),
                )
            )
            if who == "staff" and figure.timing.median_ms > BUDGET_MS:
                over_budget.append(figure)
    for figure in over_budget:
        print(f"\nOver {BUDGET_MS} ms: {figure.case}; its slowest query:\n{figure.timing.slowest_sql}")
        print(explain_captured(figure.timing.slowest_sql))
