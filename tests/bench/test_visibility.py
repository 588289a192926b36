"""Benchmark of record visibility at scale (run by `make bench`, never by `make test`): the Accounts list of the
generated world (200,000 accounts at scale 1) owned by the 50 users of ``generate_data``'s role tree, for a Staff
user under Private sharing (the ``visible_to`` condition does the work) and for an admin (no condition), first
page, sorted and searched, each next to the same rows read by raw SQL.

Owners take the accounts in turn and names do not follow owners, so one user's accounts are spread over the whole
table and every sort order, as in a CRM filled over years. When a Staff page is slower than ``BUDGET_MS``, the
bench prints EXPLAIN ANALYZE of its slowest query."""

import pytest

from accounts.models import Account

from .results import Figure, explain_captured, list_sql, page_timing, sql_timing

BUDGET_MS = 100
SEARCHED = "Meridian Logistics"

pytestmark = pytest.mark.django_db


def test_visibility_of_accounts(client_as, bench_world, bench_results):
    staff = bench_world.staff
    accounts = bench_world.volumes.accounts
    visible = Account.objects.visible_to(staff).count()
    assert visible == accounts * 5 // 50  # their own and four Junior Staff users' accounts, none of their peers'
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
    print(f"\nAccounts list on {accounts:,} accounts (Staff sees {visible:,} under Private):")
    over_budget = []
    for who, user, owners in (("staff", staff, bench_world.staff_owners), ("admin", bench_world.admin, None)):
        client = client_as(user)
        for label, url, (order, where, params) in pages:
            figure = bench_results.add(
                Figure(
                    bench=f"visibility, {accounts:,} accounts",
                    case=f"{who}, {label}",
                    timing=page_timing(client, url),
                    raw=sql_timing(*list_sql(Account, owners, order, where, params)),
                )
            )
            if who == "staff" and figure.timing.median_ms > BUDGET_MS:
                over_budget.append(figure)
    for figure in over_budget:
        print(f"\nOver {BUDGET_MS} ms: {figure.case}; its slowest query:\n{figure.timing.slowest_sql}")
        print(explain_captured(figure.timing.slowest_sql))
