"""No page issues more queries because it shows more rows: a list of 40 records, a detail view with a dozen
records in each related list, and a search with many matches cost the same number of queries as with one or
two; a detail view costs the same with its reference fields filled as with them empty. A query per row is the
classic way a CRM list becomes slow at scale; this catches it as a count, which does not depend on the machine,
rather than as a time.

The ceilings are the counts measured when these tests were written plus a small margin, so that a page which
starts issuing a few more queries for a new feature is noticed and its ceiling raised on purpose."""

import pytest
from django.urls import reverse

from secondcrm.records.registry import registry
from tests.factories import attach, factory_for

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 40
MODULES = [module.name for module in registry]
# Queries of one page, whatever it shows: session, user, the role's access policy and the module's layout (read
# from the database on every request in tests, where their cache is off; from Redis in production), picklists,
# the page's own queries, the audit trail's insert.
LIST_CEILING = 30
DETAIL_CEILING = 35
SEARCH_CEILING = 48


def _make(module_name: str, owner, **fields):
    model = registry.get(module_name).model
    return factory_for(model)(assigned_user=owner, **fields)


def _queries(client, url: str, django_assert_max_num_queries, ceiling: int) -> int:
    with django_assert_max_num_queries(ceiling) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("module_name", MODULES)
def test_a_list_page_costs_the_same_queries_for_2_or_40_rows(
    module_name, client_as, staff, django_assert_max_num_queries
):
    url = reverse("records:list", kwargs={"module": module_name}) + "?per_page=50"
    client = client_as(staff)
    for _ in range(FEW):
        _make(module_name, staff)
    few = _queries(client, url, django_assert_max_num_queries, LIST_CEILING)
    for _ in range(MANY - FEW):
        _make(module_name, staff)
    many = _queries(client, url, django_assert_max_num_queries, LIST_CEILING)
    assert many == few


def _fill_detail(subject, owner, count: int) -> None:
    """``count`` records in each of the subject's related lists, comments and attached documents."""
    for related in subject.module.related:
        model = related.related_model
        for _ in range(count):
            factory_for(model)(assigned_user=owner, **{related.field: subject})
    document_factory = factory_for(registry.get("documents").model)
    for index in range(count):
        subject.comments.create(author=owner, body=f"Comment {index}")
        if subject.module.name != "documents":
            attach(document_factory(assigned_user=owner), subject)


@pytest.mark.parametrize("module_name", MODULES)
def test_a_detail_view_costs_the_same_queries_for_1_or_12_related_records(
    module_name, client_as, staff, django_assert_max_num_queries
):
    client = client_as(staff)
    measured = []
    for count in (1, 12):
        subject = _make(module_name, staff)
        _fill_detail(subject, staff, count)
        measured.append(_queries(client, subject.get_absolute_url(), django_assert_max_num_queries, DETAIL_CEILING))
    assert measured[0] == measured[1]


# Reference fields that may be left empty, by module: the records of those filled come with the record's own query.
REFERENCES = {"accounts": ("parent",), "contacts": ("account", "reports_to"), "potentials": ("contact",)}


@pytest.mark.parametrize("module_name", sorted(REFERENCES))
def test_a_detail_view_costs_the_same_queries_with_its_references_filled_or_empty(
    module_name, client_as, staff, django_assert_max_num_queries
):
    client = client_as(staff)
    fields = REFERENCES[module_name]
    model = registry.get(module_name).model
    empty = _make(module_name, staff, **dict.fromkeys(fields))
    filled = _make(
        module_name,
        staff,
        **{name: factory_for(model._meta.get_field(name).related_model)(assigned_user=staff) for name in fields},
    )
    measured = [
        _queries(client, record.get_absolute_url(), django_assert_max_num_queries, DETAIL_CEILING)
        for record in (empty, filled)
    ]
    assert measured[0] == measured[1]


def test_global_search_costs_the_same_queries_for_few_or_many_matches(client_as, staff, django_assert_max_num_queries):
    client = client_as(staff)
    url = reverse("records:search") + "?q=Zanzibar"
    for _ in range(FEW):
        _make("accounts", staff, account_name="Zanzibar Trading")
        _make("contacts", staff, last_name="Zanzibar")
    few = _queries(client, url, django_assert_max_num_queries, SEARCH_CEILING)
    for _ in range(MANY):
        _make("accounts", staff, account_name="Zanzibar Trading")
        _make("contacts", staff, last_name="Zanzibar")
    many = _queries(client, url, django_assert_max_num_queries, SEARCH_CEILING)
    assert many == few
