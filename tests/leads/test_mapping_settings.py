"""Settings > Lead Conversion Mapping: admins only; rows saved together; custom fields offered; a mapping
between fields that cannot hold the same value, or two lead fields into one field, is refused."""

import pytest
from django.urls import reverse

from leads.mapping import DEFAULT_MAPPING, MappingRow, current_mapping
from leads.models import LeadFieldMapping
from secondcrm.records.models import CustomField

pytestmark = pytest.mark.django_db

URL = reverse("settings_admin:lead_mapping")


def posted(rows: list[tuple[str, str, str, str]], removed: tuple[int, ...] = ()) -> dict:
    """The formset as the page posts it."""
    data = {
        "action": "save",
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
    }
    for index, (lead, account, contact, potential) in enumerate(rows):
        data |= {
            f"rows-{index}-lead_field": lead,
            f"rows-{index}-account_field": account,
            f"rows-{index}-contact_field": contact,
            f"rows-{index}-potential_field": potential,
        }
        if index in removed:
            data[f"rows-{index}-DELETE"] = "on"
    return data


def test_only_admins_open_it(client_as, manager, admin):
    assert client_as(manager).get(URL).status_code == 403
    assert client_as(manager).post(URL, posted([("company", "account_name", "", "")])).status_code == 403
    assert list(current_mapping()) == [MappingRow(*row) for row in DEFAULT_MAPPING]
    page = client_as(admin).get(URL)
    assert page.status_code == 200
    assert len(page.context["formset"].forms) == len(DEFAULT_MAPPING) + 3  # three blank rows to add more
    assert URL in client_as(admin).get(reverse("settings_admin:index")).content.decode()


def test_saving_replaces_the_rows_in_order_and_drops_blank_and_removed_ones(client_as, admin):
    rows = [
        ("company", "account_name", "", "potential_name"),
        ("email", "email", "email", ""),
        ("phone", "phone", "", ""),
        ("", "", "", ""),
    ]
    response = client_as(admin).post(URL, posted(rows, removed=(2,)))
    assert response.status_code == 302
    assert current_mapping() == [
        MappingRow("company", "account_name", "", "potential_name"),
        MappingRow("email", "email", "email", ""),
    ]


def test_custom_fields_are_offered_and_saved(client_as, admin):
    CustomField.objects.create(module="leads", name="cf_budget", label="Budget", field_type="currency")
    CustomField.objects.create(module="potentials", name="cf_budget", label="Budget", field_type="decimal")
    page = client_as(admin).get(URL).content.decode()
    assert "Budget (custom)" in page
    response = client_as(admin).post(URL, posted([("cf_budget", "", "", "cf_budget")]))
    assert response.status_code == 302
    assert LeadFieldMapping.objects.get().potential_field == "cf_budget"


@pytest.mark.parametrize(
    "row, field, error",
    [
        (("annual_revenue", "email", "", ""), "account_field", "cannot take the lead's Annual Revenue"),
        (("email", "", "", "amount"), "potential_field", "cannot take the lead's Email"),
        (("company", "", "title", ""), "contact_field", "holds up to 100 characters"),
        (("description", "", "", "potential_name"), "potential_field", "cannot take the lead's Description"),
        (("company", "", "", ""), "lead_field", "Choose at least one field to copy it into"),
        (("", "account_name", "", ""), "lead_field", "Choose the lead field"),
        (("no_such_field", "account_name", "", ""), "lead_field", "Select a valid choice"),
    ],
)
def test_a_bad_row_is_refused_with_the_reason(client_as, admin, row, field, error):
    response = client_as(admin).post(URL, posted([row]))
    assert response.status_code == 422
    assert error in " ".join(response.context["formset"].forms[0].errors[field])
    assert "Nothing was saved" in response.content.decode() or response.context["formset"].total_error_count()
    assert current_mapping() == [MappingRow(*r) for r in DEFAULT_MAPPING]


def test_a_target_field_takes_one_lead_field(client_as, admin):
    rows = [("company", "account_name", "", ""), ("last_name", "account_name", "", "")]
    response = client_as(admin).post(URL, posted(rows))
    assert response.status_code == 422
    assert response.context["formset"].forms[1].errors["account_field"] == [
        "Account Name already takes the lead's Company; a field takes one lead field."
    ]
    assert "Nothing was saved" in response.content.decode()


def test_a_custom_date_does_not_go_into_a_custom_number(client_as, admin):
    CustomField.objects.create(module="leads", name="cf_met", label="Met On", field_type="date")
    CustomField.objects.create(module="accounts", name="cf_size", label="Size", field_type="number")
    response = client_as(admin).post(URL, posted([("cf_met", "cf_size", "", "")]))
    assert response.status_code == 422
    assert response.context["formset"].forms[0].errors["account_field"] == [
        "Size is a number field and cannot take the lead's Met On (a date field)."
    ]
    assert "Size is a number field and cannot take the lead&#x27;s Met On" in response.content.decode()


def test_restore_defaults(client_as, admin):
    LeadFieldMapping.objects.all().delete()
    response = client_as(admin).post(URL, {"action": "reset"})
    assert response.status_code == 302
    assert current_mapping() == [MappingRow(*row) for row in DEFAULT_MAPPING]


def test_rows_naming_a_deleted_custom_field_are_flagged(client_as, admin):
    field = CustomField.objects.create(module="leads", name="cf_region", label="Region", field_type="text")
    LeadFieldMapping.objects.create(lead_field="cf_region", account_field="ticker_symbol", position=99)
    field.delete()
    page = client_as(admin).get(URL)
    assert "no longer exist (Lead cf_region)" in page.content.decode()
    assert len(page.context["formset"].forms) == len(DEFAULT_MAPPING) + 3
