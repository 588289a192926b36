"""Custom fields in the list's filter row and search: a filter for each custom picklist, multi-select picklist
and checkbox (exact match by JSON containment, so the GIN index on ``custom`` answers it), custom text fields
in "Search for ... in", bad values as the filter form's error, and nothing a user may not see."""

import sys
import types

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Account
from secondcrm.access.models import FieldRight, HiddenField, Profile
from secondcrm.records.filters import filterset_for
from secondcrm.records.models import CustomField
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

LIST = reverse("records:list", args=["accounts"])


@pytest.fixture
def fields(db):
    T = CustomField.Type

    def add(name, label, field_type, **extra):
        return CustomField.objects.create(module="accounts", name=name, label=label, field_type=field_type, **extra)

    return {
        "cf_region": add("cf_region", "Region", T.PICKLIST, choices=["North", "South", "East"]),
        "cf_products": add("cf_products", "Products", T.MULTIPICKLIST, choices=["Widgets", "Gadgets", "Gizmos"]),
        "cf_vip": add("cf_vip", "VIP", T.CHECKBOX),
        "cf_notes": add("cf_notes", "Notes", T.TEXTAREA),
        "cf_contact_mail": add("cf_contact_mail", "Contact Mail", T.EMAIL),
        "cf_seats": add("cf_seats", "Seats", T.NUMBER),
    }


@pytest.fixture
def accounts(staff, fields):
    def account(name, **custom):
        return AccountFactory(assigned_user=staff, account_name=name, custom=custom)

    return {
        "north": account("North Widgets", cf_region="North", cf_products=["Widgets", "Gizmos"], cf_vip=True),
        "south": account("South Gadgets", cf_region="South", cf_products=["Gadgets"], cf_vip=False),
        "plain": account("Plain Old", cf_notes="Met at the Jakarta fair", cf_contact_mail="buyer@plain.example"),
        "east": account("East Mixed", cf_region="East", cf_products=["Gadgets", "Widgets"], cf_notes="jakarta office"),
    }


