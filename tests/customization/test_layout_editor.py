"""Settings > Layout Editor over HTTP: every action, every refused input, and what each change does to the
module's create form and detail view at once (no restart, no migration)."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Account, Contact
from secondcrm.access.models import FieldRight, Profile
from secondcrm.picklists.models import PicklistValue
from secondcrm.records.arrangement import field_specs, module_layout
from secondcrm.records.models import CustomField, FieldPlacement, LayoutBlock
from settings_admin.layout import services
from tests.factories import AccountFactory, ContactFactory
from tests.record_suite import form_data

pytestmark = pytest.mark.django_db

CONTACTS = Contact.module
T = CustomField.Type


def url(name: str, *args, module: str = "contacts") -> str:
    return reverse(f"settings_admin:{name}", args=[module, *args])


def editor(module: str = "contacts") -> str:
    return url("layout_module", module=module)


def arrangement() -> list[tuple[str, list[str]]]:
    return [
        (block.title, [spec.name for spec in block.fields]) for block in module_layout(CONTACTS, include_hidden=True)
    ]


def as_json(layout) -> str:
    return json.dumps([{"block": title, "fields": names} for title, names in layout])


def add_field(client, **fields):
    data = {"block": "Contact Information", "field_type": T.TEXT, "default": "", "help_text": "", "values": ""}
    return client.post(url("layout_field_add"), data | fields)


def errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


def notices(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def admin_client(client_as, admin):
    return client_as(admin)


@pytest.fixture
def contact(admin):
    return ContactFactory(assigned_user=admin, last_name="Tan")


def create_contact(client, user, **values):
    """POST the Add Contact form with a valid contact plus ``values``; returns the response."""
    template = ContactFactory(assigned_user=user)
    return client.post(reverse("records:add", args=["contacts"]), form_data(CONTACTS, template, user) | values)


def detail_fields(client, record) -> dict[str, tuple[str, str]]:
    """Each field on the record's detail view: its label and text."""
    blocks = client.get(record.get_absolute_url()).context["blocks"]
    return {value.name: (value.label, value.text) for block in blocks for value in block.values}


def created(response) -> Contact:
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Contact.objects.get(pk=int(re.search(r"/contacts/(\d+)/", response["Location"]).group(1)))


# --- who may ---------------------------------------------------------------------------------------------

ADMIN_ONLY = [
    ("GET", "layout", ()),
    ("GET", "layout_module", ()),
    ("POST", "layout_arrange", ()),
    ("GET", "layout_block_add", ()),
    ("POST", "layout_block_add", ()),
    ("GET", "layout_block_rename", ()),
    ("POST", "layout_block_delete", ()),
    ("POST", "layout_block_move", ()),
    ("GET", "layout_field_add", ()),
    ("POST", "layout_field_add", ()),
    ("GET", "layout_field_edit", ("title",)),
    ("POST", "layout_field_edit", ("title",)),
    ("GET", "layout_field_delete", ("cf_region",)),
    ("POST", "layout_field_delete", ("cf_region",)),
    ("POST", "layout_field_restore", ("cf_region",)),
    ("GET", "layout_field_purge", ("cf_region",)),
    ("POST", "layout_field_purge", ("cf_region",)),
    ("POST", "layout_field_visibility", ("title",)),
    ("POST", "layout_field_move", ("title",)),
]


@pytest.mark.parametrize(("method", "name", "args"), ADMIN_ONLY, ids=[f"{m} {n}" for m, n, _ in ADMIN_ONLY])
@pytest.mark.parametrize("persona", ["management", "manager", "staff"])
def test_only_admins_may_use_the_layout_editor(request, client_as, method, name, args, persona):
    CustomField.objects.create(module="contacts", name="cf_region", label="Region")
    path = reverse("settings_admin:layout") if name == "layout" else url(name, *args)
    client = client_as(request.getfixturevalue(persona))
    response = client.get(path) if method == "GET" else client.post(path, {"hidden": "1", "direction": "up"})
    assert response.status_code == 403
    assert not FieldPlacement.objects.exists() and not LayoutBlock.objects.exists()
    assert CustomField.objects.get().label == "Region"


def test_unknown_module_field_or_block_is_404(admin_client):
    assert admin_client.get("/settings/layout/nosuchmodule/").status_code == 404
    assert admin_client.get(url("layout_field_edit", "no_such_field")).status_code == 404
    assert admin_client.post(url("layout_field_restore", "title")).status_code == 404  # not a deleted field
    assert admin_client.get(url("layout_block_rename") + "?block=Nowhere").status_code == 404
    assert admin_client.post(url("layout_block_delete"), {"block": "Nowhere"}).status_code == 404


