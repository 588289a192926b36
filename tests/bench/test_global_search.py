"""Benchmark of global search at scale (run by `make bench`, never by `make test`): the search page and the quick
search over 1,000,000 records across modules (``generate_data`` at scale 0.5: 500,000 leads, 100,000 accounts,
250,000 contacts and 150,000 potentials, with their comments and history), for a Staff user under Private sharing
(who sees a tenth of them) and an admin (who sees all), searching for a surname, a company name, part of an email
address, a record number, a rare text, a two-letter text and a text nothing contains. Leads have a custom text
field, which the search looks into too.

Each figure stands next to the same work done by raw SQL, the physical limit: per module, the ids of the first
1,001 matches (the count, capped), then the first rows of them by modified time, the same statements the ORM
sends without the ORM, the access policy, the layout or the templates. A case slower than ``BUDGET_MS`` prints
EXPLAIN ANALYZE of its slowest query. As in test_visibility.py, the records are committed and vacuumed by a
module fixture and removed at its end.
"""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from leads.models import Lead
from secondcrm.access.models import Role, SharingDefault, User
from secondcrm.benchdata.generate import Volumes, clear_data, generate_data
from secondcrm.records.models import CustomField
from secondcrm.records.registry import registry
from secondcrm.records.search import COUNT_LIMIT, searchable_modules
from secondcrm.records.views.search import PER_MODULE, QUICK_LIMIT
from tests.personas import make_user

from .results import Figure, page_timing, sql_timing
from .test_visibility import explain_captured

SCALE = 0.5
SEED = 1
BUDGET_MS = 100
CUSTOM = "cf_reference"
URL = reverse("records:search")

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def million_records(django_db_setup, django_db_blocker):
    """The generated team and its million records, an admin, and the texts searched for; all removed afterwards.
    Built with the access policy cache on, as the measured requests use it, so that its entries follow."""
    with django_db_blocker.unblock(), override_settings(ACCESS_POLICY_CACHE="default"):
        assert not any(module.model.all_objects.exists() for module in registry), "the bench needs empty modules"
        try:
            # An admin's custom text field, which every search of Leads looks into as well.
            CustomField.objects.create(module="leads", name=CUSTOM, label="Reference", field_type=CustomField.Type.TEXT)
            team = generate_data(Volumes.at_scale(SCALE), seed=SEED)
            admin = make_user("bench_admin", Role.objects.get(name="Management"), is_superuser=True, is_staff=True)
        except BaseException:
            remove_bench_world()
            raise
        staff = team.member("Staff")
        lead = Lead.objects.filter(assigned_user=staff).order_by("pk").first()
        texts = (
            ("a surname", "Nguyen"),
            ("a company name", "Meridian"),
            ("part of an email", lead.email.split("@")[0]),
            ("a record number", lead.number),
            ("a rare text", lead.email),
            ("two letters", "an"),
            ("nothing matches", "zqxv"),
        )
        owners = [staff.pk, *(user.pk for user in team.members["Junior Staff"])]
    yield {"staff": staff, "admin": admin, "owners": owners, "texts": texts, "lead": lead}
    with django_db_blocker.unblock(), override_settings(ACCESS_POLICY_CACHE="default"):
        remove_bench_world()


def remove_bench_world() -> None:
    """Leave the database as the bench found it, for the benches that run after this one."""
    clear_data()
    CustomField.all_objects.filter(module="leads", name=CUSTOM).delete()
    User.objects.filter(username="bench_admin").delete()


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
        f"SELECT * FROM (SELECT id, modified_at FROM {table} WHERE {where} LIMIT {COUNT_LIMIT + 1}) AS found "
        "ORDER BY 2 DESC, 1 DESC",
        params,
    )
    with connection.cursor() as cursor:
        cursor.execute(*found_sql)
        ids = [row[0] for row in cursor.fetchall()]
    count, statements = len(ids), [found_sql]
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


# As in production: each role's access policy comes from the shared cache (the test settings turn it off).
@override_settings(ACCESS_POLICY_CACHE="default")
def test_global_search_on_a_million_records(client_as, million_records, bench_results):
    staff, admin = million_records["staff"], million_records["admin"]
    for module in registry:
        SharingDefault.objects.update_or_create(module=module.name, defaults={"access": SharingDefault.Access.PRIVATE})
    lead = million_records["lead"]
    page = client_as(staff).get(URL, {"q": lead.number}).text
    assert lead.get_absolute_url() in page and 'aria-label="1 match"' in page

    print(f"\nGlobal search over {Volumes.at_scale(SCALE).records:,} records, staff under Private sharing and admin:")
    over_budget = []
    for who, user, owners in (("staff", staff, million_records["owners"]), ("admin", admin, None)):
        client = client_as(user)
        modules = searchable_modules(user)
        for label, text in million_records["texts"]:
            for page_name, quick, limit in (("search page", "", PER_MODULE), ("quick search", "1", QUICK_LIMIT)):
                statements, found = [], []
                for module in modules:
                    module_statements, module_found = raw_search(module, text, owners, limit)
                    statements += module_statements
                    found.append(module_found)
                url = f"{URL}?{urlencode({'q': text, 'quick': quick})}"
                figure = bench_results.add(
                    Figure(
                        bench="global search, 1M records",
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
