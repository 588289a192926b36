"""Convert Lead on PostgreSQL: what the new records get (mapping, custom fields, typed values), the existing
account rule, rights, the one transaction, and what moves from the lead to the new records."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Account, Contact
from leads.models import Lead, LeadFieldMapping
from leads.services import ConversionError, lead_convert
from potentials.models import Potential, PotentialContactRole
from secondcrm.access.models import HiddenField, ModuleRight, Profile, SharingDefault
from secondcrm.documents.models import DocumentLink
from secondcrm.picklists.models import PicklistValue
from secondcrm.records.models import Comment, CustomField, Update
from secondcrm.records.services import comment_add, tags_set
from tests.factories import AccountFactory, DocumentFactory, LeadFactory, attach

pytestmark = pytest.mark.django_db

CLOSE = datetime.date(2031, 3, 31)
POTENTIAL = {
    "potential_name": "Borealis - first order",
    "amount": Decimal("25000.00"),
    "sales_stage": "Qualification",
    "expected_close_date": CLOSE,
}


def convert_url(lead) -> str:
    return reverse("leads:convert", kwargs={"pk": lead.pk})


def full_lead(owner, **fields) -> Lead:
    values = {
        "salutation": "Dr.",
        "first_name": "Nora",
        "last_name": "Lindqvist",
        "company": "Borealis Trading",
        "designation": "Head of Purchasing",
        "email": "nora@borealis.example",
        "secondary_email": "nora.l@home.example",
        "phone": "+65 6222 0101",
        "mobile": "+65 9123 4567",
        "fax": "+65 6222 0102",
        "website": "https://borealis.example",
        "lead_source": "Trade Show",
        "rating": "Active",
        "industry": "Shipping",
        "annual_revenue": Decimal("1250000.00"),
        "employees": 85,
        "street": "8 Marina View",
        "po_box": "PO 77",
        "city": "Singapore",
        "state": "Central",
        "postal_code": "018960",
        "country": "Singapore",
        "description": "Met at the logistics fair.",
    }
    return LeadFactory(assigned_user=owner, **(values | fields))


def set_rights(preset: str, module: str, **rights) -> None:
    ModuleRight.objects.update_or_create(
        profile=Profile.objects.get(preset=preset),
        module=module,
        defaults={f"can_{right}": value for right, value in rights.items()},
    )


def dialog_data(owner, **overrides) -> dict:
    """What the Convert Lead dialog posts with Account and Contact ticked, the names prefilled and the new
    records assigned to ``owner``."""
    data = {
        "convert-assigned_to": f"user:{owner.pk}",
        "convert-create_account": "on",
        "convert-account_name": "Borealis Trading",
        "convert-create_contact": "on",
        "convert-first_name": "Nora",
        "convert-last_name": "Lindqvist",
        "convert-email": "nora@borealis.example",
        "convert-potential_name": "Borealis - first order",
        "convert-amount": "25000",
        "convert-sales_stage": "Qualification",
        "convert-expected_close_date": "2031-03-31",
    }
    return {key: value for key, value in (data | overrides).items() if value is not None}


# --- the default mapping --------------------------------------------------------------------------------------


def test_default_mapping_fills_account_contact_and_potential(staff):
    lead = full_lead(staff)
    conversion = lead_convert(lead=lead, account=True, contact=True, potential=POTENTIAL, acting_user=staff)
    account, contact, potential = conversion.account, conversion.contact, conversion.potential

    assert not conversion.account_reused and conversion.skipped == []
    assert account.account_name == "Borealis Trading"
    assert (account.email, account.phone, account.fax) == ("nora@borealis.example", "+65 6222 0101", "+65 6222 0102")
    assert (account.website, account.industry, account.rating) == ("https://borealis.example", "Shipping", "Active")
    assert (account.employees, account.annual_revenue) == (85, Decimal("1250000.00"))
    billing = (account.bill_street, account.bill_po_box, account.bill_city, account.bill_state, account.bill_code)
    shipping = (account.ship_street, account.ship_po_box, account.ship_city, account.ship_state, account.ship_code)
    assert billing == shipping == ("8 Marina View", "PO 77", "Singapore", "Central", "018960")
    assert account.bill_country == account.ship_country == "Singapore"
    assert account.description == "Met at the logistics fair."

    assert (contact.salutation, contact.first_name, contact.last_name) == ("Dr.", "Nora", "Lindqvist")
    assert (contact.title, contact.lead_source, contact.account) == ("Head of Purchasing", "Trade Show", account)
    assert (contact.email, contact.secondary_email) == ("nora@borealis.example", "nora.l@home.example")
    assert (contact.office_phone, contact.mobile, contact.fax) == ("+65 6222 0101", "+65 9123 4567", "+65 6222 0102")
    assert (contact.mailing_street, contact.mailing_code, contact.mailing_country) == (
        "8 Marina View",
        "018960",
        "Singapore",
    )
    assert contact.description == "Met at the logistics fair."

    assert potential.potential_name == "Borealis - first order"  # typed, over the mapped company name
    assert (potential.account, potential.contact) == (account, contact)
    assert (potential.amount, potential.sales_stage, potential.expected_close_date) == (
        Decimal("25000.00"),
        "Qualification",
        CLOSE,
    )
    assert potential.lead_source == "Trade Show" and potential.description == "Met at the logistics fair."
    assert PotentialContactRole.objects.filter(potential=potential, contact=contact).exists()

    # Made through the platform: numbered, owned and logged as the converting user.
    for record, prefix in ((account, "ACC"), (contact, "CON"), (potential, "POT")):
        assert record.number.startswith(prefix)
        assert record.assigned_user == staff and record.created_by == staff
        assert record.updates.filter(action=Update.Action.CREATED, user=staff).exists()

    lead = Lead.all_objects.get(pk=lead.pk)
    assert lead.converted and lead.converted_at is not None and lead.converted_by == staff
    assert lead.lead_status == "Qualified"
    assert (lead.converted_account, lead.converted_contact, lead.converted_potential) == (account, contact, potential)


def test_values_typed_in_the_dialog_win_over_mapped_ones(staff):
    lead = full_lead(staff)
    conversion = lead_convert(
        lead=lead,
        account=True,
        account_values={"account_name": "Borealis Holdings"},
        contact=True,
        contact_values={"first_name": "Nora B.", "email": "buyer@borealis.example"},
        acting_user=staff,
    )
    assert conversion.account.account_name == "Borealis Holdings"
    assert (conversion.contact.first_name, conversion.contact.email) == ("Nora B.", "buyer@borealis.example")
    assert conversion.contact.last_name == "Lindqvist"  # not typed: mapped
    assert conversion.potential is None


def test_a_field_emptied_in_the_dialog_stays_empty(client_as, staff):
    lead = full_lead(staff)
    response = client_as(staff).post(convert_url(lead), dialog_data(staff, **{"convert-email": ""}))
    assert response.status_code == 302
    contact = Contact.objects.get(last_name="Lindqvist")
    assert contact.email == "" and contact.office_phone == "+65 6222 0101"


def test_contact_only_conversion_needs_no_account(staff):
    lead = full_lead(staff)
    conversion = lead_convert(lead=lead, contact=True, acting_user=staff)
    assert conversion.account is None and conversion.contact.account is None
    assert conversion.landing == conversion.contact
    assert not Account.objects.filter(account_name="Borealis Trading").exists()


def test_new_records_are_assigned_to_the_chosen_user(manager, staff):
    lead = full_lead(manager)
    conversion = lead_convert(lead=lead, account=True, contact=True, assigned_to=staff, acting_user=manager)
    assert conversion.account.assigned_user == staff and conversion.contact.assigned_user == staff
    assert conversion.account.created_by == manager


def test_a_mapped_value_the_new_record_refuses_is_left_out_and_reported(staff):
    # "Aerospace" exists for leads only: the account's Industry picklist does not offer it.
    PicklistValue.objects.create(module="leads", field="industry", value="Aerospace", position=99).roles.set(
        [staff.role]
    )
    lead = full_lead(staff, industry="Aerospace")
    conversion = lead_convert(lead=lead, account=True, acting_user=staff)
    assert conversion.account.industry == ""
    assert len(conversion.skipped) == 1 and conversion.skipped[0].startswith("Account Industry:")


def test_lead_fields_hidden_from_the_user_are_not_revealed_by_converting(client_as, staff, admin):
    HiddenField.objects.create(module="leads", field="annual_revenue")
    HiddenField.objects.create(module="leads", field="email")
    lead = full_lead(staff)
    assert client_as(staff).get(convert_url(lead)).context["form"].initial["email"] == ""
    conversion = lead_convert(lead=lead, account=True, contact=True, acting_user=staff)
    assert conversion.account.annual_revenue is None and conversion.account.email == ""
    assert conversion.contact.email == ""
    # An admin sees every field, and converts them all.
    other = lead_convert(lead=full_lead(staff, company="Admin Co"), account=True, acting_user=admin)
    assert other.account.annual_revenue == Decimal("1250000.00")


# --- custom fields ------------------------------------------------------------------------------------------


def test_custom_fields_are_carried_over_as_mapped(staff):
    CustomField.objects.create(module="leads", name="cf_budget", label="Budget", field_type="currency")
    CustomField.objects.create(module="leads", name="cf_region", label="Region", field_type="text")
    CustomField.objects.create(module="leads", name="cf_first_met", label="First Met", field_type="date")
    CustomField.objects.create(module="potentials", name="cf_budget", label="Budget", field_type="decimal")
    CustomField.objects.create(module="accounts", name="cf_region", label="Sales Region", field_type="text")
    CustomField.objects.create(module="contacts", name="cf_met_on", label="Met On", field_type="date")
    LeadFieldMapping.objects.create(lead_field="cf_budget", potential_field="cf_budget", position=100)
    LeadFieldMapping.objects.create(lead_field="cf_region", account_field="cf_region", position=101)
    LeadFieldMapping.objects.create(lead_field="cf_first_met", contact_field="cf_met_on", position=102)
    # A standard lead field into a custom field, too.
    CustomField.objects.create(module="contacts", name="cf_company", label="Company Then", field_type="text")
    LeadFieldMapping.objects.create(lead_field="company", contact_field="cf_company", position=103)

    lead = full_lead(staff, custom={"cf_budget": "40000.00", "cf_region": "APAC", "cf_first_met": "2030-05-04"})
    conversion = lead_convert(lead=lead, account=True, contact=True, potential=POTENTIAL, acting_user=staff)

    assert Decimal(conversion.potential.custom["cf_budget"]) == Decimal("40000")
    assert conversion.account.custom["cf_region"] == "APAC"
    assert conversion.contact.custom == {"cf_met_on": "2030-05-04", "cf_company": "Borealis Trading"}


def test_a_mapping_row_whose_custom_field_was_deleted_is_skipped(staff):
    field = CustomField.objects.create(module="leads", name="cf_region", label="Region", field_type="text")
    LeadFieldMapping.objects.filter(lead_field="description").delete()
    LeadFieldMapping.objects.create(lead_field="cf_region", account_field="description", position=100)
    field.delete()
    lead = full_lead(staff, custom={"cf_region": "APAC"})
    conversion = lead_convert(lead=lead, account=True, acting_user=staff)
    assert conversion.account.description == ""


# --- the existing account -----------------------------------------------------------------------------------


def test_an_existing_account_of_the_same_name_is_linked_not_duplicated(client_as, staff):
    existing = AccountFactory(assigned_user=staff, account_name="Borealis Trading", phone="+65 6000 0000")
    lead = full_lead(staff, company="BOREALIS trading")
    dialog = client_as(staff).get(convert_url(lead)).content.decode()
    assert "already exists" in dialog and existing.number in dialog

    conversion = lead_convert(lead=lead, account=True, contact=True, potential=POTENTIAL, acting_user=staff)
    assert conversion.account == existing and conversion.account_reused
    assert Account.objects.filter(account_name__iexact="borealis trading").count() == 1
    assert conversion.contact.account == existing and conversion.potential.account == existing
    existing.refresh_from_db()
    assert existing.phone == "+65 6000 0000"  # linked, not overwritten
    assert Lead.all_objects.get(pk=lead.pk).converted_account == existing


def test_an_account_the_user_cannot_see_is_not_linked(staff, staff_east):
    hidden = AccountFactory(assigned_user=staff_east, account_name="Borealis Trading")
    conversion = lead_convert(lead=full_lead(staff), account=True, acting_user=staff)
    assert conversion.account != hidden and not conversion.account_reused


def test_linking_needs_no_right_to_create_accounts(client_as, staff):
    set_rights(Profile.Preset.STAFF, "accounts", view=True, create=False, edit=True)
    existing = AccountFactory(assigned_user=staff, account_name="Borealis Trading")
    lead = full_lead(staff)
    response = client_as(staff).post(convert_url(lead), dialog_data(staff))
    assert response.status_code == 302 and response.url == existing.get_absolute_url()


# --- bad choices and refusals ----------------------------------------------------------------------------


def test_a_potential_requires_an_account(client_as, staff):
    lead = full_lead(staff)
    with pytest.raises(ConversionError, match="belongs to an account"):
        lead_convert(lead=lead, contact=True, potential=POTENTIAL, acting_user=staff)
    response = client_as(staff).post(
        convert_url(lead), dialog_data(staff, **{"convert-create_account": None, "convert-create_potential": "on"})
    )
    assert response.status_code == 422
    assert "A potential belongs to an account: tick Account too." in response.content.decode()
    assert not Contact.objects.filter(last_name="Lindqvist").exists()


def test_at_least_an_account_or_a_contact(client_as, staff):
    lead = full_lead(staff)
    with pytest.raises(ConversionError):
        lead_convert(lead=lead, acting_user=staff)
    response = client_as(staff).post(
        convert_url(lead), dialog_data(staff, **{"convert-create_account": None, "convert-create_contact": None})
    )
    assert response.status_code == 422 and "Tick Account or Contact" in response.content.decode()


def test_a_close_date_in_a_wrong_format_is_a_clear_error(client_as, staff):
    lead = full_lead(staff)
    data = dialog_data(staff, **{"convert-create_potential": "on", "convert-expected_close_date": "31/31/2031"})
    response = client_as(staff).post(convert_url(lead), data)
    assert response.status_code == 422
    assert "Enter the expected close date as a date" in response.content.decode()
    assert not Lead.all_objects.get(pk=lead.pk).converted


def test_the_potential_section_asks_for_its_mandatory_fields(client_as, staff):
    lead = full_lead(staff)
    data = dialog_data(staff, **{"convert-create_potential": "on", "convert-expected_close_date": ""})
    response = client_as(staff).post(convert_url(lead), data)
    assert response.status_code == 422
    assert response.context["form"].errors["expected_close_date"] == ["This field is required."]


def test_an_already_converted_lead_is_refused(client_as, staff):
    lead = full_lead(staff)
    lead_convert(lead=lead, account=True, acting_user=staff)
    with pytest.raises(ConversionError, match="already been converted"):
        lead_convert(lead=lead, contact=True, acting_user=staff)
    assert Contact.objects.filter(last_name="Lindqvist").count() == 0
    # Its pages are gone like those of any record the user cannot see.
    assert client_as(staff).get(convert_url(lead)).status_code == 404
    assert client_as(staff).post(convert_url(lead), dialog_data(staff)).status_code == 404


def test_staff_cannot_convert_a_lead_they_may_not_edit(client_as, staff, manager):
    SharingDefault.objects.update_or_create(module="leads", defaults={"access": SharingDefault.Access.PUBLIC_READ})
    lead = full_lead(manager)
    client = client_as(staff)
    detail = client.get(lead.get_absolute_url())
    assert detail.status_code == 200 and "Convert Lead" not in detail.content.decode()
    assert client.get(convert_url(lead)).status_code == 403
    assert client.post(convert_url(lead), dialog_data(staff)).status_code == 403
    with pytest.raises(PermissionDenied):
        lead_convert(lead=lead, account=True, contact=True, acting_user=staff)
    assert not Lead.all_objects.get(pk=lead.pk).converted
    assert not Account.objects.filter(account_name="Borealis Trading").exists()


def test_a_lead_the_user_cannot_see_is_404(client_as, staff, staff_east):
    lead = full_lead(staff_east)
    assert client_as(staff).get(convert_url(lead)).status_code == 404


def test_management_reads_leads_but_cannot_convert_them(client_as, management, staff):
    lead = full_lead(staff)
    assert client_as(management).get(lead.get_absolute_url()).status_code == 200
    assert client_as(management).get(convert_url(lead)).status_code == 403


def test_without_the_right_to_create_contacts(client_as, staff):
    set_rights(Profile.Preset.STAFF, "contacts", view=True, create=False, edit=True)
    lead = full_lead(staff)
    client = client_as(staff)
    dialog = client.get(convert_url(lead))
    assert "You may not create contacts." in dialog.content.decode()
    assert dialog.context["form"].fields["create_contact"].disabled
    with pytest.raises(PermissionDenied, match="You may not create contacts"):
        lead_convert(lead=lead, account=True, contact=True, acting_user=staff)
    assert not Account.objects.filter(account_name="Borealis Trading").exists()  # the account went too
    # The ticked box of a disabled section is ignored: the account alone is made.
    response = client.post(convert_url(lead), dialog_data(staff))
    assert response.status_code == 302
    assert Lead.all_objects.get(pk=lead.pk).converted_contact is None


def test_without_the_right_to_create_potentials_the_service_refuses(staff):
    set_rights(Profile.Preset.STAFF, "potentials", view=True, create=False, edit=True)
    lead = full_lead(staff)
    with pytest.raises(PermissionDenied, match="You may not create potentials"):
        lead_convert(lead=lead, account=True, contact=True, potential=POTENTIAL, acting_user=staff)
    assert not Lead.all_objects.get(pk=lead.pk).converted


def test_a_new_record_the_user_could_not_see_is_refused(staff, manager):
    # Staff cannot see records owned by the Manager above them: assigning the new records there is refused.
    lead = full_lead(staff)
    with pytest.raises(ConversionError, match="could no longer see"):
        lead_convert(lead=lead, account=True, assigned_to=manager, acting_user=staff)
    assert not Account.objects.filter(account_name="Borealis Trading").exists()


# --- one transaction ----------------------------------------------------------------------------------------


def lead_with_attachments(owner):
    lead = full_lead(owner)
    comment_add(record=lead, body="Call back after the fair.", acting_user=owner)
    tags_set(record=lead, add=["hot", "fair"], acting_user=owner)
    document = DocumentFactory(assigned_user=owner)
    attach(document, lead)
    return lead, document


def assert_untouched(lead, document):
    lead = Lead.all_objects.get(pk=lead.pk)
    assert not lead.converted and lead.converted_at is None and lead.lead_status == "Hot"
    assert [c.body for c in lead.comments.all()] == ["Call back after the fair."]
    assert set(lead.tags.names()) == {"hot", "fair"}
    assert DocumentLink.objects.filter(document=document, object_id=lead.pk).count() == 1
    assert not Account.objects.filter(account_name="Borealis Trading").exists()
    assert not Contact.objects.filter(last_name="Lindqvist").exists()
    assert not Potential.objects.exists()


def test_a_refused_potential_leaves_the_lead_untouched(staff):
    lead, document = lead_with_attachments(staff)
    with pytest.raises(ConversionError, match="Potential: Amount"):
        lead_convert(
            lead=lead, account=True, contact=True, potential=POTENTIAL | {"amount": Decimal("-5")}, acting_user=staff
        )
    assert_untouched(lead, document)


def test_a_failure_while_saving_the_potential_rolls_everything_back(staff, monkeypatch):
    lead, document = lead_with_attachments(staff)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Potential, "save", fail)
    with pytest.raises(RuntimeError):
        lead_convert(lead=lead, account=True, contact=True, potential=POTENTIAL, acting_user=staff)
    assert_untouched(lead, document)


def test_a_failure_seen_in_the_dialog_keeps_the_lead(client_as, staff):
    lead, document = lead_with_attachments(staff)
    data = dialog_data(staff, **{"convert-create_potential": "on", "convert-sales_stage": "Not A Stage"})
    response = client_as(staff).post(convert_url(lead), data)
    assert response.status_code == 422
    assert_untouched(lead, document)


# --- what moves ---------------------------------------------------------------------------------------------


def test_comments_documents_and_tags_move_to_the_new_records(staff):
    lead, document = lead_with_attachments(staff)
    conversion = lead_convert(lead=lead, account=True, contact=True, potential=POTENTIAL, acting_user=staff)

    assert [c.body for c in conversion.contact.comments.all()] == ["Call back after the fair."]
    assert not conversion.account.comments.exists()
    lead_type = ContentType.objects.get_for_model(Lead)
    assert not Comment.objects.filter(content_type=lead_type, object_id=lead.pk).exists()

    linked = {(link.content_type.model, link.object_id) for link in DocumentLink.objects.filter(document=document)}
    assert linked == {
        ("account", conversion.account.pk),
        ("contact", conversion.contact.pk),
        ("potential", conversion.potential.pk),
    }
    for record in conversion.records:
        assert set(record.tags.names()) == {"hot", "fair"}
    assert not Lead.all_objects.get(pk=lead.pk).tags.exists()


def test_comments_go_to_the_account_without_a_contact(staff):
    lead, _ = lead_with_attachments(staff)
    conversion = lead_convert(lead=lead, account=True, acting_user=staff)
    assert [c.body for c in conversion.account.comments.all()] == ["Call back after the fair."]


# --- through the dialog ----------------------------------------------------------------------------------------


def test_the_dialog_is_prefilled_from_the_lead(client_as, staff):
    lead = full_lead(staff)
    response = client_as(staff).get(convert_url(lead), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.templates[0].name == "leads/convert_dialog.html"
    form = response.context["form"]
    assert form.initial["account_name"] == "Borealis Trading"
    assert (form.initial["first_name"], form.initial["last_name"]) == ("Nora", "Lindqvist")
    assert form.initial["email"] == "nora@borealis.example"
    assert form.initial["potential_name"] == "Borealis Trading"
    assert form.initial["assigned_to"] == f"user:{staff.pk}"


def test_converting_through_the_dialog_lands_on_the_account(client_as, staff):
    lead = full_lead(staff)
    client = client_as(staff)
    response = client.post(
        convert_url(lead), dialog_data(staff, **{"convert-create_potential": "on"}), headers={"HX-Request": "true"}
    )
    account = Account.objects.get(account_name="Borealis Trading")
    assert response.status_code == 204 and response["HX-Redirect"] == account.get_absolute_url()

    page = client.get(account.get_absolute_url()).content.decode()
    assert f"Converted from Lead <strong>{lead.number}</strong>" in page
    assert "Borealis - first order" in page  # its Potentials tab
    contact = Contact.objects.get(last_name="Lindqvist")
    assert f"Converted from Lead <strong>{lead.number}</strong>" in client.get(contact.get_absolute_url()).text
    potential = Potential.objects.get()
    assert f"Converted from Lead <strong>{lead.number}</strong>" in client.get(potential.get_absolute_url()).text
    assert "Converted from Lead" not in client.get(AccountFactory(assigned_user=staff).get_absolute_url()).text


def test_the_dialog_without_javascript_is_a_page(client_as, staff):
    lead = full_lead(staff)
    client = client_as(staff)
    page = client.get(convert_url(lead))
    assert page.status_code == 200 and "<h1" in page.content.decode()
    response = client.post(convert_url(lead), dialog_data(staff), follow=True)
    assert response.redirect_chain[-1][0] == Account.objects.get(account_name="Borealis Trading").get_absolute_url()
    assert f"Lead {lead.number} converted: account Borealis Trading created, contact Nora Lindqvist created." in (
        response.content.decode()
    )


def test_lead_source_text_is_escaped_in_the_dialog(client_as, staff):
    lead = full_lead(staff, company="<b>Bold</b> & Co", last_name="<script>x</script>")
    body = client_as(staff).get(convert_url(lead)).content.decode()
    assert "<script>x</script>" not in body and "&lt;script&gt;" in body
