"""The top menu, Quick Create, the home page's tag cloud and record numbering settings (F-02, F-08, F-13)."""

import pytest
from django.urls import reverse

from secondcrm.records.registry import registry
from secondcrm.records.services import record_delete, tags_set
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_menu_shows_groups_that_have_modules_in_the_manuals_order(client_as, staff, admin):
    menu = client_as(staff).get("/").context["menu_groups"]
    groups = [(group, [m.label for m in modules]) for group, modules in menu]
    assert [group for group, _ in groups] == ["Sales & Marketing", "Tools"]  # empty groups are left out
    assert groups[0][1][:2] == ["Accounts", "Contacts"]
    assert groups[1][1] == ["Documents"]
    assert "Settings" not in client_as(staff).get("/").content.decode()
    assert reverse("settings_admin:index") in client_as(admin).get("/").content.decode()


def test_quick_create_menu_lists_modules_that_allow_it(client_as, staff):
    modules = [m.name for m in client_as(staff).get("/").context["quick_create_modules"]]
    assert modules == [m.name for m in registry if m.quick_create]
    assert "accounts" in modules and "documents" not in modules  # Documents opts out of Quick Create


def test_tag_cloud_counts_visible_records_and_links_to_them(client_as, staff):
    first, second = AccountFactory(assigned_user=staff), AccountFactory(assigned_user=staff)
    contact = ContactFactory(assigned_user=staff)
    binned = AccountFactory(assigned_user=staff)
    for record in (first, second, contact, binned):
        tags_set(record=record, add=["vip"], acting_user=staff)
    tags_set(record=first, add=["asia"], acting_user=staff)
    record_delete(record=binned, acting_user=staff)
    client = client_as(staff)
    cloud = {t["name"]: (t["count"], t["size"]) for t in client.get("/").context["tag_cloud"]}
    assert cloud == {"asia": (1, 2), "vip": (3, 5)}
    groups = client.get(reverse("records:tagged", args=["vip"])).context["groups"]
    assert [(m.name, len(records)) for m, records in groups] == [("accounts", 2), ("contacts", 1)]


def test_admin_changes_a_modules_prefix_and_next_number(client_as, admin, staff):
    AccountFactory(assigned_user=staff)
    client = client_as(admin)
    response = client.post(
        reverse("settings_admin:numbering"),
        {"module": "accounts", "accounts-prefix": "CUST-", "accounts-next_number": "500"},
    )
    assert response.status_code == 302
    assert AccountFactory(assigned_user=staff).number == "CUST-500"


def test_numbering_refuses_a_number_in_use(client_as, admin, staff):
    existing = AccountFactory(assigned_user=staff)
    prefix, number = existing.number[:3], existing.number[3:]
    response = client_as(admin).post(
        reverse("settings_admin:numbering"),
        {"module": "accounts", "accounts-prefix": prefix, "accounts-next_number": number},
    )
    assert response.status_code == 422
    assert f"{existing.number} is already used by a record" in response.content.decode()
    assert client_as(staff).get(reverse("settings_admin:numbering")).status_code == 403
