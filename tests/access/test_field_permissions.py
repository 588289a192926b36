"""Field permissions on every page: an invisible field is nowhere (form, detail, list, search, history), a
read-only one is shown but a crafted POST cannot change it, and the organization's field access overrides
profiles."""

import pytest
from django.urls import reverse

from accounts.models import Account
from secondcrm.access.models import FieldRight, HiddenField, Profile
from secondcrm.access.permissions import access_for
from tests.factories import AccountFactory
from tests.record_suite import form_data

pytestmark = pytest.mark.django_db

STAFF_PROFILE = Profile.Preset.STAFF


def restrict(field: str, access: str, module: str = "accounts") -> None:
    FieldRight.objects.create(
        profile=Profile.objects.get(preset=STAFF_PROFILE), module=module, field=field, access=access
    )


@pytest.fixture
def account(staff):
    return AccountFactory(assigned_user=staff, account_name="Acme Ltd", phone="+65 6000 0001", ticker_symbol="ZQXT")


def test_invisible_field_is_left_out_of_form_detail_and_list(client_as, staff, account):
    restrict("phone", FieldRight.Access.INVISIBLE)
    client = client_as(staff)

    edit = client.get(reverse("records:edit", kwargs={"module": Account.module, "pk": account.pk}))
    assert 'name="phone"' not in edit.text
    assert 'name="account_name"' in edit.text

    detail = client.get(account.get_absolute_url())
    assert "+65 6000 0001" not in detail.text
    assert "Acme Ltd" in detail.text

    listing = client.get(reverse("records:list", kwargs={"module": Account.module}))
    assert "+65 6000 0001" not in listing.text
    assert "Acme Ltd" in listing.text


def test_a_search_never_matches_on_an_invisible_field(client_as, staff, account):
    AccountFactory(assigned_user=staff, account_name="Other Ltd", phone="+65 6111 1111")
    restrict("phone", FieldRight.Access.INVISIBLE)
    list_url = reverse("records:list", kwargs={"module": Account.module})
    client = client_as(staff)

    # Searching every column must not reveal which record holds the value...
    assert "Acme Ltd" not in client.get(list_url, {"search_value": "6000 0001"}).text
    # ...and the hidden column is not offered, so naming it is an invalid filter, not a search on it.
    naming_it = client.get(list_url, {"search_value": "6000 0001", "search_in": "phone"}).text
    assert '<option value="phone"' not in naming_it
    assert "Other Ltd" in client.get(list_url, {"search_value": "Other"}).text


def test_sorting_by_an_invisible_column_falls_back_to_the_title(client_as, staff):
    restrict("phone", FieldRight.Access.INVISIBLE)
    AccountFactory(assigned_user=staff, account_name="Beta", phone="+65 1")
    AccountFactory(assigned_user=staff, account_name="Alpha", phone="+65 9")
    response = client_as(staff).get(reverse("records:list", kwargs={"module": Account.module}), {"sort": "-phone"})
    assert response.status_code == 200
    assert response.text.index("Alpha") < response.text.index("Beta")


def test_crafted_post_cannot_change_a_read_only_field(client_as, staff, account):
    restrict("phone", FieldRight.Access.READ_ONLY)
    client = client_as(staff)
    url = reverse("records:edit", kwargs={"module": Account.module, "pk": account.pk})

    page = client.get(url)
    assert "+65 6000 0001" in page.text  # shown, but disabled

    data = form_data(Account.module, account, staff) | {"phone": "+65 9999 9999", "account_name": "Acme Pte"}
    response = client.post(url, data)
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.account_name == "Acme Pte"
    assert account.phone == "+65 6000 0001"


def test_inline_edit_of_a_read_only_field_is_refused(client_as, staff, account):
    restrict("phone", FieldRight.Access.READ_ONLY)
    url = reverse("records:inline_edit", kwargs={"module": Account.module, "pk": account.pk, "field": "phone"})
    response = client_as(staff).post(url, {"phone": "+65 9999 9999"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    account.refresh_from_db()
    assert account.phone == "+65 6000 0001"


def test_prefill_from_the_address_bar_does_not_reach_a_read_only_field(client_as, staff):
    restrict("industry", FieldRight.Access.READ_ONLY)
    add_url = reverse("records:add", kwargs={"module": Account.module})
    client = client_as(staff)
    data = {"account_name": "Prefilled", "assigned_to": f"user:{staff.pk}", "industry": "Banking"}
    client.post(f"{add_url}?industry=Banking", data)
    assert Account.objects.get(account_name="Prefilled").industry == ""


def test_updates_hide_the_changes_of_an_invisible_field(client_as, staff, manager, account):
    client = client_as(manager)
    url = reverse("records:edit", kwargs={"module": Account.module, "pk": account.pk})
    data = form_data(Account.module, account, manager) | {"phone": "+65 7777 7777", "industry": "Banking"}
    assert client.post(url, data).status_code == 302

    restrict("phone", FieldRight.Access.INVISIBLE)
    updates = client_as(staff).get(account.get_absolute_url()).text.split('aria-label="Updates"')[1]
    assert "<q>Banking</q>" in updates
    assert "+65 7777 7777" not in updates
    assert "+65 6000 0001" not in updates


def test_a_field_stays_writable_when_any_of_the_roles_profiles_allows_it(roles, staff):
    restrict("phone", FieldRight.Access.INVISIBLE)
    lenient = Profile.objects.create(name="Lenient")
    roles["Staff"].profiles.add(lenient)
    assert access_for(staff).field_access(Account.module).writable("phone")


def test_organization_field_access_overrides_profiles_but_not_admins(client_as, staff, admin, account):
    HiddenField.objects.create(module="accounts", field="ticker_symbol")
    assert "ZQXT" not in client_as(staff).get(account.get_absolute_url()).text
    assert "ZQXT" in client_as(admin).get(account.get_absolute_url()).text


def test_mandatory_fields_can_never_be_restricted(staff):
    restrict("account_name", FieldRight.Access.INVISIBLE)
    HiddenField.objects.create(module="accounts", field="account_name")
    assert access_for(staff).field_access(Account.module).writable("account_name")
