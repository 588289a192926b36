"""The public endpoint: a web site's post becomes a lead of the form's owner; spam, floods and bad input get a
clear answer and create nothing."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.urls import reverse

from leads.models import Lead
from secondcrm.records.models import CustomField, Update
from tests.webforms.conftest import make_web_form
from webforms.models import WebForm

pytestmark = pytest.mark.django_db


def test_a_post_creates_a_lead_assigned_to_the_owner_and_sends_the_visitor_on(post_lead, web_form, staff):
    response = post_lead(web_form, description="Please call me about 40 licences.")
    assert response.status_code == 303
    assert response["Location"] == "https://www.example.com/thanks"

    lead = Lead.objects.get()
    assert (lead.first_name, lead.last_name, lead.company) == ("Ada", "Lovelace", "Analytical Engines")
    assert lead.email == "ada@ae.example"
    assert lead.description == "Please call me about 40 licences."
    assert lead.assigned_user == staff and lead.assigned_group is None
    assert lead.lead_source == "Web Site"  # the form does not ask for it
    assert lead.number.startswith("LEA")
    # Updates: the owner created it (no one was signed in).
    update = Update.objects.get(content_type=ContentType.objects.get_for_model(Lead), object_id=lead.pk)
    assert (update.user, update.action) == (staff, Update.Action.CREATED)
    assert lead.created_by == staff
    web_form.refresh_from_db()
    assert web_form.lead_count == 1 and web_form.last_lead_at is not None


def test_the_owner_sees_the_lead_in_their_list(post_lead, web_form, staff, client_as):
    post_lead(web_form, last_name="Hopper")
    lead = Lead.objects.get()
    assert Lead.objects.visible_to(staff, "view").filter(pk=lead.pk).exists()
    assert "Hopper" in client_as(staff).get(lead.get_absolute_url()).content.decode()


def test_a_group_owner_gets_the_lead(post_lead, staff):
    sales = Group.objects.create(name="Web Sales")
    staff.groups.add(sales)
    web_form = make_web_form(sales)
    assert post_lead(web_form).status_code == 303
    lead = Lead.objects.get()
    assert lead.assigned_group == sales and lead.assigned_user is None
    assert lead.created_by is None  # the system wrote it: no user acted


def test_without_a_thank_you_page_the_crm_thanks_the_visitor(post_lead, visitor, staff):
    web_form = make_web_form(staff, thank_you_url="")
    response = post_lead(web_form)
    thanks = reverse("webforms:thanks", kwargs={"key": web_form.key})
    assert response.status_code == 303 and response["Location"] == thanks
    page = visitor.get(thanks)
    assert page.status_code == 200
    assert "Thank you" in page.content.decode()


def test_lead_source_on_the_form_is_the_visitors_choice(post_lead, staff):
    web_form = make_web_form(staff, fields=[{"name": "lead_source", "required": False}])
    from secondcrm.picklists.models import PicklistValue

    PicklistValue.objects.get_or_create(module="leads", field="lead_source", value="Trade Show")
    assert post_lead(web_form, email=None, first_name=None, lead_source="Trade Show").status_code == 303
    assert Lead.objects.get().lead_source == "Trade Show"


def test_a_custom_field_is_stored_in_the_leads_custom_values(post_lead, staff):
    CustomField.objects.create(module="leads", name="cf_budget", label="Budget", field_type=CustomField.Type.CURRENCY)
    web_form = make_web_form(staff, fields=[{"name": "cf_budget", "required": True}])
    assert post_lead(web_form, email=None, first_name=None, cf_budget="1200.50").status_code == 303
    assert Lead.objects.get().custom == {"cf_budget": "1200.50"}


def test_the_post_needs_no_csrf_token_nor_session(visitor, web_form):
    # The visitor's client enforces CSRF like a real browser post and carries no cookie at all.
    url = reverse("webforms:submit", kwargs={"key": web_form.key})
    response = visitor.post(url, {"last_name": "Turing", "company": "Bletchley", "email": "alan@b.example"})
    assert response.status_code == 303
    assert not visitor.cookies
    assert Lead.objects.filter(last_name="Turing").exists()


def test_get_is_not_allowed(visitor, web_form):
    response = visitor.get(reverse("webforms:submit", kwargs={"key": web_form.key}))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert Lead.objects.count() == 0


def test_an_inactive_or_unknown_form_is_not_found(post_lead, web_form, staff):
    web_form.active = False
    web_form.save()
    response = post_lead(web_form)
    assert response.status_code == 404
    assert "Form not available" in response.content.decode()
    unknown = WebForm(key="00000000-0000-4000-8000-000000000000", name="gone", owner_user=staff)
    assert post_lead(unknown).status_code == 404
    assert Lead.objects.count() == 0


def test_the_honeypot_answers_like_a_success_and_creates_nothing(post_lead, web_form):
    response = post_lead(web_form, website_url_confirm="http://spam.example")
    assert response.status_code == 303
    assert response["Location"] == web_form.thank_you_url
    assert Lead.objects.count() == 0
    web_form.refresh_from_db()
    assert web_form.lead_count == 0


def test_an_empty_honeypot_is_what_people_send(post_lead, web_form):
    assert post_lead(web_form, website_url_confirm="").status_code == 303
    assert Lead.objects.count() == 1


def test_a_missing_mandatory_field_is_refused_with_its_name(post_lead, web_form):
    response = post_lead(web_form, company=None)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Company: This field is required." in body
    assert "Nothing was saved" in body
    assert Lead.objects.count() == 0


def test_a_field_the_form_requires_is_refused_when_empty(post_lead, web_form):
    response = post_lead(web_form, email="")
    assert response.status_code == 400
    assert "Email: This field is required." in response.content.decode()
    assert Lead.objects.count() == 0


def test_an_oversized_value_is_refused(post_lead, web_form):
    response = post_lead(web_form, last_name="L" * 81)
    assert response.status_code == 400
    assert "Last Name: Ensure this value has at most 80 characters (it has 81)." in response.content.decode()
    assert Lead.objects.count() == 0


def test_an_invalid_email_is_refused(post_lead, web_form):
    response = post_lead(web_form, email="not an address")
    assert response.status_code == 400
    assert "Email: Enter a valid email address." in response.content.decode()


def test_an_unknown_field_is_refused_and_its_name_escaped(post_lead, web_form):
    response = post_lead(web_form, **{"<b>budget</b>": "lots", "lead_status": "Hot"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "“&lt;b&gt;budget&lt;/b&gt;” is not a field of this form." in body
    assert "<b>budget</b>" not in body
    # A Lead field the form does not ask for is just as unknown: a visitor cannot set the status.
    assert "“lead_status” is not a field of this form." in body
    assert Lead.objects.count() == 0


def test_a_null_character_is_refused_not_a_server_error(post_lead, web_form):
    response = post_lead(web_form, first_name="Ada\x00")
    assert response.status_code == 400
    assert Lead.objects.count() == 0


@override_settings(WEBFORM_RATE_LIMIT_PER_IP=3)
def test_too_many_posts_from_one_address_are_refused_for_a_while(post_lead, web_form, staff):
    statuses = [post_lead(web_form, last_name=f"Sender {n}").status_code for n in range(4)]
    assert statuses == [303, 303, 303, 429]
    refused = post_lead(web_form)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many forms were sent from here" in refused.content.decode()
    assert Lead.objects.count() == 3
    # Another address is not held back, nor is another form from the same address.
    other_address = post_lead(web_form, headers={"X-Forwarded-For": "203.0.113.9"})
    assert other_address.status_code == 303
    other_form = make_web_form(staff, name="Newsletter")
    assert post_lead(other_form).status_code == 303


@override_settings(WEBFORM_RATE_LIMIT_PER_FORM=2)
def test_a_flood_from_many_addresses_is_bounded_per_form(post_lead, web_form):
    statuses = [post_lead(web_form, headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(1, 4)]
    assert statuses == [303, 303, 429]
    assert Lead.objects.count() == 2


@override_settings(WEBFORM_RATE_LIMIT_PER_IP=1)
def test_the_honeypot_counts_toward_the_rate_limit(post_lead, web_form):
    assert post_lead(web_form, website_url_confirm="spam").status_code == 303
    assert post_lead(web_form).status_code == 429
    assert Lead.objects.count() == 0


def test_listed_web_sites_may_post_and_read_the_answer(post_lead, staff):
    web_form = make_web_form(staff, allowed_origins=["https://www.example.com"])
    response = post_lead(web_form, headers={"Origin": "https://www.example.com"})
    assert response.status_code == 303
    assert response["Access-Control-Allow-Origin"] == "https://www.example.com"
    assert "Origin" in response["Vary"]

    refused = post_lead(web_form, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused
    assert Lead.objects.count() == 1


def test_a_preflight_of_a_listed_site_is_answered(visitor, staff):
    web_form = make_web_form(staff, allowed_origins=["https://www.example.com"])
    url = reverse("webforms:submit", kwargs={"key": web_form.key})
    response = visitor.options(url, headers={"Origin": "https://www.example.com"})
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "https://www.example.com"
    assert response["Access-Control-Allow-Methods"] == "POST"


def test_without_a_list_any_site_may_post_and_no_cors_header_is_given(post_lead, web_form):
    response = post_lead(web_form, headers={"Origin": "https://anywhere.example"})
    assert response.status_code == 303
    assert "Access-Control-Allow-Origin" not in response


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_a_post_with_too_many_fields_is_a_bad_request_not_a_server_error(post_lead, web_form):
    response = post_lead(web_form, **{f"extra{n}": "x" for n in range(20)})
    assert response.status_code == 400
    assert Lead.objects.count() == 0


def test_the_thank_you_page_of_an_unknown_form_is_not_found(visitor):
    url = reverse("webforms:thanks", kwargs={"key": "00000000-0000-4000-8000-000000000000"})
    assert visitor.get(url).status_code == 404