def test_the_editor_is_reached_from_settings_and_from_the_list_view(admin_client, client_as, staff):
    assert reverse("settings_admin:layout") in admin_client.get(reverse("settings_admin:index")).content.decode()
    assert editor() in admin_client.get(reverse("records:list", args=["contacts"])).content.decode()
    assert editor() not in client_as(staff).get(reverse("records:list", args=["contacts"])).content.decode()
    page = admin_client.get(reverse("settings_admin:layout")).content.decode()
    assert editor() in page and editor("accounts") in page


# --- the page --------------------------------------------------------------------------------------------


def test_the_editor_shows_blocks_and_fields_in_layout_order(admin_client):
    CustomField.objects.create(
        module="contacts", name="cf_region", label="Region", block="Contact Information", position=99, mandatory=True
    )
    FieldPlacement.objects.create(
        module="contacts", field="title", block="Contact Information", position=5, hidden=True
    )
    response = admin_client.get(editor())
    assert response.status_code == 200
    cards = response.context["blocks"]
    assert [card.spec.title for card in cards] == [block.title for block in CONTACTS.blocks]
    rows = {row.spec.name: row for row in cards[0].rows}
    assert [row.spec.name for row in cards[0].rows][-1] == "cf_region"
    assert rows["title"].spec.hidden and rows["cf_region"].mandatory and rows["last_name"].mandatory
    assert (rows["cf_region"].type_label, rows["email"].type_label, rows["account"].type_label) == (
        "Text",
        "Email",
        "Reference",
    )
    assert rows["lead_source"].type_label == "Picklist" and rows["birthday"].type_label == "Date"
    html = response.content.decode()
    assert 'aria-label="Field Title"' in html and ">Hidden</span>" in html
    assert 'aria-label="Show Title"' in html and 'aria-label="Hide Department"' in html
    # A field a record cannot be saved without offers no Hide button.
    assert 'aria-label="Hide Last Name"' not in html
    assert 'aria-label="Delete Region"' in html and 'aria-label="Delete Title"' not in html


def test_labels_are_escaped(admin_client):
    add_field(admin_client, label="<b>Bold</b>")
    html = admin_client.get(editor()).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html and "<b>Bold</b>" not in html


# --- blocks ----------------------------------------------------------------------------------------------


def test_add_a_block_after_the_others(admin_client):
    response = admin_client.post(url("layout_block_add"), {"title": "  Social   Media "})
    assert response.status_code == 302
    titles = [block.title for block in module_layout(CONTACTS)]
    assert titles == [*(block.title for block in CONTACTS.blocks), "Social Media"]
    assert "Block Social Media added to Contacts." in notices(admin_client.get(response["Location"]))


@pytest.mark.parametrize(
    ("title", "error"),
    [
        ("contact INFORMATION", "There is already a block called Contact Information."),
        ("   ", "This field is required."),
    ],
)
def test_a_block_title_must_be_new(admin_client, title, error):
    response = admin_client.post(url("layout_block_add"), {"title": title})
    assert response.status_code == 422
    assert errors(response, "title") == [error]
    assert not LayoutBlock.objects.exists()


def test_rename_an_added_block_and_its_fields_follow(admin_client):
    admin_client.post(url("layout_block_add"), {"title": "Social"})
    add_field(admin_client, label="Twitter", block="Social")
    admin_client.post(url("layout_field_delete", "cf_twitter"))
    add_field(admin_client, label="Mastodon", block="Social")
    response = admin_client.post(url("layout_block_rename"), {"block": "Social", "title": "Networks"})
    assert response.status_code == 302
    assert [block.title for block in module_layout(CONTACTS)][-1] == "Networks"
    assert CustomField.all_objects.get(name="cf_twitter").block == "Networks"  # deleted fields follow too
    assert CustomField.objects.get(name="cf_mastodon").block == "Networks"
    form = admin_client.get(url("layout_block_rename") + "?block=Networks").context["form"]
    assert form["title"].value() == "Networks"


