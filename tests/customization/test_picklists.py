"""Picklists kept in the database: the migration that moved them there, the values each role may pick in forms
and filters, and the services that add, rename, delete (with a replacement), reorder and assign values."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from accounts.models import Account, Contact
from secondcrm.access.models import Role
from secondcrm.picklists.choices import choices_for, picklist_fields, picklist_for
from secondcrm.picklists.fields import PicklistField
from secondcrm.picklists.migration_ops import seed_picklist
from secondcrm.picklists.models import PicklistValue
from secondcrm.picklists.services import (
    picklist_reorder,
    picklist_roles_set,
    picklist_value_add,
    picklist_value_delete,
    picklist_value_move,
    picklist_value_rename,
    picklist_values_set,
)
from secondcrm.records.models import CustomField
from secondcrm.records.services import record_delete
from tests.factories import AccountFactory, ContactFactory
from tests.record_suite import form_data

pytestmark = pytest.mark.django_db

STANDARD = [
    ("accounts", "account_type"),
    ("accounts", "industry"),
    ("accounts", "rating"),
    ("contacts", "salutation"),
    ("contacts", "lead_source"),
]


def values(module: str, field: str) -> list[str]:
    return list(PicklistValue.objects.filter(module=module, field=field).values_list("value", flat=True))


def value(module: str, field: str, text: str) -> PicklistValue:
    return PicklistValue.objects.get(module=module, field=field, value=text)


def allow(role: Role, module: str, field: str, texts: list[str], admin) -> None:
    chosen = PicklistValue.objects.filter(module=module, field=field, value__in=texts)
    picklist_roles_set(module=module, field=field, role=role, values=chosen, acting_user=admin)


@pytest.fixture
def region(db) -> CustomField:
    """A custom picklist, created the way the layout editor does: its choices become its values."""
    return CustomField.objects.create(
        module="accounts",
        name="cf_region",
        label="Region",
        field_type=CustomField.Type.PICKLIST,
        choices=["North", "South", "East"],
    )


@pytest.fixture
def markets(db) -> CustomField:
    return CustomField.objects.create(
        module="accounts",
        name="cf_markets",
        label="Markets",
        field_type=CustomField.Type.MULTIPICKLIST,
        choices=["Asia", "Europe", "Americas"],
    )


# --- the migration -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("module", "field"), STANDARD)
def test_migration_seeded_the_old_choices_in_order_for_every_role(module, field):
    before = MigrationLoader(connection).project_state(("accounts", "0003_custom_values_index")).apps
    model_name = "account" if module == "accounts" else "contact"
    old_choices = before.get_model("accounts", model_name)._meta.get_field(field).choices
    assert values(module, field) == [value for value, _ in old_choices]
    roles = set(Role.objects.all())
    for row in PicklistValue.objects.filter(module=module, field=field):
        assert set(row.roles.all()) == roles
        assert not row.is_system


@pytest.mark.parametrize(("module", "field"), STANDARD)
def test_migration_removed_the_choices_and_kept_the_column(module, field):
    model = Account if module == "accounts" else Contact
    model_field = model._meta.get_field(field)
    assert isinstance(model_field, PicklistField)
    assert not model_field.choices
    assert model_field.max_length in (10, 30)


def test_a_record_keeps_showing_its_value_and_may_hold_a_new_one(client_as, staff, admin):
    account = AccountFactory(assigned_user=staff, industry="Banking", account_type="Customer")
    body = client_as(staff).get(account.get_absolute_url()).content.decode()
    assert "Banking" in body and "Customer" in body
    picklist_value_add(module="accounts", field="industry", value="Aquaculture", acting_user=admin)
    data = form_data(Account.module, account, staff) | {"industry": "Aquaculture"}
    assert client_as(staff).post(reverse("records:edit", args=["accounts", account.pk]), data).status_code == 302
    account.refresh_from_db()
    assert account.industry == "Aquaculture"
    assert "Aquaculture" in client_as(staff).get(account.get_absolute_url()).content.decode()


def test_custom_picklist_choices_migrate_into_the_table_for_every_role(roles):
    # bulk_create sends no signal: these are fields as they were before the picklist table existed.
    CustomField.objects.bulk_create(
        [
            CustomField(
                module="accounts",
                name="cf_tier",
                label="Tier",
                field_type=CustomField.Type.PICKLIST,
                choices=["Gold", " Silver ", "gold", ""],
            ),
            CustomField(
                module="contacts",
                name="cf_langs",
                label="Languages",
                field_type=CustomField.Type.MULTIPICKLIST,
                choices=["English", "Malay"],
            ),
            CustomField(module="contacts", name="cf_note", label="Note", field_type=CustomField.Type.TEXT),
        ]
    )
    migration = importlib.import_module("secondcrm.picklists.migrations.0002_custom_picklist_values")
    migration.copy_choices(apps, None)
    migration.copy_choices(apps, None)  # running it twice adds nothing twice
    assert values("accounts", "cf_tier") == ["Gold", "Silver"]
    assert values("contacts", "cf_langs") == ["English", "Malay"]
    assert values("contacts", "cf_note") == []
    assert set(value("accounts", "cf_tier", "Gold").roles.all()) == set(Role.objects.all())
    migration.remove_values(apps, None)
    assert values("accounts", "cf_tier") == []


def test_seed_picklist_adds_to_what_an_admin_changed_and_nothing_twice(admin):
    picklist_value_add(module="accounts", field="rating", value="Dormant", acting_user=admin)
    operation = seed_picklist("accounts", "rating", ["Active", "Hot", "Cold"], system_values=("Hot",))
    operation.code(apps, None)
    assert values("accounts", "rating")[-3:] == ["Dormant", "Hot", "Cold"]
    assert value("accounts", "rating", "Hot").is_system
    assert not value("accounts", "rating", "Cold").is_system


# --- where picklists are and what a user may pick -----------------------------------------------------


def test_picklist_fields_are_the_standard_and_custom_picklists_in_layout_order(region, markets):
    assert picklist_fields("accounts") == [
        ("account_type", "Type"),
        ("industry", "Industry"),
        ("rating", "Rating"),
        ("cf_region", "Region"),
        ("cf_markets", "Markets"),
    ]
    assert picklist_fields(Contact.module) == [("salutation", "Salutation"), ("lead_source", "Lead Source")]
    assert picklist_for("accounts", "website") is None
    assert picklist_for("nonsense", "industry") is None


def test_choices_for_is_the_roles_values_in_order_and_every_value_for_an_admin(staff, manager, admin, roles):
    allow(roles["Staff"], "accounts", "industry", ["Retail", "Banking"], admin)
    assert choices_for("accounts", "industry", staff) == ["Banking", "Retail"]
    assert len(choices_for("accounts", "industry", manager)) == 29
    assert choices_for("accounts", "industry", admin) == values("accounts", "industry")
    nobody = type(staff).objects.create_user("norole", "norole@example.com", "x")
    assert choices_for("accounts", "industry", nobody) == []


def test_the_form_offers_only_the_roles_values(client_as, staff, admin, roles, region, markets):
    allow(roles["Staff"], "accounts", "industry", ["Banking", "Retail"], admin)
    allow(roles["Staff"], "accounts", "cf_region", ["South"], admin)
    allow(roles["Staff"], "accounts", "cf_markets", ["Asia", "Europe"], admin)
    form = client_as(staff).get(reverse("records:add", args=["accounts"])).context["form"]
    assert list(form.fields["industry"].choices) == [("", "--None--"), ("Banking", "Banking"), ("Retail", "Retail")]
    assert list(form.fields["cf_region"].choices) == [("", "--None--"), ("South", "South")]
    assert list(form.fields["cf_markets"].choices) == [("Asia", "Asia"), ("Europe", "Europe")]
    assert form.fields["industry"].widget.attrs["class"] == "form-select"
    admin_form = client_as(admin).get(reverse("records:add", args=["accounts"])).context["form"]
    assert len(admin_form.fields["industry"].choices) == 30
    assert [v for v, _ in admin_form.fields["cf_region"].choices] == ["", "North", "South", "East"]


def test_a_mandatory_picklist_has_no_empty_choice(client_as, staff, region):
    CustomField.objects.filter(pk=region.pk).update(mandatory=True)
    form = client_as(staff).get(reverse("records:add", args=["accounts"])).context["form"]
    assert [v for v, _ in form.fields["cf_region"].choices] == ["North", "South", "East"]
    assert form.fields["cf_region"].required


def test_a_new_record_cannot_take_a_value_the_role_may_not_pick(client_as, staff, admin, roles):
    allow(roles["Staff"], "accounts", "industry", ["Banking"], admin)
    data = {"account_name": "Crafted", "assigned_to": f"user:{staff.pk}", "industry": "Finance"}
    response = client_as(staff).post(reverse("records:add", args=["accounts"]), data)
    assert response.status_code == 422
    assert "Select a valid choice" in response.context["form"].errors["industry"][0]
    assert not Account.objects.filter(account_name="Crafted").exists()


def test_a_value_the_role_cannot_see_is_shown_not_accessible_and_kept_on_save(
    client_as, staff, admin, roles, region, markets
):
    allow(roles["Staff"], "accounts", "industry", ["Retail"], admin)
    allow(roles["Staff"], "accounts", "cf_region", ["South"], admin)
    allow(roles["Staff"], "accounts", "cf_markets", ["Asia"], admin)
    account = AccountFactory(
        assigned_user=staff, industry="Banking", custom={"cf_region": "North", "cf_markets": ["Asia", "Europe"]}
    )
    client = client_as(staff)
    url = reverse("records:edit", args=["accounts", account.pk])
    page = client.get(url)
    form = page.context["form"]
    assert ("Banking", "Banking (not accessible)") in form.fields["industry"].choices
    assert ("North", "North (not accessible)") in form.fields["cf_region"].choices
    assert ("Europe", "Europe (not accessible)") in form.fields["cf_markets"].choices
    assert ("Finance", "Finance") not in form.fields["industry"].choices
    assert '<option value="Banking" selected>Banking (not accessible)</option>' in page.content.decode()

    data = form_data(Account.module, account, staff) | {"phone": "+65 6999 0000"}
    assert data["industry"] == "Banking" and data["cf_markets"] == ["Asia", "Europe"]
    assert client.post(url, data).status_code == 302
    account.refresh_from_db()
    assert account.phone == "+65 6999 0000"
    assert account.industry == "Banking"
    assert account.custom == {"cf_region": "North", "cf_markets": ["Asia", "Europe"]}

    # A crafted POST with another value the role may not pick is refused, and nothing is saved.
    crafted = data | {"industry": "Finance", "cf_region": "East", "cf_markets": ["Asia", "Americas"], "phone": "1"}
    response = client.post(url, crafted)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"industry", "cf_region", "cf_markets"} <= set(errors)
    assert "Select a valid choice" in errors["industry"][0]
    account.refresh_from_db()
    assert account.industry == "Banking" and account.phone == "+65 6999 0000"


def test_a_read_only_picklist_keeps_a_value_the_role_cannot_see(client_as, staff, admin, roles):
    from secondcrm.access.models import FieldRight, Profile

    profile = Profile.objects.get(preset=Profile.Preset.STAFF)
    FieldRight.objects.create(profile=profile, module="accounts", field="industry", access=FieldRight.Access.READ_ONLY)
    allow(roles["Staff"], "accounts", "industry", ["Retail"], admin)
    account = AccountFactory(assigned_user=staff, industry="Banking")
    data = form_data(Account.module, account, staff) | {"industry": "Retail"}
    assert client_as(staff).post(reverse("records:edit", args=["accounts", account.pk]), data).status_code == 302
    account.refresh_from_db()
    assert account.industry == "Banking"


def test_inline_edit_offers_the_roles_values(client_as, staff, admin, roles):
    allow(roles["Staff"], "accounts", "rating", ["Active"], admin)
    account = AccountFactory(assigned_user=staff)
    url = reverse("records:inline_edit", args=["accounts", account.pk, "rating"])
    client = client_as(staff)
    client.post(url, {"rating": "Shutdown"})
    account.refresh_from_db()
    assert account.rating == ""
    client.post(url, {"rating": "Active"})
    account.refresh_from_db()
    assert account.rating == "Active"


def test_list_filters_offer_the_roles_values_and_filter(client_as, staff, admin, roles):
    allow(roles["Staff"], "accounts", "industry", ["Banking", "Retail"], admin)
    banking = AccountFactory(assigned_user=staff, industry="Banking")
    retail = AccountFactory(assigned_user=staff, industry="Retail")
    client = client_as(staff)
    response = client.get(reverse("records:list", args=["accounts"]))
    field = response.context["filterset"].form.fields["industry"]
    assert [v for v, _ in field.choices] == ["", "Banking", "Retail"]
    response = client.get(reverse("records:list", args=["accounts"]), {"industry": "Banking"})
    rows = list(response.context["filterset"].qs)
    assert banking in rows and retail not in rows
    admin_filter = client_as(admin).get(reverse("records:list", args=["accounts"])).context["filterset"]
    assert len(admin_filter.form.fields["industry"].choices) == 30
    contact_filter = client.get(reverse("records:list", args=["contacts"])).context["filterset"]
    assert ("Web Site", "Web Site") in contact_filter.form.fields["lead_source"].choices


# --- roles --------------------------------------------------------------------------------------------


def test_a_new_role_may_pick_what_its_parent_may_pick(admin, roles):
    allow(roles["Staff"], "accounts", "industry", ["Banking", "Retail"], admin)
    junior = Role.objects.create(name="Junior Staff", parent=roles["Staff"])
    assert choices_for("accounts", "industry", type(admin)(role=junior)) == ["Banking", "Retail"]
    assert choices_for("contacts", "salutation", type(admin)(role=junior)) == values("contacts", "salutation")
    # Manager East was created (by the roles fixture) below Management: it got every value.
    assert roles["Manager East"].picklist_values.count() == PicklistValue.objects.count()


def test_a_role_added_in_settings_gets_every_value(client_as, admin, roles):
    from secondcrm.access.models import Profile

    client_as(admin).post(
        reverse("settings_admin:role_add", args=[roles["Manager"].pk]),
        {"name": "Key Accounts", "profiles": [Profile.objects.get(preset=Profile.Preset.MANAGER).pk]},
    )
    role = Role.objects.get(name="Key Accounts")
    assert role.picklist_values.count() == PicklistValue.objects.count() > 0


def test_a_new_top_role_gets_every_value(db):
    top = Role.objects.create(name="Second Organization")
    assert top.picklist_values.count() == PicklistValue.objects.count()


def test_roles_set_refuses_foreign_values_and_nothing_for_a_mandatory_picklist(admin, roles, region):
    staff_role = roles["Staff"]
    with pytest.raises(ValidationError, match="not values of this picklist"):
        picklist_roles_set(
            module="accounts",
            field="industry",
            role=staff_role,
            values=[value("accounts", "rating", "Active")],
            acting_user=admin,
        )
    picklist_roles_set(module="accounts", field="industry", role=staff_role, values=[], acting_user=admin)
    assert choices_for("accounts", "industry", type(admin)(role=staff_role)) == []
    CustomField.objects.filter(pk=region.pk).update(mandatory=True)
    with pytest.raises(ValidationError, match="Region is mandatory"):
        picklist_roles_set(module="accounts", field="cf_region", role=staff_role, values=[], acting_user=admin)


# --- the services -------------------------------------------------------------------------------------


def test_only_an_admin_changes_picklists(manager):
    banking = value("accounts", "industry", "Banking")
    calls = [
        lambda: picklist_value_add(module="accounts", field="industry", value="X", acting_user=manager),
        lambda: picklist_value_rename(value=banking, new_value="X", acting_user=manager),
        lambda: picklist_value_delete(value=banking, replacement=banking, acting_user=manager),
        lambda: picklist_reorder(module="accounts", field="industry", order=[], acting_user=manager),
        lambda: picklist_value_move(value=banking, offset=1, acting_user=manager),
        lambda: picklist_values_set(module="accounts", field="industry", values=[], acting_user=manager),
        lambda: picklist_roles_set(
            module="accounts", field="industry", role=manager.role, values=[], acting_user=manager
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert "X" not in values("accounts", "industry")


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("industry", "banking", "Industry already has the value “Banking”."),
        ("industry", "  BANKING ", "Industry already has the value “Banking”."),
        ("industry", "   ", "Enter a value."),
        ("industry", "", "Enter a value."),
        ("industry", "A" * 31, "A value of Industry can be at most 30 characters (this one has 31)."),
        ("salutation", "Professor X", "A value of Salutation can be at most 10 characters (this one has 11)."),
        ("cf_region", "R" * 201, "A value of Region can be at most 200 characters (this one has 201)."),
    ],
)
def test_add_refuses_bad_values(admin, region, field, text, message):
    module = "contacts" if field == "salutation" else "accounts"
    before = values(module, field)
    with pytest.raises(ValidationError) as refused:
        picklist_value_add(module=module, field=field, value=text, acting_user=admin)
    assert refused.value.messages == [message]
    assert values(module, field) == before


def test_add_appends_for_every_role_and_collapses_spaces(admin, region):
    added = picklist_value_add(module="accounts", field="cf_region", value="  Far   West ", acting_user=admin)
    assert values("accounts", "cf_region") == ["North", "South", "East", "Far West"]
    assert set(added.roles.all()) == set(Role.objects.all())
    # The custom field's own choices follow, for code that reads the definition.
    region.refresh_from_db()
    assert region.choices == ["North", "South", "East", "Far West"]


def test_add_refuses_a_field_that_is_not_a_picklist(admin):
    with pytest.raises(ValidationError, match="not a picklist"):
        picklist_value_add(module="accounts", field="website", value="x", acting_user=admin)
    with pytest.raises(ValidationError, match="not a picklist"):
        picklist_value_add(module="nowhere", field="industry", value="x", acting_user=admin)


def test_delete_replaces_the_value_in_every_record_recycle_bin_included(admin, staff, region, markets):
    live = AccountFactory(
        assigned_user=staff, industry="Banking", custom={"cf_region": "North", "cf_markets": ["Asia", "Europe"]}
    )
    binned = AccountFactory(
        assigned_user=staff, industry="Banking", custom={"cf_region": "North", "cf_markets": ["Europe", "Asia"]}
    )
    record_delete(record=binned, acting_user=admin)
    other = AccountFactory(assigned_user=staff, industry="Retail", custom={"cf_region": "South", "cf_markets": []})

    changed = picklist_value_delete(
        value=value("accounts", "industry", "Banking"),
        replacement=value("accounts", "industry", "Finance"),
        acting_user=admin,
    )
    assert changed == 2
    changed = picklist_value_delete(
        value=value("accounts", "cf_region", "North"),
        replacement=value("accounts", "cf_region", "East"),
        acting_user=admin,
    )
    assert changed == 2
    # A multi-select holding both the deleted value and its replacement keeps one of them, in place.
    changed = picklist_value_delete(
        value=value("accounts", "cf_markets", "Europe"),
        replacement=value("accounts", "cf_markets", "Asia"),
        acting_user=admin,
    )
    assert changed == 2

    for record in (live, binned, other):
        record.refresh_from_db()
    assert (live.industry, live.custom) == ("Finance", {"cf_region": "East", "cf_markets": ["Asia"]})
    assert binned.is_deleted
    assert (binned.industry, binned.custom) == ("Finance", {"cf_region": "East", "cf_markets": ["Asia"]})
    assert (other.industry, other.custom) == ("Retail", {"cf_region": "South", "cf_markets": []})
    assert "Banking" not in values("accounts", "industry")
    assert values("accounts", "cf_region") == ["South", "East"]
    region.refresh_from_db()
    assert region.choices == ["South", "East"]


def test_delete_replaces_inside_a_multi_select_list(admin, staff, markets):
    account = AccountFactory(assigned_user=staff, custom={"cf_markets": ["Europe", "Americas"]})
    picklist_value_delete(
        value=value("accounts", "cf_markets", "Europe"),
        replacement=value("accounts", "cf_markets", "Asia"),
        acting_user=admin,
    )
    account.refresh_from_db()
    assert account.custom == {"cf_markets": ["Asia", "Americas"]}


def test_delete_refuses_a_system_value_a_foreign_replacement_and_itself(admin, staff):
    AccountFactory(assigned_user=staff, rating="Active")
    picklist_value_add(module="accounts", field="rating", value="Converted", acting_user=admin)
    PicklistValue.objects.filter(module="accounts", field="rating", value="Converted").update(is_system=True)
    converted, active = value("accounts", "rating", "Converted"), value("accounts", "rating", "Active")
    with pytest.raises(ValidationError, match="system value"):
        picklist_value_delete(value=converted, replacement=active, acting_user=admin)
    with pytest.raises(ValidationError, match="system value"):
        picklist_value_rename(value=converted, new_value="Won", acting_user=admin)
    with pytest.raises(ValidationError, match="another value of Rating"):
        picklist_value_delete(value=active, replacement=active, acting_user=admin)
    with pytest.raises(ValidationError, match="another value of Rating"):
        picklist_value_delete(value=active, replacement=value("accounts", "industry", "Retail"), acting_user=admin)
    assert "Converted" in values("accounts", "rating") and "Active" in values("accounts", "rating")
    assert Account.objects.filter(rating="Active").count() == 1


def test_a_value_deleted_meanwhile_is_a_clear_error(admin):
    banking, finance = value("accounts", "industry", "Banking"), value("accounts", "industry", "Finance")
    PicklistValue.objects.filter(pk=banking.pk).delete()
    with pytest.raises(ValidationError, match="no longer exists"):
        picklist_value_delete(value=banking, replacement=finance, acting_user=admin)
    with pytest.raises(ValidationError, match="no longer exists"):
        picklist_value_rename(value=banking, new_value="Banks", acting_user=admin)


def test_rename_rewrites_the_records_and_may_change_only_the_case(admin, staff, markets):
    account = AccountFactory(assigned_user=staff, industry="Banking", custom={"cf_markets": ["Asia"]})
    contact = ContactFactory(assigned_user=staff, account=account, lead_source="Web Site")
    assert picklist_value_rename(value=value("accounts", "industry", "Banking"), new_value="Banks", acting_user=admin)
    assert picklist_value_rename(
        value=value("contacts", "lead_source", "Web Site"), new_value="web site", acting_user=admin
    )
    picklist_value_rename(value=value("accounts", "cf_markets", "Asia"), new_value="APAC", acting_user=admin)
    account.refresh_from_db()
    contact.refresh_from_db()
    assert (account.industry, account.custom, contact.lead_source) == ("Banks", {"cf_markets": ["APAC"]}, "web site")
    with pytest.raises(ValidationError, match="already has the value “Retail”"):
        picklist_value_rename(value=value("accounts", "industry", "Banks"), new_value="RETAIL", acting_user=admin)
    assert (
        picklist_value_rename(value=value("accounts", "industry", "Banks"), new_value="Banks", acting_user=admin) == 0
    )


def test_reorder_and_move(admin):
    rows = list(PicklistValue.objects.filter(module="accounts", field="rating"))
    picklist_reorder(module="accounts", field="rating", order=[r.pk for r in reversed(rows)], acting_user=admin)
    assert values("accounts", "rating") == ["Shutdown", "Project Cancelled", "Market Failed", "Active", "Acquired"]
    picklist_value_move(value=value("accounts", "rating", "Acquired"), offset=-1, acting_user=admin)
    picklist_value_move(value=value("accounts", "rating", "Shutdown"), offset=-1, acting_user=admin)  # already first
    assert values("accounts", "rating") == ["Shutdown", "Project Cancelled", "Market Failed", "Acquired", "Active"]
    for bad in ([rows[0].pk], [r.pk for r in rows] + [rows[0].pk], [r.pk for r in rows[1:]] + [999999]):
        with pytest.raises(ValidationError, match="changed meanwhile"):
            picklist_reorder(module="accounts", field="rating", order=bad, acting_user=admin)
    assert values("accounts", "rating") == ["Shutdown", "Project Cancelled", "Market Failed", "Acquired", "Active"]


def test_values_set_makes_a_new_picklists_values_for_every_role(admin, roles):
    CustomField.objects.create(module="contacts", name="cf_tier", label="Tier", field_type=CustomField.Type.PICKLIST)
    rows = picklist_values_set(
        module="contacts", field="cf_tier", values=["Gold", " Silver", "Bronze"], acting_user=admin
    )
    assert [r.value for r in rows] == values("contacts", "cf_tier") == ["Gold", "Silver", "Bronze"]
    assert all(set(r.roles.all()) == set(Role.objects.all()) for r in rows)
    staff_role = roles["Staff"]
    allow(staff_role, "contacts", "cf_tier", ["Gold"], admin)
    picklist_values_set(module="contacts", field="cf_tier", values=["Platinum", "gold"], acting_user=admin)
    assert values("contacts", "cf_tier") == ["Platinum", "gold"]
    # A value kept keeps its roles; a new one is for every role.
    assert choices_for("contacts", "cf_tier", type(admin)(role=staff_role)) == ["Platinum", "gold"]
    for bad, message in (([""], "blank"), (["A", "a"], "given twice"), (["x" * 201], "at most 200")):
        with pytest.raises(ValidationError, match=message):
            picklist_values_set(module="contacts", field="cf_tier", values=bad, acting_user=admin)
    assert values("contacts", "cf_tier") == ["Platinum", "gold"]


def test_a_custom_field_brings_its_values_once_and_takes_them_when_purged(admin, region):
    assert values("accounts", "cf_region") == ["North", "South", "East"]
    region.label = "Sales Region"
    region.choices = ["Only"]
    region.save()  # values exist already: the definition's choices no longer seed anything
    assert values("accounts", "cf_region") == ["North", "South", "East"]
    CustomField.all_objects.filter(pk=region.pk).delete()
    assert values("accounts", "cf_region") == []
