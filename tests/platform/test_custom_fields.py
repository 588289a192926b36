"""Custom fields: defined in a table, shown in their block, stored in the record's JSON column."""

import pytest
from django.urls import reverse

from accounts.models import Account
from secondcrm.records.models import CustomField
from tests.factories import AccountFactory
from tests.record_suite import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def custom_fields(db):
    return [
        CustomField.objects.create(
            module="accounts",
            name="cf_region",
            label="Region",
            mandatory=True,
            field_type=CustomField.Type.PICKLIST,
            choices=["North", "South"],
        ),
        CustomField.objects.create(
            module="accounts",
            name="cf_renewal",
            label="Renewal Date",
            field_type=CustomField.Type.DATE,
            block="Contract",
        ),
        CustomField.objects.create(module="accounts", name="cf_vip", label="VIP", field_type=CustomField.Type.CHECKBOX),
    ]


def test_custom_fields_are_in_the_form_in_their_blocks(client_as, staff, custom_fields):
    response = client_as(staff).get(reverse("records:add", args=["accounts"]))
    blocks = {title: [f.name for f in fields] for title, fields in response.context["blocks"]}
    assert blocks["Custom Information"] == ["cf_region", "cf_vip"]
    assert blocks["Contract"] == ["cf_renewal"]
    assert 'Region <span class="required-mark"' in response.content.decode()


def test_custom_values_are_saved_shown_and_tracked(client_as, staff, custom_fields):
    account = AccountFactory(assigned_user=staff, custom={"cf_region": "North"})
    data = form_data(Account.module, account, staff) | {
        "cf_region": "South",
        "cf_renewal": "2027-01-31",
        "cf_vip": "on",
    }
    client = client_as(staff)
    assert client.post(reverse("records:edit", args=["accounts", account.pk]), data).status_code == 302
    account.refresh_from_db()
    assert account.custom == {"cf_region": "South", "cf_renewal": "2027-01-31", "cf_vip": True}
    changes = account.updates.get(action="updated").changes
    assert {"field": "cf_region", "label": "Region", "old": "North", "new": "South"} in changes
    body = client.get(account.get_absolute_url()).content.decode()
    assert "Renewal Date" in body and "Jan. 31, 2027" in body


def test_mandatory_custom_field_and_bad_choice_are_refused(client_as, staff, custom_fields):
    account = AccountFactory(assigned_user=staff)
    data = form_data(Account.module, account, staff)
    url = reverse("records:edit", args=["accounts", account.pk])
    response = client_as(staff).post(url, data)
    assert response.context["form"].errors["cf_region"] == ["This field is required."]
    response = client_as(staff).post(url, data | {"cf_region": "West"})
    assert "Select a valid choice" in response.context["form"].errors["cf_region"][0]
    account.refresh_from_db()
    assert account.custom == {}


def test_custom_field_can_be_edited_inline(client_as, staff, custom_fields):
    account = AccountFactory(assigned_user=staff, custom={"cf_region": "North"})
    client_as(staff).post(
        reverse("records:inline_edit", args=["accounts", account.pk, "cf_region"]), {"cf_region": "South"}
    )
    account.refresh_from_db()
    assert account.custom == {"cf_region": "South"}