def test_rename_refuses_a_standard_block_and_a_taken_title(admin_client):
    admin_client.post(url("layout_block_add"), {"title": "Social"})
    response = admin_client.get(url("layout_block_rename") + "?block=Mailing Address", follow=True)
    assert "Mailing Address is a standard block: only added blocks can be renamed." in notices(response)
    response = admin_client.post(url("layout_block_rename"), {"block": "Social", "title": "Other Address"})
    assert response.status_code == 422
    assert errors(response, "title") == ["There is already a block called Other Address."]
    response = admin_client.post(url("layout_block_rename"), {"block": "Mailing Address", "title": "Home"})
    assert response.status_code == 422
    assert "only added blocks can be renamed" in response.context["form"].non_field_errors()[0]


def test_delete_an_empty_added_block_only(admin_client):
    admin_client.post(url("layout_block_add"), {"title": "Social"})
    add_field(admin_client, label="Twitter", block="Social")
    response = admin_client.post(url("layout_block_delete"), {"block": "Social"}, follow=True)
    assert "Social still holds fields: move them to another block first." in notices(response)
    response = admin_client.post(url("layout_block_delete"), {"block": "Mailing Address"}, follow=True)
    assert "Mailing Address is a standard block of Contacts and cannot be deleted." in notices(response)

    admin_client.post(url("layout_field_delete", "cf_twitter"))
    response = admin_client.post(url("layout_block_delete"), {"block": "Social"}, follow=True)
    assert "Block Social deleted." in notices(response)
    assert "Social" not in [block.title for block in module_layout(CONTACTS)]
    # Restoring the field brings its block back.
    admin_client.post(url("layout_field_restore", "cf_twitter"))
    assert [(b.title, [s.name for s in b.fields]) for b in module_layout(CONTACTS)][-1] == ("Social", ["cf_twitter"])


def test_move_a_block_without_dragging(admin_client):
    response = admin_client.post(url("layout_block_move"), {"block": "Other Address", "direction": "up"})
    assert response.status_code == 302
    assert [block.title for block in module_layout(CONTACTS)] == [
        "Contact Information",
        "Other Address",
        "Mailing Address",
        "Description Information",
    ]
    response = admin_client.post(
        url("layout_block_move"), {"block": "Contact Information", "direction": "up"}, follow=True
    )
    assert "Block Contact Information is already the first one." in notices(response)
    assert admin_client.post(url("layout_block_move"), {"block": "Other Address", "direction": "x"}).status_code == 400


# --- custom fields: adding -------------------------------------------------------------------------------

# Field type, picklist values, a value the create form must refuse (and its error), a good value, what
# record.custom then holds, and what the detail view shows.
TYPES = [
    (T.TEXT, "", "x" * 256, "at most 255 characters", "Senior Buyer", "Senior Buyer", "Senior Buyer"),
    (T.TEXTAREA, "", "x" * 5001, "at most 5000 characters", "Prefers email", "Prefers email", "Prefers email"),
    (T.NUMBER, "", "4.5", "Enter a whole number.", "42", 42, "42"),
    (T.DECIMAL, "", "abc", "Enter a number.", "12.5", "12.5", "12.50"),
    (T.CURRENCY, "", "1.234", "no more than 2 decimal places", "1234.50", "1234.50", "1,234.50"),
    (T.PERCENT, "", "2000", "less than or equal to 1000", "12.5", "12.5", "12.50 %"),
    (T.DATE, "", "2027-02-30", "Enter a valid date.", "2027-01-31", "2027-01-31", "Jan. 31, 2027"),
    (T.DATETIME, "", "tomorrow", "Enter a valid date/time.", "2027-01-31T10:30", None, "Jan. 31, 2027, 10:30 a.m."),
    (
        T.EMAIL,
        "",
        "not-an-email",
        "Enter a valid email address.",
        "ana@example.com",
        "ana@example.com",
        "ana@example.com",
    ),
    (T.PHONE, "", "call me", "Enter a phone number", "+65 6222 0101", "+65 6222 0101", "+65 6222 0101"),
    (
        T.URL,
        "",
        "not a url",
        "Enter a valid URL.",
        "example.com/ana",
        "https://example.com/ana",
        "https://example.com/ana",
    ),
    (T.CHECKBOX, "", None, "", "on", True, "Yes"),
    (T.PICKLIST, "Hot\nCold", "Warm", "Select a valid choice.", "Hot", "Hot", "Hot"),
    (
        T.MULTIPICKLIST,
        "Email\nPhone\nPost",
        ["Fax"],
        "Select a valid choice.",
        ["Email", "Post"],
        ["Email", "Post"],
        "Email, Post",
    ),
]


