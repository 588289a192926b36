"""A list counts its rows only up to a cap (``CappedPaginator``), since counting every visible row of a million-row
table costs more than the page itself; every page stays reachable. The alphabetical filter, which tells
PostgreSQL where the letter starts in the title's index, still finds titles in either case. A search in the
sorted column sorts its matches apart (``sorting``), in the same order as the plain sort."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Account
from secondcrm.records import sorting
from secondcrm.records.tables import CappedPaginator
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", 40)
    monkeypatch.setattr(CappedPaginator, "PAGES_AHEAD", 1)


def _names(response) -> list[str]:
    return [row.record.account_name for row in response.context["table"].page.object_list]


def test_a_list_counts_up_to_the_cap_and_every_page_stays_reachable(client_as, staff, small_cap):
    for n in range(70):
        AccountFactory(assigned_user=staff, account_name=f"Account {n:02d}")
    client = client_as(staff)

    with CaptureQueriesContext(connection) as queries:
        first = client.get("/accounts/")
    paginator = first.context["table"].paginator
    assert (paginator.count, paginator.num_pages, paginator.more) == (41, 3, True)
    assert any("LIMIT 41" in query["sql"] and "COUNT(*)" in query["sql"] for query in queries.captured_queries)
    assert "page=3" in first.text and "page=4" not in first.text

    # The last counted page counts one page further on: the real last page appears, with the last rows.
    third = client.get("/accounts/?page=3")
    paginator = third.context["table"].paginator
    assert (paginator.count, paginator.num_pages, paginator.more) == (70, 4, False)
    assert "page=4" in third.text
    assert _names(client.get("/accounts/?page=4")) == [f"Account {n}" for n in range(60, 70)]


def test_a_page_past_the_end_shows_the_last_page(client_as, staff, small_cap):
    for n in range(25):
        AccountFactory(assigned_user=staff, account_name=f"Account {n:02d}")
    response = client_as(staff).get("/accounts/?page=99")
    assert _names(response) == [f"Account {n}" for n in range(20, 25)]


def test_the_letter_filter_finds_titles_in_either_case(client_as, staff):
    for name in ("beta", "Bravo", "alpha", "Charlie", "Äbc"):
        AccountFactory(assigned_user=staff, account_name=name)
    response = client_as(staff).get("/accounts/?letter=B")
    assert sorted(_names(response)) == ["Bravo", "beta"]


def _sql_of_page(client, url: str) -> tuple[list[str], str]:
    """The account names a list page shows, and the SQL that read its rows."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    rows_sql = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"] and "accounts_account" in q["sql"]]
    return _names(response), rows_sql[-1]


@pytest.mark.parametrize("sort", ["account_name", "-account_name", "bill_city", "-bill_city"])
def test_a_search_in_the_sorted_column_sorts_its_matches_apart_in_the_same_order(client_as, staff, sort):
    # Both columns hold matches in either case, accented neighbours, duplicates and rows that do not match.
    values = ["Tanfield", "montana", "Stanton", "TANA", "Åtan", "tan", "Tan", "Oslo", "", "Bergen"]
    for n, value in enumerate(values):
        AccountFactory(assigned_user=staff, account_name=f"{values[-1 - n]} {n}", bill_city=value)
    column = sort.removeprefix("-")
    names, sql = _sql_of_page(client_as(staff), f"/accounts/?search_value=tan&search_in={column}&sort={sort}")

    assert "COALESCE" in sql
    plain = Account.objects.filter(**{f"{column}__icontains": "tan"}).order_by(sort, "pk")
    assert names == [account.account_name for account in plain]


def test_a_search_elsewhere_or_with_too_many_matches_walks_the_sort_index(client_as, staff, monkeypatch):
    AccountFactory(assigned_user=staff, account_name="Tanner", bill_city="Tanfield")
    client = client_as(staff)
    in_city = "/accounts/?search_value=tan&search_in=bill_city&sort=account_name"
    assert "COALESCE" not in _sql_of_page(client, in_city)[1]
    assert "COALESCE" in _sql_of_page(client, "/accounts/?search_value=tan&sort=account_name")[1]  # all columns
    monkeypatch.setattr(sorting, "SORT_MATCHES_UP_TO", 0)
    names, sql = _sql_of_page(client, "/accounts/?search_value=tan&sort=account_name")
    assert names == ["Tanner"] and "COALESCE" not in sql
