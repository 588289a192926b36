"""Benchmarks of the record pages (run by `make bench`, never by `make test`): median and p95 time and query
count of the Accounts list, a filtered list, and an account's detail view, on 20,000 accounts with contacts, each
next to the same rows read by raw SQL."""

import pytest
from django.db import connection
from django.test import override_settings

from accounts.models import Account, Contact
from secondcrm.records.models import ModuleNumbering

from .results import Figure, page_timing, sql_timing

ACCOUNTS = 20_000

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_accounts(staff):
    """Bulk-created rows (numbers assigned by hand, since bulk_create skips save())."""
    accounts = Account.objects.bulk_create(
        Account(
            account_name=f"Bench Account {i:06d}",
            number=f"ACC{i}",
            assigned_user=staff,
            bill_city="Singapore",
            phone="+65 6000 0000",
        )
        for i in range(1, ACCOUNTS + 1)
    )
    Contact.objects.bulk_create(
        Contact(last_name=f"Bench Contact {i:06d}", number=f"CON{i}", account=accounts[i % 50], assigned_user=staff)
        for i in range(1, 2_001)
    )
    ModuleNumbering.objects.update_or_create(module="accounts", defaults={"prefix": "ACC", "next_number": ACCOUNTS + 1})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return accounts


# The raw-SQL counterpart of each page: its rows and its count, read with a cursor.
ACCOUNT_COLUMNS = "id, number, account_name, website, phone, bill_city, assigned_user_id, modified_at"
LIVE_OWNED = "deleted_at IS NULL AND assigned_user_id = %s"


def list_sql(owner_id: int, where: str = "", order: str = "modified_at DESC", offset: int = 0, params=()) -> list:
    condition = f"{LIVE_OWNED} {where}"
    return [
        (
            f"SELECT {ACCOUNT_COLUMNS} FROM accounts_account WHERE {condition} ORDER BY {order} "
            f"LIMIT 20 OFFSET {offset}",
            [owner_id, *params],
        ),
        (f"SELECT count(*) FROM accounts_account WHERE {condition}", [owner_id, *params]),
    ]


def detail_sql(account_id: int) -> list:
    return [
        ("SELECT * FROM accounts_account WHERE id = %s", [account_id]),
        (
            "SELECT * FROM accounts_contact WHERE account_id = %s AND deleted_at IS NULL ORDER BY last_name LIMIT 100",
            [account_id],
        ),
    ]


# As in production: each role's access policy comes from the cache (Redis), not from eight queries a page.
@override_settings(ACCESS_POLICY_CACHE="default")
def test_record_pages(client_as, staff, many_accounts, bench_results):
    client = client_as(staff)
    account = many_accounts[0]
    owner = staff.pk
    cases = (
        ("list, first page", "/accounts/", list_sql(owner)),
        (
            "list, page 500, sorted by phone",
            "/accounts/?sort=-phone&page=500",
            list_sql(owner, order="phone DESC", offset=499 * 20),
        ),
        (
            "list, search in name",
            "/accounts/?search_value=Account+0199&search_in=account_name",
            list_sql(owner, "AND account_name ILIKE %s", params=["%Account 0199%"]),
        ),
        ("list, letter B", "/accounts/?letter=B", list_sql(owner, "AND account_name ILIKE %s", params=["B%"])),
        ("detail with 40 related contacts", account.get_absolute_url(), detail_sql(account.pk)),
        ("edit form", f"/accounts/{account.pk}/edit/", detail_sql(account.pk)[:1]),
    )
    print(f"\nRecord pages, {ACCOUNTS:,} accounts (Staff):")
    for case, url, raw in cases:
        bench_results.add(
            Figure(f"Accounts pages, {ACCOUNTS:,} rows", case, page_timing(client, url), sql_timing(*raw))
        )