@pytest.mark.parametrize(
    ("field_type", "values", "bad", "error", "good", "stored", "shown"), TYPES, ids=[t[0] for t in TYPES]
)
def test_a_new_custom_field_is_on_the_create_form_at_once_and_validated_by_type(
    admin_client, admin, field_type, values, bad, error, good, stored, shown
):
    response = add_field(
        admin_client, label="Designation", field_type=field_type, values=values, help_text="Their role"
    )
    assert response.status_code == 302
    assert response["Location"] == editor() + "#field-cf_designation"
    definition = CustomField.objects.get(name="cf_designation")
    assert (definition.field_type, definition.block, definition.help_text) == (
        field_type,
        "Contact Information",
        "Their role",
    )

    form_page = admin_client.get(reverse("records:add", args=["contacts"]))
    form = form_page.context["form"]
    assert form.fields["cf_designation"].label == "Designation"
    assert 'name="cf_designation"' in form_page.content.decode() and "Their role" in form_page.content.decode()
    # In its block, after the block's standard fields.
    blocks = {title: [f.name for f in fields] for title, fields in form_page.context["blocks"]}
    assert blocks["Contact Information"][-1] == "cf_designation"

    if bad is not None:
        response = create_contact(admin_client, admin, cf_designation=bad)
        assert response.status_code == 422
        assert error in " ".join(errors(response, "cf_designation"))

    record = created(create_contact(admin_client, admin, cf_designation=good))
    if field_type == T.DATETIME:
        assert record.custom["cf_designation"].startswith("2027-01-31T10:30")
    else:
        assert record.custom["cf_designation"] == stored
    assert detail_fields(admin_client, record)["cf_designation"] == ("Designation", shown)


def test_a_new_custom_field_is_offered_in_field_permissions_until_deleted(admin_client):
    add_field(admin_client, label="Designation")
    profile_page = reverse("settings_admin:profile_edit", args=[Profile.objects.first().pk])
    assert "cf_designation" in admin_client.get(profile_page).content.decode()
    assert (
        "cf_designation"
        in admin_client.get(reverse("settings_admin:field_access") + "?module=contacts").content.decode()
    )
    admin_client.post(url("layout_field_delete", "cf_designation"))
    assert "cf_designation" not in admin_client.get(profile_page).content.decode()
    assert (
        "cf_designation"
        not in admin_client.get(reverse("settings_admin:field_access") + "?module=contacts").content.decode()
    )


def test_picklist_values_go_to_the_picklist_engine_and_the_definition(admin_client):
    add_field(admin_client, label="Account Type", field_type=T.PICKLIST, values="Customer\n\n  Partner \nReseller")
    definition = CustomField.objects.get(name="cf_account_type")
    assert definition.choices == ["Customer", "Partner", "Reseller"]
    rows = PicklistValue.objects.filter(module="contacts", field="cf_account_type").order_by("position")
    assert [row.value for row in rows] == ["Customer", "Partner", "Reseller"]
    form = admin_client.get(reverse("records:add", args=["contacts"])).context["form"]
    assert [value for value, _ in form.fields["cf_account_type"].choices if value] == [
        "Customer",
        "Partner",
        "Reseller",
    ]


def test_a_default_value_fills_new_records(admin_client):
    add_field(admin_client, label="Region", default="North")
    add_field(admin_client, label="Start", field_type=T.DATE, default="2027-03-01")
    add_field(admin_client, label="Newsletter", field_type=T.CHECKBOX, default="yes")
    add_field(
        admin_client, label="Channels", field_type=T.MULTIPICKLIST, values="Email\nPhone\nPost", default="Email, Post"
    )
    defaults = dict(CustomField.objects.values_list("name", "default"))
    assert defaults == {
        "cf_region": "North",
        "cf_start": "2027-03-01",
        "cf_newsletter": True,
        "cf_channels": ["Email", "Post"],
    }
    form = admin_client.get(reverse("records:add", args=["contacts"])).context["form"]
    assert form["cf_region"].value() == "North" and form["cf_newsletter"].value() is True
    assert form["cf_channels"].value() == ["Email", "Post"]
    assert str(form["cf_start"].value()) == "2027-03-01"


