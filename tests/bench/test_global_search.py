"""Benchmark of global search at scale (run by `make bench`, never by `make test`): the search page and the quick
search over the generated world's records across modules (at scale 1: 1,000,000 leads, 200,000 accounts, 500,000
contacts and 300,000 potentials, with their comments and history), for a Staff user under Private sharing
(who sees a tenth of them) and an admin (who sees all), searching for a surname, a company name, part of an email
address, a record number, a rare text, a two-letter text and a text nothing contains. Leads have a custom text
field, which the search looks into too.

Each figure stands next to the same work done by raw SQL, the physical limit: per module, the ids of the first
1,001 matches (the count, capped), then the first rows of them by modified time, the same statements the ORM
sends without the ORM, the access policy, the layout or the templates. A case slower than ``BUDGET_MS`` prints
EXPLAIN ANALYZE of its slowest query.
"""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from leads.models import Lead
from secondcrm.records.search import COUNT_LIMIT, searchable_modules
from secondcrm.records.views.search import PER_MODULE, QUICK_LIMIT

from .results import Figure, explain_captured, page_timing, sql_timing

BUDGET_MS = 100
CUSTOM = "cf_reference"  # the Leads custom text field of the world (conftest.CUSTOM_FIELDS)
URL = reverse("records:search")

pytestmark = pytest.mark.django_db


@pytest.fixture
def searched(bench_world):
    """A lead of the Staff user, and the texts searched for."""
    lead = Lead.objects.filter(assigned_user=bench_world.staff).order_by("pk").first()
    texts = (
        ("a surname", "Nguyen"),
        ("a company name", "Meridian"),
        ("part of an email", lead.email.split("@")[0]),
        ("a record number", lead.number),
        ("a rare text", lead.email),
        ("two letters", "an"),
        ("nothing matches", "zqxv"),
    )
    return lead, texts


def raw_search(module, text: str, owners: list[int] | None, limit: int) -> tuple[list, str]:
    """The statements that do a module's search without the ORM, and what they found ("leads 1,000+"): the ids
    of the first 1,001 matches, newest first; when there are more, the newest ids among all matches; then the
    rows shown."""
    table = module.model._meta.db_table
    arms = ["UPPER(number::text) = UPPER(%s)"] + [
        f"UPPER({name}::text) LIKE UPPER(%s)" for name in module.search_fields
    ]
    params = [text] + [f"%{text}%"] * len(module.search_fields)
    if module.name == "leads":
        arms.append(f"(UPPER(custom::text) LIKE UPPER(%s) AND UPPER((custom ->> '{CUSTOM}')::text) LIKE UPPER(%s))")
        params += [f"%{text}%"] * 2
    where = f"deleted_at IS NULL AND ({' OR '.join(arms)})"
    if module.name == "leads":
        where += " AND NOT converted"  # Convert Lead's leads leave every search
    if owners is not None:
        where += " AND assigned_user_id = ANY(%s)"
        params.append(owners)
    found_sql = (
        f"SELECT *, COUNT(*) OVER () FROM (SELECT id, modified_at FROM {table} WHERE {where} "
        f"LIMIT {COUNT_LIMIT + 1}) AS found ORDER BY 2 DESC, 1 DESC LIMIT {limit}",
        params,
    )
    with connection.cursor() as cursor:
        cursor.execute(*found_sql)
        rows = cursor.fetchall()
    ids, count, statements = [row[0] for row in rows], (rows[0][2] if rows else 0), [found_sql]
    if count > COUNT_LIMIT:
        newest_sql = (f"SELECT id FROM {table} WHERE {where} ORDER BY modified_at DESC, id DESC LIMIT {limit}", params)
        statements.append(newest_sql)
        with connection.cursor() as cursor:
            cursor.execute(*newest_sql)
            ids = [row[0] for row in cursor.fetchall()]
    if ids:
        statements.append(
            (f"SELECT * FROM {table} WHERE id = ANY(%s) ORDER BY modified_at DESC, id DESC", [ids[:limit]])
        )
    found = f"{module.name} {COUNT_LIMIT:,}+" if count > COUNT_LIMIT else f"{module.name} {count}"
    return statements, found


def test_global_search(client_as, bench_world, searched, bench_results):
    staff, admin = bench_world.staff, bench_world.admin
    lead, texts = searched
    page = client_as(staff).get(URL, {"q": lead.number}).text
    assert lead.get_absolute_url() in page and 'aria-label="1 match"' in page

    records = bench_world.volumes.records
    print(f"\nGlobal search over {records:,} records, staff under Private sharing and admin:")
    over_budget = []
    for who, user, owners in (("staff", staff, bench_world.staff_owners), ("admin", admin, None)):
        client = client_as(user)
        modules = searchable_modules(user)
        for label, text in texts:
            for page_name, quick, limit in (("search page", "", PER_MODULE), ("quick search", "1", QUICK_LIMIT)):
                statements, found = [], []
                for module in modules:
                    module_statements, module_found = raw_search(module, text, owners, limit)
                    statements += module_statements
                    found.append(module_found)
                url = f"{URL}?{urlencode({'q': text, 'quick': quick})}"
                figure = bench_results.add(
                    Figure(
                        bench=f"global search, {records:,} records",
                        case=f"{who}, {page_name}, {label} ({text})",
                        timing=page_timing(client, url),
                        raw=sql_timing(*statements),
                        note=", ".join(found),
                    )
                )
                if figure.timing.median_ms > BUDGET_MS:
                    over_budget.append(figure)
    for figure in over_budget:
        print(f"\nOver {BUDGET_MS} ms: {figure.case}; its slowest query ({figure.timing.slowest_ms:.1f} ms):")
        print(f"{figure.timing.slowest_sql}\n{explain_captured(figure.timing.slowest_sql)}")
