"""Settings > Web Forms: admins create, edit and delete web forms and copy their HTML; nobody else may."""

import html
import re

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse

from secondcrm.picklists.models import PicklistValue
from secondcrm.records.models import CustomField
from settings_admin.users.services import group_delete
from tests.webforms.conftest import make_web_form
from webforms.models import WebForm

pytestmark = pytest.mark.django_db


def form_post(owner: str, **changes) -> dict:
    """What the Add page posts: a name, an owner ("user:<id>"), and the fields to ask for."""
    data = {
        "name": "Contact us",
        "owner": owner,
        "thank_you_url": "https://www.example.com/thanks",
        "allowed_origins": "",
        "active": "on",
        "ask_first_name": "on",
        "ask_email": "on",
        "require_email": "on",
        "ask_description": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def snippet_of(response) -> str:
    """The snippet as the admin copies it: the text of the page's textarea, unescaped once."""
    match = re.search(r'<textarea[^>]*id="snippet"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    return html.unescape(match.group(1))


@pytest.mark.parametrize("persona", ["staff", "manager", "management"])
def test_only_admins_reach_the_web_form_pages(request, client_as, web_form, persona):
    client = client_as(request.getfixturevalue(persona))
    for name, args in [("list", []), ("add", []), ("edit", [web_form.pk]), ("html", [web_form.pk])]:
        assert client.get(reverse(f"webforms:{name}", args=args)).status_code == 403, name
    assert client.post(reverse("webforms:add"), form_post(f"user:{web_form.owner_user_id}")).status_code == 403
    assert client.post(reverse("webforms:delete", args=[web_form.pk])).status_code == 403
    assert WebForm.objects.count() == 1


def test_the_settings_page_links_to_web_forms(client_as, admin):
    body = client_as(admin).get(reverse("settings_admin:index")).content.decode()
    assert f'href="{reverse("webforms:list")}"' in body and "Web Forms" in body


def test_an_admin_creates_a_web_form_and_lands_on_its_html(client_as, admin, staff):
    response = client_as(admin).post(reverse("webforms:add"), form_post(f"user:{staff.pk}"))
    web_form = WebForm.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("webforms:html", args=[web_form.pk])
    assert web_form.owner_user == staff and web_form.owner_group is None
    assert web_form.created_by == admin
    assert web_form.thank_you_url == "https://www.example.com/thanks"
    # In layout order; Last Name and Company are always asked and required.
    assert web_form.fields == [
        {"name": "first_name", "required": False},
        {"name": "last_name", "required": True},
        {"name": "company", "required": True},
        {"name": "email", "required": True},
        {"name": "description", "required": False},
    ]


def test_mandatory_fields_cannot_be_left_out_or_made_optional(client_as, admin, staff):
    data = form_post(f"user:{staff.pk}", ask_last_name=None, require_last_name=None, ask_company=None)
    client_as(admin).post(reverse("webforms:add"), data)
    fields = {entry["name"]: entry["required"] for entry in WebForm.objects.get().fields}
    assert fields["last_name"] is True and fields["company"] is True


def test_a_group_can_receive_the_leads(client_as, admin):
    group = Group.objects.create(name="Inside Sales")
    client_as(admin).post(reverse("webforms:add"), form_post(f"group:{group.pk}"))
    web_form = WebForm.objects.get()
    assert web_form.owner_group == group and web_form.owner_user is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"thank_you_url": "javascript:alert(1)"}, "thank_you_url", "Enter a valid URL."),
        ({"thank_you_url": "ftp://files.example/thanks"}, "thank_you_url", "Enter a valid URL."),
        ({"allowed_origins": "https://www.example.com/contact"}, "allowed_origins", "Not a web site address"),
        ({"allowed_origins": "www.example.com"}, "allowed_origins", "Not a web site address"),
        ({"owner": "user:999999"}, "owner", "Select a valid choice."),
    ],
)
def test_bad_settings_are_refused_with_a_clear_error(client_as, admin, staff, changes, field, message):
    response = client_as(admin).post(reverse("webforms:add"), form_post(f"user:{staff.pk}") | changes)
    assert response.status_code == 422
    assert any(message in error for error in response.context["form"].errors[field])
    assert WebForm.objects.count() == 0


def test_a_form_name_is_unique(client_as, admin, web_form, staff):
    response = client_as(admin).post(reverse("webforms:add"), form_post(f"user:{staff.pk}", name=web_form.name))
    assert response.status_code == 422
    assert WebForm.objects.count() == 1


def test_notifying_an_owner_without_an_email_address_is_refused(client_as, admin, staff):
    staff.email = ""
    staff.save()
    response = client_as(admin).post(reverse("webforms:add"), form_post(f"user:{staff.pk}", notify_owner="on"))
    assert response.status_code == 422
    assert "This user has no email address to notify." in response.context["form"].errors["notify_owner"][0]


def test_allowed_web_sites_are_stored_as_origins(client_as, admin, staff):
    sites = "https://WWW.Example.com/\nhttp://shop.example:8080\n\nhttps://www.example.com:443"
    client_as(admin).post(reverse("webforms:add"), form_post(f"user:{staff.pk}", allowed_origins=sites))
    assert WebForm.objects.get().allowed_origins == ["https://www.example.com", "http://shop.example:8080"]