@pytest.mark.parametrize(
    ("field_type", "values", "default", "error"),
    [
        (T.NUMBER, "", "twelve", "Enter a whole number."),
        (T.DECIMAL, "", "1,2,3", "Enter a number."),
        (T.DATE, "", "31.02.2027", "Enter a valid date."),
        (T.DATETIME, "", "noon", "Enter a valid date/time."),
        (T.EMAIL, "", "ana(at)example.com", "Enter a valid email address."),
        (T.URL, "", "not a url", "Enter a valid URL."),
        (T.PHONE, "", "call me", "Enter a phone number"),
        (T.CHECKBOX, "", "maybe", "For a checkbox, enter yes or no, or leave the default empty."),
        (T.PICKLIST, "Hot\nCold", "Warm", "Warm is not one of the picklist values."),
        (T.MULTIPICKLIST, "Hot\nCold", "Hot, Warm", "Warm is not one of the picklist values."),
    ],
)
def test_a_default_the_field_would_refuse_is_refused(admin_client, field_type, values, default, error):
    response = add_field(admin_client, label="Designation", field_type=field_type, values=values, default=default)
    assert response.status_code == 422
    assert error in " ".join(errors(response, "default"))
    assert not CustomField.all_objects.exists()


@pytest.mark.parametrize(
    ("label", "error"),
    [
        ("Title", "Title is the label of a standard field (Title); choose another label."),
        ("  last   NAME ", "last NAME is the label of a standard field (Last Name); choose another label."),
        ("Assigned To", "Assigned To is the label of a standard field (Assigned To); choose another label."),
        ("region", "There is already a custom field labelled Region."),
        ("", "This field is required."),
    ],
)
def test_a_label_that_clashes_is_refused(admin_client, label, error):
    add_field(admin_client, label="Region")
    response = add_field(admin_client, label=label)
    assert response.status_code == 422
    assert errors(response, "label") == [error]
    assert CustomField.objects.count() == 1


def test_a_label_clashes_with_a_renamed_standard_field_and_a_deleted_custom_field(admin_client):
    admin_client.post(url("layout_field_edit", "title"), {"label": "Job Title"})
    response = add_field(admin_client, label="job title")
    assert errors(response, "label") == ["job title is the label of a standard field (Title); choose another label."]
    add_field(admin_client, label="Region")
    admin_client.post(url("layout_field_delete", "cf_region"))
    response = add_field(admin_client, label="Region")
    assert errors(response, "label") == ["A deleted custom field is labelled Region: restore it, or purge it first."]


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ("Hot\nCold\nhot", "The value hot is listed twice: each picklist value must be unique."),
        ("\n  \n", "Enter at least one value, one per line."),
        ("x" * 101, "is too long: at most 100 characters."),
    ],
)
@pytest.mark.parametrize("field_type", [T.PICKLIST, T.MULTIPICKLIST])
def test_picklist_values_must_be_unique_and_at_least_one(admin_client, field_type, values, error):
    response = add_field(admin_client, label="Rating", field_type=field_type, values=values)
    assert response.status_code == 422
    assert error in errors(response, "values")[0]
    assert not CustomField.all_objects.exists()


def test_values_typed_for_another_type_are_ignored(admin_client):
    assert add_field(admin_client, label="Notes", field_type=T.TEXT, values="Hot\nHot").status_code == 302
    assert CustomField.objects.get().choices == []


def test_field_names_come_from_the_label_and_stay_unique_while_deleted_fields_keep_theirs(admin_client):
    add_field(admin_client, label="Account Type")
    add_field(admin_client, label="Account-Type")
    add_field(admin_client, label="Région d'été")
    add_field(admin_client, label="!!!")
    admin_client.post(url("layout_field_delete", "cf_account_type"))
    add_field(admin_client, label="Account: Type")
    assert list(CustomField.all_objects.order_by("pk").values_list("name", flat=True)) == [
        "cf_account_type",
        "cf_account_type_2",
        "cf_region_dete",
        "cf_field",
        "cf_account_type_3",
    ]


def test_the_add_form_offers_every_type_and_the_block_asked_for(admin_client):
    admin_client.post(url("layout_block_add"), {"title": "Social"})
    response = admin_client.get(url("layout_field_add") + "?block=Social")
    form = response.context["form"]
    assert [value for value, _ in form.fields["field_type"].choices] == list(T.values)
    assert form["block"].value() == "Social"
    assert [value for value, _ in form.fields["block"].choices][-1] == "Social"
    assert add_field(admin_client, label="X", block="Nowhere").status_code == 422


# --- custom fields: editing, deleting, restoring, purging -------------------------------------------------


