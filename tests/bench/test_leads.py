"""Benchmark of issue 7's targets on the Leads pages (run by `make bench`, never by `make test`): at a million leads
(the generated world at scale 1), for a Staff user under Private sharing, who sees their own and their four Junior
Staff's leads (a tenth of them), and for an admin, who sees all. Server time through the test client, templates
included, each next to the same rows read by raw SQL:

- the list's first page (target: median ≤ 50 ms) and a detail view with its comments and history (≤ 50 ms);
- the list sorted by a few of its columns, and filtered by a saved filter, an advanced search condition, a letter,
  "Search for … in" and a column filter (≤ 80 ms).

Global search (target ≤ 100 ms) is measured on the same world by test_global_search.py. A case over its target
prints EXPLAIN ANALYZE of its slowest query."""

from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType

from leads.models import Lead
from secondcrm.records.models import SavedFilter

from .results import Figure, explain_captured, list_sql, page_timing, sql_timing

LIST_MS = 50
DETAIL_MS = 50
FILTERED_MS = 80
STATUS = "Contacted"
SURNAME = "Tan"

pytestmark = pytest.mark.django_db


def detail_sql(lead: Lead) -> list:
    """A detail view's reading as raw SQL: the lead, its comments and its latest Updates."""
    attached = ("WHERE content_type_id = %s AND object_id = %s", [ContentType.objects.get_for_model(Lead).pk, lead.pk])
    return [
        ("SELECT * FROM leads_lead WHERE id = %s", [lead.pk]),
        (f"SELECT * FROM records_comment {attached[0]} ORDER BY at", attached[1]),
        (f"SELECT * FROM records_update {attached[0]} ORDER BY at DESC LIMIT 50", attached[1]),
    ]


def test_lead_pages_at_a_million(client_as, bench_world, bench_results):
    staff, admin = bench_world.staff, bench_world.admin
    live = "AND NOT converted"
    leads = f"{bench_world.volumes.leads:,} leads"
    status = ("AND UPPER(lead_status::text) = UPPER(%s)", [STATUS])
    for who, user, owners in (("staff", staff, bench_world.staff_owners), ("admin", admin, None)):
        saved = SavedFilter.objects.create(
            owner=user,
            module="leads",
            name="Contacted",
            conditions=[{"field": "lead_status", "operator": "equals", "value": STATUS}],
        )
        lead = Lead.objects.visible_to(user).order_by("pk").first()

        def page(order: str, where: str = "", params=()):
            return list_sql(Lead, owners, order, f"{live} {where}", params)  # noqa: B023

        cases = (
            (LIST_MS, "list, first page", "/leads/", page("last_name")),
            (DETAIL_MS, "detail view", lead.get_absolute_url(), detail_sql(lead)),
            (FILTERED_MS, "list sorted by company", "/leads/?sort=company", page("company")),
            (FILTERED_MS, "list sorted by email, descending", "/leads/?sort=-email", page("email DESC")),
            (FILTERED_MS, "list sorted by status", "/leads/?sort=lead_status", page("lead_status")),
            (FILTERED_MS, "list, page 50", "/leads/?page=50", list_sql(Lead, owners, "last_name", live, offset=980)),
            (FILTERED_MS, "saved filter: status Contacted", f"/leads/?view={saved.pk}", page("last_name", *status)),
            (
                FILTERED_MS,
                "advanced search: status Contacted",
                f"/leads/?{urlencode({'c': f'lead_status.equals.{STATUS}'})}",
                page("last_name", *status),
            ),
            (
                FILTERED_MS,
                "column filter: status Contacted, by company",
                f"/leads/?lead_status={STATUS}&sort=company",
                page("company", "AND lead_status = %s", [STATUS]),
            ),
            (
                FILTERED_MS,
                "letter B",
                "/leads/?letter=B",
                page(
                    "last_name",
                    "AND UPPER(last_name::text) LIKE UPPER(%s) AND last_name >= LEAST(%s, %s)",
                    ["B%", "B", "b"],
                ),
            ),
            (
                FILTERED_MS,
                f"search for {SURNAME} in Last Name",
                f"/leads/?search_value={SURNAME}&search_in=last_name",
                # Its matches sorted apart (records/sorting.py): found by the trigram index, then sorted.
                page("COALESCE(last_name, last_name)", "AND UPPER(last_name::text) LIKE UPPER(%s)", [f"%{SURNAME}%"]),
            ),
        )
        print(f"\nLeads pages on {leads}, {who} (sees {Lead.objects.visible_to(user).count():,}):")
        over_target = []
        client = client_as(user)
        for target, case, url, raw in cases:
            figure = bench_results.add(
                Figure(
                    f"Leads, {leads}",
                    f"{who}, {case}",
                    page_timing(client, url),
                    sql_timing(*raw),
                    note=f"target ≤ {target} ms",
                )
            )
            if figure.timing.median_ms > target:
                over_target.append(figure)
        for figure in over_target:
            print(f"\nOver target: {figure.case}; its slowest query ({figure.timing.slowest_ms:.1f} ms):")
            print(f"{figure.timing.slowest_sql}\n{explain_captured(figure.timing.slowest_sql)}")
