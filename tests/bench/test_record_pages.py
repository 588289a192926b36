"""Benchmarks of the record pages (run by `make bench`, never by `make test`): median and p95 time and query
count of the Accounts list (a deep page sorted, searched, by letter), an account's detail view with its contacts,
and its edit form, for a Staff user of the generated world under Private sharing (20,000 of its 200,000 accounts at
scale 1), each next to the same rows read by raw SQL."""

import pytest
from django.db.models import Count

from accounts.models import Account

from .results import Figure, list_sql, page_timing, sql_timing

pytestmark = pytest.mark.django_db


def detail_sql(account_id: int) -> list:
    return [
        ("SELECT * FROM accounts_account WHERE id = %s", [account_id]),
        (
            "SELECT * FROM accounts_contact WHERE account_id = %s AND deleted_at IS NULL ORDER BY last_name LIMIT 100",
            [account_id],
        ),
    ]


def test_record_pages(client_as, bench_world, bench_results):
    staff, owners = bench_world.staff, bench_world.staff_owners
    client = client_as(staff)
    visible = Account.objects.visible_to(staff)
    account = visible.annotate(contact_count=Count("contacts")).order_by("-contact_count", "pk").first()
    deep = max(1, visible.count() // 20 // 2)  # a page in the middle of the list

    def page(order: str, where: str = "", params=(), offset: int = 0):
        return list_sql(Account, owners, order, where, params, offset)

    cases = (
        ("list, first page", "/accounts/", page("account_name")),
        (
            f"list, page {deep}, sorted by phone",
            f"/accounts/?sort=-phone&page={deep}",
            page("phone DESC", offset=(deep - 1) * 20),
        ),
        (
            "list, search in name",
            "/accounts/?search_value=Pacific&search_in=account_name",
            page("account_name", "AND UPPER(account_name::text) LIKE UPPER(%s)", ["%Pacific%"]),
        ),
        (
            "list, letter B",
            "/accounts/?letter=B",
            page(
                "account_name",
                "AND UPPER(account_name::text) LIKE UPPER(%s) AND account_name >= LEAST(%s, %s)",
                ["B%", "B", "b"],
            ),
        ),
        (f"detail with {account.contact_count} related contacts", account.get_absolute_url(), detail_sql(account.pk)),
        ("edit form", f"/accounts/{account.pk}/edit/", detail_sql(account.pk)[:1]),
    )
    accounts = bench_world.volumes.accounts
    print(f"\nRecord pages, {accounts:,} accounts (Staff sees {visible.count():,}):")
    for case, url, raw in cases:
        bench_results.add(
            Figure(f"Accounts pages, {accounts:,} rows", case, page_timing(client, url), sql_timing(*raw))
        )
