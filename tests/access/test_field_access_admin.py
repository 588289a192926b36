"""Settings > Field Access: hide a field from the whole organization; mandatory fields cannot be hidden."""

import pytest
from django.urls import reverse

from accounts.models import Account
from secondcrm.access.models import FieldRight, HiddenField, Profile
from secondcrm.access.permissions import access_for, mandatory_fields
from secondcrm.records.models import CustomField
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

URL = reverse("settings_admin:field_access")


@pytest.fixture
def region() -> CustomField:
    return CustomField.objects.create(module="accounts", name="cf_region", label="Sales Region")


def page(client, module="accounts"):
    return client.get(f"{URL}?module={module}")


def visible_fields(client, module="accounts") -> list[str]:
    """What the page's form posts back untouched: every checked box and hidden mandatory input."""
    return [row.name for row, visible in page(client, module).context["rows"] if visible]


def post(client, visible, module="accounts"):
    return client.post(URL, {"module": module, "visible": visible})


def test_only_admins_change_field_access(client_as, manager, staff):
    for user in (manager, staff):
        assert client_as(user).get(URL).status_code == 403
        assert post(client_as(user), []).status_code == 403
    assert not HiddenField.objects.exists()


def test_lists_block_and_custom_fields_with_their_labels(client_as, admin, region):
    response = page(client_as(admin))
    assert response.status_code == 200
    rows = {row.name: row for row, _ in response.context["rows"]}
    declared = [name for block in Account.module.blocks for name in block.fields]
    assert list(rows)[: len(declared)] == declared
    assert rows["cf_region"].label == "Sales Region" and rows["cf_region"].block == "Custom Information"
    assert rows["account_name"].label == "Account Name" and rows["ticker_symbol"].label == "Ticker Symbol"
    assert rows["assigned_to"].label == "Assigned To"
    body = response.content.decode()
    assert '<label for="visible-ticker_symbol">Ticker Symbol</label>' in body
    assert '<label for="visible-cf_region">Sales Region</label>' in body


def test_mandatory_fields_are_shown_checked_and_disabled(client_as, admin):
    client = client_as(admin)
    HiddenField.objects.create(module="accounts", field="account_name")  # left from before it was mandatory
    response = page(client)
    mandatory = mandatory_fields(Account.module)
    assert {"account_name", "assigned_to"} <= mandatory
    rows = response.context["rows"]
    assert all(visible for row, visible in rows if row.mandatory)
    assert {row.name for row, _ in rows if row.mandatory} == mandatory & {row.name for row, _ in rows}
    body = response.content.decode()
    assert '<input class="form-check-input" type="checkbox" id="visible-account_name" checked disabled>' in body
    assert '<input type="hidden" name="visible" value="account_name">' in body


def test_hiding_and_showing_fields_writes_hidden_field_rows(client_as, admin, region):
    client = client_as(admin)
    visible = visible_fields(client)
    response = post(client, [f for f in visible if f not in ("ticker_symbol", "cf_region")])
    assert response.status_code == 302 and response["Location"] == f"{URL}?module=accounts"
    assert set(HiddenField.objects.values_list("module", "field")) == {
        ("accounts", "ticker_symbol"),
        ("accounts", "cf_region"),
    }
    after = client.get(response["Location"])
    assert "Field access of Accounts saved: 2 fields hidden." in after.content.decode()
    assert {row.name: shown for row, shown in after.context["rows"]}["ticker_symbol"] is False

    post(client, [f for f in visible if f != "cf_region"])
    assert list(HiddenField.objects.values_list("field", flat=True)) == ["cf_region"]
    post(client, visible)
    assert not HiddenField.objects.exists()


def test_each_module_keeps_its_own_hidden_fields(client_as, admin):
    client = client_as(admin)
    HiddenField.objects.create(module="contacts", field="fax")
    post(client, [f for f in visible_fields(client) if f != "fax"])
    assert set(HiddenField.objects.values_list("module", "field")) == {("contacts", "fax"), ("accounts", "fax")}


def test_a_post_hiding_a_mandatory_field_is_refused(client_as, admin):
    client = client_as(admin)
    HiddenField.objects.create(module="accounts", field="fax")
    visible = visible_fields(client)
    response = post(client, [f for f in visible if f not in ("account_name", "assigned_to", "phone")])
    assert response.status_code == 422
    body = response.content.decode()
    assert "Mandatory fields cannot be hidden: Account Name, Assigned To." in body
    assert list(HiddenField.objects.values_list("field", flat=True)) == ["fax"]
    # The page shows what was posted, so nothing the admin changed is lost.
    shown = {row.name: visible for row, visible in response.context["rows"]}
    assert shown["phone"] is False and shown["account_name"] is True


def test_unknown_modules_and_fields(client_as, admin):
    client = client_as(admin)
    assert page(client, "nothing").status_code == 404
    assert post(client, [], module="nothing").status_code == 404
    response = post(client, [*visible_fields(client), "<b>no_such_field</b>"])
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    assert "<b>no_such_field</b>" not in response.content.decode()


def test_a_hidden_field_is_hidden_from_everyone_but_admins(client_as, admin, manager, staff):
    FieldRight.objects.create(
        profile=Profile.objects.get(preset=Profile.Preset.STAFF),
        module="accounts",
        field="ticker_symbol",
        access=FieldRight.Access.READ_WRITE,
    )
    account = AccountFactory(assigned_user=staff, ticker_symbol="TICKR")
    admin_client = client_as(admin)
    post(admin_client, [f for f in visible_fields(admin_client) if f != "ticker_symbol"])
    for user in (manager, staff):
        assert not access_for(user).field_access(Account.module).visible("ticker_symbol")
        assert "TICKR" not in client_as(user).get(account.get_absolute_url()).content.decode()
    assert "TICKR" in admin_client.get(account.get_absolute_url()).content.decode()
