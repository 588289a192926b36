"""The Leads module beyond the generic suite: its fields and picklists, the Convert Lead button, and converted
leads gone from every list, picker and page."""

import pytest
from django.urls import reverse

from leads.mapping import DEFAULT_MAPPING, current_mapping
from leads.models import Lead
from leads.services import lead_convert
from secondcrm.picklists.models import PicklistValue
from secondcrm.records.services import tags_set
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"records:{name}", kwargs={"module": "leads", **kwargs})


def test_add_lead_marks_last_name_and_company_mandatory(client_as, staff):
    response = client_as(staff).post(url("add"), {"first_name": "Ada", "assigned_to": f"user:{staff.pk}"})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {"last_name", "company"}
    page = client_as(staff).get(url("add")).content.decode()
    for block in ("Lead Information", "Address Information", "Description Information"):
        assert block in page


def test_lead_picklists_are_seeded_with_qualified_as_a_system_status():
    statuses = list(PicklistValue.objects.filter(module="leads", field="lead_status").values_list("value", flat=True))
    assert statuses[0] == "Attempted to Contact" and "Qualified" in statuses and len(statuses) == 11
    assert PicklistValue.objects.get(module="leads", field="lead_status", value="Qualified").is_system
    sources = PicklistValue.objects.filter(module="leads", field="lead_source").values_list("value", flat=True)
    assert list(sources) == list(
        PicklistValue.objects.filter(module="contacts", field="lead_source").values_list("value", flat=True)
    )
    for field in ("salutation", "rating", "industry"):
        assert PicklistValue.objects.filter(module="leads", field=field).exists(), field


def test_a_new_installation_has_the_default_mapping():
    assert [tuple(vars(row).values()) for row in current_mapping()] == [tuple(row) for row in DEFAULT_MAPPING]


def test_lead_reads_as_name_and_company(staff):
    lead = LeadFactory(assigned_user=staff, first_name="Nora", last_name="Lindqvist", company="Borealis")
    assert str(lead) == "Nora Lindqvist (Borealis)"


def test_convert_lead_button_for_those_who_may_edit(client_as, staff, management):
    lead = LeadFactory(assigned_user=staff)
    convert = reverse("leads:convert", kwargs={"pk": lead.pk})
    assert convert in client_as(staff).get(lead.get_absolute_url()).content.decode()
    assert convert not in client_as(management).get(lead.get_absolute_url()).content.decode()
    # Other modules have no such button.
    assert "Convert Lead" not in client_as(staff).get(url("list")).content.decode()


def test_converted_leads_leave_lists_pickers_search_and_pages(client_as, staff):
    kept = LeadFactory(assigned_user=staff, last_name="Kept Lead")
    converted = LeadFactory(assigned_user=staff, last_name="Converted Lead")
    tags_set(record=converted, add=["expo"], acting_user=staff)
    tags_set(record=kept, add=["expo"], acting_user=staff)
    lead_convert(lead=converted, account=True, acting_user=staff)
    client = client_as(staff)

    rows = list(client.get(url("list")).context["table"].data)
    assert kept in rows and converted not in rows
    found = client.get(url("list"), {"search_value": "Lead", "search_in": "last_name"}).context["table"].data
    assert list(found) == [kept]
    picked = client.get(url("picker"), {"q": "Lead"}).json()["results"]
    assert [match["id"] for match in picked] == [kept.pk]
    tagged = client.get(reverse("records:tagged", kwargs={"slug": "expo"})).content.decode()
    assert kept.get_absolute_url() in tagged and converted.get_absolute_url() not in tagged
    for page in (converted.get_absolute_url(), url("edit", pk=converted.pk), url("duplicate", pk=converted.pk)):
        assert client.get(page).status_code == 404, page
    # Kept, for the records it became.
    assert Lead.all_objects.filter(pk=converted.pk, converted=True).exists()
    assert not Lead.objects.filter(pk=converted.pk).exists()