def test_an_admin_edits_a_web_form(client_as, admin, web_form, manager):
    client = client_as(admin)
    page = client.get(reverse("webforms:edit", args=[web_form.pk]))
    assert page.status_code == 200
    assert page.context["form"]["ask_email"].value() is True
    data = form_post(f"user:{manager.pk}", name="Contact us (new)", active=None, ask_description=None, ask_phone="on")
    response = client.post(reverse("webforms:edit", args=[web_form.pk]), data)
    assert response.status_code == 302
    web_form.refresh_from_db()
    assert (web_form.name, web_form.owner_user, web_form.active) == ("Contact us (new)", manager, False)
    assert "description" not in web_form.field_names and "phone" in web_form.field_names


def test_an_admin_deletes_a_web_form(client_as, admin, web_form):
    client = client_as(admin)
    assert "Delete Web Form Contact us?" in client.get(reverse("webforms:delete", args=[web_form.pk])).content.decode()
    response = client.post(reverse("webforms:delete", args=[web_form.pk]))
    assert response.status_code == 302
    assert not WebForm.objects.exists()


def test_unknown_web_form_pages_are_not_found(client_as, admin):
    assert client_as(admin).get(reverse("webforms:edit", args=[987654])).status_code == 404


def test_the_list_shows_each_form_with_its_owner_and_leads(client_as, admin, web_form):
    WebForm.objects.filter(pk=web_form.pk).update(lead_count=7)
    body = client_as(admin).get(reverse("webforms:list")).content.decode()
    assert "Contact us" in body and "Staff Persona" in body
    assert re.search(r'<td class="text-end">7</td>', body)
    assert reverse("webforms:html", args=[web_form.pk]) in body


@override_settings(ALLOWED_HOSTS=["crm.example.com"])
def test_get_html_gives_a_plain_form_posting_to_the_crm(client_as, admin, web_form):
    response = client_as(admin).get(reverse("webforms:html", args=[web_form.pk]), HTTP_HOST="crm.example.com")
    snippet = snippet_of(response)
    action = f"http://crm.example.com/w/{web_form.key}/"
    assert f'<form method="post" action="{action}"' in snippet
    for name in ("first_name", "last_name", "company", "email", "description"):
        assert f'name="{name}"' in snippet
    assert re.search(r'<input type="email" name="email"[^>]* required', snippet)
    assert re.search(r'<label for="[^"]+">Last Name \*</label>', snippet)
    assert "<textarea" in snippet  # the description
    # The honeypot: hidden from people, skipped by the keyboard, never filled in by the browser.
    honeypot = re.search(r'<input type="text"[^>]*name="website_url_confirm"[^>]*>', snippet).group(0)
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot
    assert "position:absolute;left:-10000px" in snippet
    assert '<button type="submit">Send</button>' in snippet
    assert "csrfmiddlewaretoken" not in snippet


def test_the_snippet_escapes_names_labels_and_values(client_as, admin, staff):
    CustomField.objects.create(
        module="leads", name="cf_interest", label='Interest <img src=x onerror="alert(1)">', field_type="picklist"
    )
    PicklistValue.objects.create(module="leads", field="cf_interest", value='"><script>alert(2)</script>')
    web_form = make_web_form(
        staff, name="Contact <script>alert(3)</script> -->", fields=[{"name": "cf_interest", "required": False}]
    )
    response = client_as(admin).get(reverse("webforms:html", args=[web_form.pk]))
    page = response.content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    snippet = snippet_of(response)
    assert "<script>" not in snippet and "<img" not in snippet
    assert snippet.splitlines()[0].count("-->") == 1  # the name cannot end the opening comment early
    assert "Interest &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in snippet
    assert '<option value="&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;">' in snippet  # widgets escape as Jinja2 does


def test_a_group_receiving_leads_cannot_be_deleted(admin):
    group = Group.objects.create(name="Inside Sales")
    make_web_form(group)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="receives the leads of the web form “Contact us”"):
        group_delete(group=group, acting_user=admin)
    assert Group.objects.filter(pk=group.pk).exists()


def test_the_groups_page_explains_why_the_group_stays(client_as, admin):
    group = Group.objects.create(name="Inside Sales")
    make_web_form(group)
    response = client_as(admin).post(reverse("settings_admin:group_delete", args=[group.pk]), follow=True)
    assert response.status_code == 200
    assert "Choose another owner for it in Settings &gt; Web Forms first." in response.content.decode()
    assert Group.objects.filter(pk=group.pk).exists()


def test_an_inactive_owner_stays_the_owner_until_the_admin_picks_another(client_as, admin, web_form, staff):
    staff.is_active = False
    staff.save()
    page = client_as(admin).get(reverse("webforms:edit", args=[web_form.pk]))
    assert page.context["form"]["owner"].value() == f"user:{staff.pk}"
    assert "Staff Persona (inactive)" in page.content.decode()
    assert "inactive user" in client_as(admin).get(reverse("webforms:list")).content.decode()
