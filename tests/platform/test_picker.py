"""Reference pickers: the form renders only the chosen record; matches come from the picker endpoint."""

import pytest
from django.urls import reverse

from accounts.models import Contact
from secondcrm.records.services import record_delete
from tests.factories import AccountFactory, ContactFactory
from tests.record_suite import form_data

pytestmark = pytest.mark.django_db


def test_form_renders_only_the_chosen_record(client_as, staff):
    accounts = [AccountFactory(assigned_user=staff) for _ in range(30)]
    contact = ContactFactory(assigned_user=staff, account=accounts[7])
    html = client_as(staff).get(reverse("records:edit", args=["contacts", contact.pk])).content.decode()
    select = html[html.index('name="account"') : html.index("</select>", html.index('name="account"'))]
    assert select.count("<option") == 2
    assert f'value="{accounts[7].pk}" selected' in select
    assert f'data-picker-url="{reverse("records:picker", args=["accounts"])}"' in select


def test_picker_finds_visible_records_by_their_search_fields(client_as, staff):
    wanted = AccountFactory(assigned_user=staff, account_name="Orchid Holdings")
    AccountFactory(assigned_user=staff, account_name="Lotus Holdings")
    binned = AccountFactory(assigned_user=staff, account_name="Orchid Binned")
    record_delete(record=binned, acting_user=staff)
    response = client_as(staff).get(reverse("records:picker", args=["accounts"]), {"q": "orchid"})
    assert response.json() == {"results": [{"id": wanted.pk, "text": "Orchid Holdings", "number": wanted.number}]}


def test_picker_leaves_out_the_record_itself_for_hierarchies(client_as, staff):
    parent, itself = AccountFactory(assigned_user=staff), AccountFactory(assigned_user=staff)
    html = client_as(staff).get(reverse("records:edit", args=["accounts", itself.pk])).content.decode()
    assert f'data-picker-exclude="{itself.pk}"' in html
    results = client_as(staff).get(reverse("records:picker", args=["accounts"]), {"exclude": itself.pk}).json()
    assert [r["id"] for r in results["results"]] == [parent.pk]


def test_a_posted_reference_must_be_a_visible_record(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    binned = AccountFactory(assigned_user=staff)
    record_delete(record=binned, acting_user=staff)
    contact = ContactFactory(assigned_user=staff, account=account)
    data = form_data(Contact.module, contact, staff) | {"account": str(binned.pk)}
    response = client_as(staff).post(reverse("records:edit", args=["contacts", contact.pk]), data)
    assert "Select a valid choice" in response.context["form"].errors["account"][0]