def test_edit_a_custom_field_but_not_its_type(admin_client, admin):
    add_field(admin_client, label="Budget", field_type=T.CURRENCY)
    edit = url("layout_field_edit", "cf_budget")
    assert admin_client.get(edit).context["form"]["label"].value() == "Budget"
    response = admin_client.post(
        edit,
        {"label": "Annual Budget", "mandatory": "on", "default": "100.50", "help_text": "In SGD", "field_type": "text"},
    )
    assert response.status_code == 302
    definition = CustomField.objects.get(name="cf_budget")
    assert (definition.label, definition.mandatory, definition.default, definition.help_text) == (
        "Annual Budget",
        True,
        "100.50",
        "In SGD",
    )
    assert definition.field_type == T.CURRENCY
    # Mandatory now: a contact without it is refused.
    response = create_contact(admin_client, admin, cf_budget="")
    assert response.status_code == 422 and errors(response, "cf_budget") == ["This field is required."]


def test_edit_refuses_a_bad_default_and_a_clashing_label(admin_client):
    add_field(admin_client, label="Budget", field_type=T.NUMBER)
    add_field(admin_client, label="Region")
    response = admin_client.post(url("layout_field_edit", "cf_budget"), {"label": "region", "default": "lots"})
    assert response.status_code == 422
    assert errors(response, "label") == ["There is already a custom field labelled Region."]
    assert errors(response, "default") == ["Enter a whole number."]
    assert CustomField.objects.get(name="cf_budget").label == "Budget"
    # Its own label, in another case, is fine.
    assert admin_client.post(url("layout_field_edit", "cf_budget"), {"label": "BUDGET"}).status_code == 302


def test_edit_a_picklist_default_against_its_values(admin_client):
    add_field(admin_client, label="Rating", field_type=T.PICKLIST, values="Hot\nCold")
    response = admin_client.post(url("layout_field_edit", "cf_rating"), {"label": "Rating", "default": "Warm"})
    assert errors(response, "default") == ["Warm is not one of the picklist values."]
    admin_client.post(url("layout_field_edit", "cf_rating"), {"label": "Rating", "default": "Cold"})
    assert CustomField.objects.get().default == "Cold"


def test_delete_keeps_values_and_restore_brings_them_back(admin_client, admin):
    add_field(admin_client, label="Designation")
    kept = created(create_contact(admin_client, admin, cf_designation="Head of Buying"))
    created(create_contact(admin_client, admin, cf_designation="Buyer"))
    created(create_contact(admin_client, admin))

    confirm = admin_client.get(url("layout_field_delete", "cf_designation"))
    assert confirm.context["holding"] == 2
    assert "2 records of contacts hold a value for Designation." in confirm.content.decode()
    response = admin_client.post(url("layout_field_delete", "cf_designation"), follow=True)
    assert "Custom field Designation deleted; the values of 2 records are kept until you purge it." in notices(response)
    assert response.context["deleted_fields"][0][0].name == "cf_designation"
    assert response.context["deleted_fields"][0][1] == 2

    kept.refresh_from_db()
    assert kept.custom == {"cf_designation": "Head of Buying"}
    assert "cf_designation" not in admin_client.get(reverse("records:add", args=["contacts"])).context["form"].fields
    assert "cf_designation" not in detail_fields(admin_client, kept)
    # Saving the record meanwhile keeps the value too.
    admin_client.post(reverse("records:edit", args=["contacts", kept.pk]), form_data(CONTACTS, kept, admin))
    kept.refresh_from_db()
    assert kept.custom == {"cf_designation": "Head of Buying"}

    response = admin_client.post(url("layout_field_restore", "cf_designation"), follow=True)
    assert "Custom field Designation restored to Contact Information, with its values." in notices(response)
    assert detail_fields(admin_client, kept)["cf_designation"] == ("Designation", "Head of Buying")
    assert field_specs(CONTACTS)["cf_designation"].block == "Contact Information"


