"""Benchmarks of the record pages (run by `make bench`, never by `make test`): median time and query count
of the Accounts list, a filtered list, and an account's detail view, on 20,000 accounts with contacts."""

import statistics
import time

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import Account, Contact
from secondcrm.records.models import ModuleNumbering

ACCOUNTS = 20_000
RUNS = 15

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


def measure(client, url: str) -> tuple[float, int]:
    client.get(url)  # warm caches
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    return statistics.median(timings) * 1000, len(queries)


# As in production: each role's access policy comes from the cache (Redis), not from eight queries a page.
@override_settings(ACCESS_POLICY_CACHE="default")
def test_record_pages(client_as, staff, many_accounts):
    client = client_as(staff)
    account = many_accounts[0]
    rows = []
    for label, url in (
        ("list, first page", "/accounts/"),
        ("list, page 500, sorted by phone", "/accounts/?sort=-phone&page=500"),
        ("list, search in name", "/accounts/?search_value=Account+0199&search_in=account_name"),
        ("list, letter B", "/accounts/?letter=B"),
        ("detail with 40 related contacts", account.get_absolute_url()),
        ("edit form", f"/accounts/{account.pk}/edit/"),
    ):
        median_ms, queries = measure(client, url)
        rows.append((label, median_ms, queries))
    print(f"\nRecord pages, {ACCOUNTS:,} accounts, median of {RUNS} runs (PostgreSQL, test client):")
    for label, median_ms, queries in rows:
        print(f"  {label:<36} {median_ms:8.1f} ms  {queries:3d} queries")