def listed(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return sorted(row.record.account_name for row in response.context["table"].rows)


def test_the_filter_row_has_a_filter_for_each_picklist_and_checkbox_field(client_as, staff, fields):
    response = client_as(staff).get(LIST)
    filterset = response.context["filterset"]
    assert filterset.column_filters == ["account_type", "industry", "rating", "cf_region", "cf_products", "cf_vip"]
    body = response.text
    assert '<label class="form-label small mb-0" for="id_cf_region">Region</label>' in body
    assert '<option value="Gizmos">Gizmos</option>' in body
    assert '<label class="form-label small mb-0" for="id_cf_vip">VIP</label>' in body
    # Text fields are searched, not filtered; numbers neither.
    assert 'id="id_cf_notes"' not in body and 'id="id_cf_seats"' not in body
    search_in = dict(filterset.form.fields["search_in"].choices)
    assert search_in["cf_notes"] == "Notes" and search_in["cf_contact_mail"] == "Contact Mail"
    assert "cf_seats" not in search_in and "cf_region" not in search_in


def test_picklist_filter_is_an_exact_match_by_json_containment(client_as, staff, accounts):
    client = client_as(staff)
    assert listed(client, cf_region="North") == ["North Widgets"]
    assert listed(client, cf_region="East", search_value="Mixed") == ["East Mixed"]
    request = RequestFactory().get(LIST)
    request.user = staff
    filterset = filterset_for(Account.module)({"cf_region": "South"}, queryset=Account.objects.all(), request=request)
    sql, params = filterset.qs.query.sql_with_params()
    assert '"accounts_account"."custom" @> %s' in sql
    assert any(getattr(param, "obj", None) == {"cf_region": "South"} for param in params)


def test_multi_select_filter_matches_records_holding_the_value(client_as, staff, accounts):
    client = client_as(staff)
    assert listed(client, cf_products="Widgets") == ["East Mixed", "North Widgets"]
    assert listed(client, cf_products="Gadgets") == ["East Mixed", "South Gadgets"]
    assert listed(client, cf_products="Gizmos", cf_region="North") == ["North Widgets"]


def test_checkbox_filter_yes_and_no(client_as, staff, accounts):
    client = client_as(staff)
    assert listed(client, cf_vip="yes") == ["North Widgets"]
    # Not checked: unticked, and records saved before the field existed (no value at all).
    assert listed(client, cf_vip="no") == ["East Mixed", "Plain Old", "South Gadgets"]
    assert len(listed(client, cf_vip="")) == 4


@pytest.mark.parametrize(
    "params",
    [
        {"cf_region": "West"},
        {"cf_products": "Sprockets"},
        {"cf_vip": "maybe"},
        {"search_value": "x", "search_in": "cf_nope"},
    ],
)
def test_a_bad_value_is_the_filter_forms_error(client_as, staff, accounts, params):
    response = client_as(staff).get(LIST, params)
    assert response.status_code == 200
    assert response.context["filterset"].form.errors
    assert "The filter was not applied:" in response.text
    assert "Select a valid choice." in response.text


def test_search_in_a_custom_text_field(client_as, staff, accounts):
    client = client_as(staff)
    assert listed(client, search_value="JAKARTA", search_in="cf_notes") == ["East Mixed", "Plain Old"]
    assert listed(client, search_value="plain.example", search_in="cf_contact_mail") == ["Plain Old"]
    # "All columns" searches custom text fields too, and the standard ones still.
    assert listed(client, search_value="fair") == ["Plain Old"]
    assert listed(client, search_value="Gadgets") == ["South Gadgets"]
    # A custom search never matches another field's value.
    assert listed(client, search_value="North", search_in="cf_notes") == []


def test_a_field_the_user_may_not_see_is_neither_filtered_nor_searched(client_as, staff, admin, accounts):
    HiddenField.objects.create(module="accounts", field="cf_notes")
    staff_profile = Profile.objects.get(preset=Profile.Preset.STAFF)
    FieldRight.objects.create(profile=staff_profile, module="accounts", field="cf_region", access="invisible")
    client = client_as(staff)
    response = client.get(LIST)
    assert 'id="id_cf_region"' not in response.text
    assert '<option value="cf_notes"' not in response.text
    # Naming the hidden search column is an error, not a search on it; "All columns" leaves it out.
    response = client.get(LIST, {"search_value": "jakarta", "search_in": "cf_notes"})
    assert "Select a valid choice." in response.text
    assert listed(client, search_value="fair") == []
    # A filter on the invisible picklist is not there at all, so it cannot tell which records hold a value.
    assert len(listed(client, cf_region="North")) == 4
    # Admins see everything.
    assert listed(client_as(admin), search_value="fair") == ["Plain Old"]
    assert listed(client_as(admin), cf_region="North") == ["North Widgets"]


def test_picklist_choices_come_from_the_users_role(client_as, staff, admin, accounts, monkeypatch):
    calls = []

    def choices_for(module, field, user):
        calls.append((module.name, field, user.username))
        return ["North", "South", "East"] if user.is_superuser else ["North"]

    engine = types.ModuleType("secondcrm.picklists.choices")
    engine.choices_for = choices_for
    monkeypatch.setitem(sys.modules, "secondcrm.picklists.choices", engine)

    client = client_as(staff)
    form = client.get(LIST).context["filterset"].form
    assert [value for value, _ in form.fields["cf_region"].choices if value] == ["North"]
    assert ("accounts", "cf_region", "staff") in calls
    assert listed(client, cf_region="North") == ["North Widgets"]
    assert "Select a valid choice." in client.get(LIST, {"cf_region": "South"}).text
    assert listed(client_as(admin), cf_region="South") == ["South Gadgets"]


def test_without_the_picklist_engine_the_fields_own_values_are_offered(client_as, staff, fields, monkeypatch):
    monkeypatch.setitem(sys.modules, "secondcrm.picklists.choices", None)  # makes the import fail
    form = client_as(staff).get(LIST).context["filterset"].form
    assert [value for value, _ in form.fields["cf_region"].choices if value] == ["North", "South", "East"]