def test_purge_removes_the_values_from_every_record(admin_client, admin):
    add_field(admin_client, label="Designation")
    first = created(create_contact(admin_client, admin, cf_designation="Head of Buying"))
    binned = created(create_contact(admin_client, admin, cf_designation="Buyer"))
    binned.custom["cf_other"] = "stays"
    binned.save()
    admin_client.post(reverse("records:delete", args=["contacts", binned.pk]))  # to the Recycle Bin
    FieldRight.objects.create(
        profile=Profile.objects.first(), module="contacts", field="cf_designation", access=FieldRight.Access.READ_ONLY
    )
    # Only a deleted field can be purged.
    assert admin_client.get(url("layout_field_purge", "cf_designation")).status_code == 404
    admin_client.post(url("layout_field_delete", "cf_designation"))

    confirm = admin_client.get(url("layout_field_purge", "cf_designation"))
    assert "The values of 2 records will be removed for good" in confirm.content.decode()
    response = admin_client.post(url("layout_field_purge", "cf_designation"), follow=True)
    assert "Custom field Designation purged; its values were removed from 2 records." in notices(response)

    assert Contact.all_objects.get(pk=first.pk).custom == {}
    assert Contact.all_objects.get(pk=binned.pk).custom == {"cf_other": "stays"}
    assert not CustomField.all_objects.exists() and not FieldRight.objects.filter(field="cf_designation").exists()
    # The name is free again.
    add_field(admin_client, label="Designation")
    assert CustomField.objects.get().name == "cf_designation"


def test_purge_in_batches_where_one_update_is_not_available(admin, monkeypatch):
    monkeypatch.setattr(services, "PURGE_BATCH", 2)
    accounts = [AccountFactory(assigned_user=admin, custom={"cf_x": n, "cf_y": n}) for n in range(5)]
    AccountFactory(assigned_user=admin, custom={"cf_y": 9})
    assert services.remove_custom_values(Account, "cf_x", portable=True) == 5
    for account in accounts:
        account.refresh_from_db()
        assert "cf_x" not in account.custom and "cf_y" in account.custom


def test_a_standard_field_cannot_be_deleted(admin_client):
    response = admin_client.post(url("layout_field_delete", "title"), follow=True)
    assert "Title is a standard field: hide it instead of deleting it." in notices(response)
    assert admin_client.get(url("layout_field_delete", "title")).status_code == 302


# --- standard fields -------------------------------------------------------------------------------------


def test_a_hidden_standard_field_leaves_form_and_detail_until_shown(admin_client, contact):
    contact.title = "Chief Buyer"
    contact.save()
    response = admin_client.post(url("layout_field_visibility", "title"), {"hidden": "1"}, follow=True)
    assert "Title is hidden: it no longer shows on forms and detail views." in notices(response)
    assert "title" not in admin_client.get(reverse("records:add", args=["contacts"])).context["form"].fields
    assert "title" not in detail_fields(admin_client, contact)
    # Still in the arrangement, greyed on the editor.
    assert "title" in dict(arrangement())["Contact Information"]

    admin_client.post(url("layout_field_visibility", "title"), {"hidden": "0"})
    assert "title" in admin_client.get(reverse("records:add", args=["contacts"])).context["form"].fields
    assert detail_fields(admin_client, contact)["title"] == ("Title", "Chief Buyer")


@pytest.mark.parametrize(("name", "label"), [("last_name", "Last Name"), ("assigned_to", "Assigned To")])
def test_a_mandatory_field_cannot_be_hidden(admin_client, name, label):
    response = admin_client.post(url("layout_field_visibility", name), {"hidden": "1"}, follow=True)
    assert f"{label} is mandatory: a contact cannot be saved without it, so it cannot be hidden." in notices(response)
    assert not field_specs(CONTACTS)[name].hidden and not FieldPlacement.objects.exists()


def test_rename_a_standard_field_and_go_back_to_its_label(admin_client, contact):
    contact.title = "Chief Buyer"
    contact.save()
    response = admin_client.post(url("layout_field_edit", "title"), {"label": " Job  Title "}, follow=True)
    assert "Title is now labelled Job Title." in notices(response)
    assert (
        admin_client.get(reverse("records:add", args=["contacts"])).context["form"].fields["title"].label == "Job Title"
    )
    assert detail_fields(admin_client, contact)["title"] == ("Job Title", "Chief Buyer")
    assert "(standard label: Title)" in admin_client.get(editor()).content.decode()

    admin_client.post(url("layout_field_edit", "title"), {"label": ""})
    assert field_specs(CONTACTS)["title"].label == "Title"
    assert FieldPlacement.objects.get(field="title").label == ""


def test_rename_refuses_another_fields_label(admin_client):
    response = admin_client.post(url("layout_field_edit", "title"), {"label": "department"})
    assert response.status_code == 422
    assert errors(response, "label") == [
        "department is the label of a standard field (Department); choose another label."
    ]


# --- arrangement -----------------------------------------------------------------------------------------


