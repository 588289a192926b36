"""The layout cache: with the shared cache on, pages read a module's layout (blocks, field placements, custom
fields) from it instead of the database, and a committed change to the layout is on the very next page. Without
the cache, the detail view still reads the layout once, whatever custom fields the module has."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from secondcrm.access.permissions import GENERATION_KEY
from secondcrm.picklists.services import picklist_value_add
from secondcrm.records.arrangement import custom_fields, module_layout
from secondcrm.records.models import CustomField
from secondcrm.records.registry import registry
from settings_admin.layout import services
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

# Committed transactions: the cache is invalidated on commit, which a rolled-back test never reaches.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CONTACTS = registry.get("contacts")
LAYOUT_TABLES = ("records_layoutblock", "records_fieldplacement", "records_customfield")
LIST_URL = reverse("records:list", kwargs={"module": "contacts"})


@pytest.fixture
def layout_cache(roles):
    """The shared cache on, without the entries of an earlier test (whose rows are gone)."""
    cache = caches["default"]
    keys = [GENERATION_KEY, *(f"secondcrm:access:role:{role.pk}" for role in roles.values())]
    keys += [f"secondcrm:{kind}:{module.name}" for kind in ("layout", "custom-fields") for module in registry]
    cache.delete_many(keys)
    with override_settings(ACCESS_POLICY_CACHE="default"):
        yield cache
    cache.delete_many(keys)


def layout_queries(read) -> list[str]:
    """The queries ``read()`` sends to the layout's tables."""
    with CaptureQueriesContext(connection) as queries:
        read()
    return [q["sql"] for q in queries if any(table in q["sql"] for table in LAYOUT_TABLES)]


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response


def shape(layout) -> list[tuple[str, list[str]]]:
    return [(block.title, [spec.name for spec in block.fields]) for block in layout]


def region(layout):
    return next(spec for block in layout for spec in block.fields if spec.name == "cf_region")


def first_block(client, record) -> tuple[str, list[tuple[str, str]]]:
    """The detail view's first block: its title, and each field's name and label."""
    block = page(client, record.get_absolute_url()).context["blocks"][0]
    return block.title, [(value.name, value.label) for value in block.values]


@committed
def test_pages_read_the_cached_layout_without_queries(layout_cache, client_as, staff):
    contact = ContactFactory(assigned_user=staff)
    client = client_as(staff)
    assert layout_queries(lambda: page(client, LIST_URL))  # the first page reads the layout and keeps it
    assert layout_queries(lambda: page(client, LIST_URL)) == []
    assert layout_queries(lambda: page(client, contact.get_absolute_url())) == []


@committed
def test_a_layout_change_is_on_the_next_page(layout_cache, client_as, admin, staff):
    contact = ContactFactory(assigned_user=staff)
    client = client_as(staff)
    title, fields = first_block(client, contact)
    (first, _), (second, _) = fields[:2]

    services.field_move(module=CONTACTS, name=first, offset=1, acting_user=admin)
    assert [name for name, _ in first_block(client, contact)[1][:2]] == [second, first]

    services.standard_field_rename(module=CONTACTS, name=first, label="Renamed Here", acting_user=admin)
    assert (first, "Renamed Here") in first_block(client, contact)[1]

    # A picklist field hands its values to the picklist engine in the same transaction, which must find the new
    # field although the cache still holds the layout without it.
    services.custom_field_add(
        module=CONTACTS, block=title, label="Region", field_type="picklist", values=["North"], acting_user=admin
    )
    assert ("cf_region", "Region") in first_block(client, contact)[1]
    assert "cf_region" in page(client, LIST_URL).context["filterset"].filters


@committed
def test_a_picklist_value_reaches_the_cached_definition(layout_cache, admin):
    services.custom_field_add(
        module=CONTACTS,
        block="Contact Information",
        label="Region",
        field_type="picklist",
        values=["North"],
        acting_user=admin,
    )
    assert custom_fields(CONTACTS)[0].choices == ["North"]  # read, and cached
    picklist_value_add(module=CONTACTS, field="cf_region", value="South", acting_user=admin)
    assert custom_fields(CONTACTS)[0].choices == ["North", "South"]


@committed
def test_a_deploy_reads_the_layout_again(layout_cache):
    """Part of a layout is code (declared blocks, standard labels); every deploy migrates."""
    module_layout(CONTACTS)
    call_command("migrate", verbosity=0)
    assert layout_queries(lambda: module_layout(CONTACTS))


@committed
def test_a_caller_cannot_change_the_cached_layout(layout_cache):
    CustomField.objects.create(module="contacts", name="cf_region", label="Region", field_type="text")
    kept = shape(module_layout(CONTACTS))
    read = []
    assert layout_queries(lambda: read.append(module_layout(CONTACTS))) == []  # served from the cache
    (changed,) = read
    region(changed).custom.label = "Changed"
    changed[0].title = "Changed"
    changed[0].fields.clear()
    assert shape(module_layout(CONTACTS)) == kept
    assert region(module_layout(CONTACTS)).custom.label == "Region"


def test_the_detail_view_reads_the_layout_once_whatever_its_custom_fields(client_as, staff):
    contact = ContactFactory(assigned_user=staff)
    client = client_as(staff)
    counts = []
    for label in ("Region", "Tier", "Segment"):
        CustomField.objects.create(module="contacts", name=f"cf_{label.lower()}", label=label, field_type="text")
        queries = layout_queries(lambda: page(client, contact.get_absolute_url()))
        assert sum("records_layoutblock" in sql for sql in queries) == 1
        counts.append(len(queries))
    assert counts[0] == counts[-1]