def test_drop_stores_the_whole_arrangement_and_answers_the_editor(admin_client, admin, contact):
    add_field(admin_client, label="Designation")
    layout = arrangement()
    info = dict(layout)["Contact Information"]
    info.remove("cf_designation")
    info.remove("title")
    layout = [
        (title, ["cf_designation", *names, "title"] if title == "Description Information" else names)
        for title, names in layout
    ]
    layout.insert(0, layout.pop())  # Description Information first

    response = admin_client.post(
        url("layout_arrange"), {"arrangement": as_json(layout)}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="layout-editor"') and "Layout saved." in html
    assert arrangement() == layout
    form_blocks = admin_client.get(reverse("records:add", args=["contacts"])).context["blocks"]
    assert form_blocks[0] == ("Description Information", form_blocks[0][1])
    assert [f.name for f in form_blocks[0][1]] == ["cf_designation", "description", "title"]
    detail_blocks = admin_client.get(contact.get_absolute_url()).context["blocks"]
    assert detail_blocks[0].title == "Description Information"
    assert [value.name for value in detail_blocks[0].values] == ["cf_designation", "description", "title"]


def test_a_drop_without_htmx_redirects(admin_client):
    response = admin_client.post(url("layout_arrange"), {"arrangement": as_json(arrangement())})
    assert response.status_code == 302 and response["Location"] == editor()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a[0][1].remove("title"), "An arrangement must place every field of the module exactly once."),
        (lambda a: a[1][1].append("title"), "An arrangement must place every field of the module exactly once."),
        (lambda a: a.pop(), "An arrangement must list every block of the module exactly once."),
        (lambda a: a.append(("Invented", [])), "An arrangement must list every block of the module exactly once."),
    ],
    ids=["a field left out", "a field twice", "a block left out", "an unknown block"],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_an_incomplete_arrangement_is_refused_with_400(admin_client, change, message, htmx):
    FieldPlacement.objects.create(
        module="contacts", field="title", block="Contact Information", position=5, hidden=True
    )
    layout = arrangement()
    before = arrangement()
    change(layout)
    headers = {"HX-Request": "true"} if htmx else {}
    response = admin_client.post(url("layout_arrange"), {"arrangement": as_json(layout)}, headers=headers)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert arrangement() == before and not LayoutBlock.objects.exists()


@pytest.mark.parametrize(
    "payload", ["", "not json", "{}", '[{"block": 1, "fields": []}]', '[{"block": "A", "fields": "abc"}]', "[1]"]
)
def test_an_unreadable_arrangement_is_refused_with_400(admin_client, payload):
    response = admin_client.post(url("layout_arrange"), {"arrangement": payload}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "The arrangement could not be read." in response.content.decode()


def test_move_fields_without_dragging_within_and_across_blocks(admin_client):
    first_block = dict(arrangement())["Contact Information"]
    response = admin_client.post(url("layout_field_move", "title"), {"direction": "up"})
    assert response.status_code == 302 and response["Location"] == editor() + "#field-title"
    names = dict(arrangement())["Contact Information"]
    assert names.index("title") == first_block.index("title") - 1

    # Down from the bottom of a block: to the top of the next block.
    admin_client.post(url("layout_field_move", "assigned_to"), {"direction": "down"})
    assert dict(arrangement())["Mailing Address"][0] == "assigned_to"
    # Up from the top of a block: to the bottom of the block above.
    admin_client.post(url("layout_field_move", "assigned_to"), {"direction": "up"})
    admin_client.post(url("layout_field_move", "description"), {"direction": "up"})
    assert dict(arrangement())["Contact Information"][-1] == "assigned_to"
    assert dict(arrangement())["Other Address"][-1] == "description"
    assert dict(arrangement())["Description Information"] == []

    response = admin_client.post(url("layout_field_move", "salutation"), {"direction": "up"}, follow=True)
    assert "Salutation is already the first field." in notices(response)
    assert admin_client.post(url("layout_field_move", "title"), {"direction": "sideways"}).status_code == 400


def test_services_refuse_a_non_admin(staff):
    with pytest.raises(PermissionDenied):
        services.block_add(module=CONTACTS, title="Social", acting_user=staff)
    with pytest.raises(PermissionDenied):
        services.custom_field_add(
            module=CONTACTS, block="Contact Information", label="X", field_type="text", acting_user=staff
        )
    assert not LayoutBlock.objects.exists() and not CustomField.objects.exists()
