"""Settings > Picklist Editor over HTTP: choose a module, field and role; add, rename, delete (with a
replacement), reorder (drag and drop, Up and Down) and choose the values each role may pick."""

import pytest
from django.urls import reverse

from accounts.models import Account
from secondcrm.picklists.models import PicklistValue
from secondcrm.records.models import CustomField
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
EDITOR = reverse("settings_admin:picklists")


def values(module: str, field: str) -> list[str]:
    return list(PicklistValue.objects.filter(module=module, field=field).values_list("value", flat=True))


def value(module: str, field: str, text: str) -> PicklistValue:
    return PicklistValue.objects.get(module=module, field=field, value=text)


def ids(module: str, field: str) -> list[int]:
    return list(PicklistValue.objects.filter(module=module, field=field).values_list("pk", flat=True))


def target(field: str = "rating", module: str = "accounts", role="") -> dict:
    return {"module": module, "field": field, "role": role.pk if hasattr(role, "pk") else role}


def test_it_is_for_admins_only(client_as, staff, manager, management):
    active = value("accounts", "rating", "Active")
    for user in (staff, manager, management):
        client = client_as(user)
        assert client.get(EDITOR).status_code == 403
        for name in ("picklist_value_add", "picklist_reorder", "picklist_roles"):
            assert client.post(reverse(f"settings_admin:{name}"), target() | {"value": "X"}).status_code == 403
        for name in ("picklist_value_rename", "picklist_value_delete"):
            assert client.get(reverse(f"settings_admin:{name}", args=[active.pk])).status_code == 403
            assert client.post(reverse(f"settings_admin:{name}", args=[active.pk]), {"value": "X"}).status_code == 403
        move = reverse("settings_admin:picklist_value_move", args=[active.pk, "up"])
        assert client.post(move).status_code == 403
        # An unknown value is 403 too: a non-admin learns nothing about which values exist.
        assert client.get(reverse("settings_admin:picklist_value_rename", args=[999999])).status_code == 403
    assert "X" not in values("accounts", "rating")
    assert values("accounts", "rating")[1] == "Active"


def test_settings_index_links_to_the_editor(client_as, admin):
    body = client_as(admin).get(reverse("settings_admin:index")).content.decode()
    assert f'href="{EDITOR}"' in body and "Picklist Editor" in body


def test_the_editor_opens_on_the_first_picklist_with_all_roles(client_as, admin):
    response = client_as(admin).get(EDITOR)
    assert response.status_code == 200
    assert response.context["picklist"].name == "account_type"
    assert response.context["role"] is None
    body = response.content.decode()
    assert 'aria-label="Rename Analyst"' in body and 'aria-label="Delete Analyst"' in body
    assert 'aria-label="Move Analyst down"' in body
    assert "may pick</th>" not in body  # no tick boxes in the All Roles view
    roles = response.context["role_total"]
    assert f"{roles} of {roles} roles" in body


def test_choosing_a_module_shows_its_first_picklist(client_as, admin, region):
    client = client_as(admin)
    # The field of the module shown before does not belong to the new module: its first picklist is shown.
    response = client.get(EDITOR, {"module": "contacts", "field": "industry"})
    assert response.status_code == 200
    assert response.context["picklist"].name == "salutation"
    assert [v.value for v in response.context["values"]] == ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]
    response = client.get(EDITOR, {"module": "accounts", "field": "cf_region"})
    assert response.context["picklist"].label == "Region"
    assert "custom field" in response.content.decode()
    modules = [name for name, _ in response.context["chooser"].fields["module"].choices]
    assert modules[:2] == ["accounts", "contacts"]
    assert "documents" not in modules  # Documents has no picklist


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"module": "nowhere"}, "module", "Choose one of the modules listed."),
        ({"module": "documents"}, "module", "Choose one of the modules listed."),
        ({"module": "accounts", "field": "rating", "role": "999999"}, "role", "That role no longer exists"),
        ({"module": "accounts", "field": "rating", "role": "staff"}, "role", "That role no longer exists"),
    ],
)
def test_a_bad_choice_is_a_clear_error(client_as, admin, query, field, message):
    response = client_as(admin).get(EDITOR, query)
    assert response.status_code == 422
    assert message in response.context["chooser"].errors[field][0]
    assert "picklist" not in response.context


def test_add_a_value(client_as, admin, roles):
    response = client_as(admin).post(
        reverse("settings_admin:picklist_value_add"),
        target("industry", role=roles["Staff"]) | {"value": " Aqua  culture "},
    )
    assert response.status_code == 302
    assert response.url == f"{EDITOR}?module=accounts&field=industry&role={roles['Staff'].pk}"
    assert values("accounts", "industry")[-1] == "Aqua culture"
    assert value("accounts", "industry", "Aqua culture").roles.count() == roles["Staff"].__class__.objects.count()


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("industry", "BANKING", "Industry already has the value “Banking”."),
        ("industry", "   ", "Enter a value."),
        ("industry", "x" * 31, "A value of Industry can be at most 30 characters (this one has 31)."),
        ("cf_region", "x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
        ("cf_region", "north", "Region already has the value “North”."),
    ],
)
def test_add_refuses_bad_input_with_a_clear_error(client_as, admin, region, field, text, message):
    before = values("accounts", field)
    response = client_as(admin).post(reverse("settings_admin:picklist_value_add"), target(field) | {"value": text})
    assert response.status_code == 422
    assert response.context["add_form"].errors["value"] == [message]
    assert message.replace("“", "&ldquo;") in response.content.decode() or message in response.content.decode()
    assert values("accounts", field) == before


@pytest.mark.parametrize(
    "posted",
    [
        {"module": "accounts", "field": "website"},
        {"module": "accounts", "field": "salutation"},
        {"module": "nowhere", "field": "industry"},
        {},
    ],
)
def test_add_to_a_picklist_that_does_not_exist_goes_back_to_the_editor(client_as, admin, posted):
    response = client_as(admin).post(
        reverse("settings_admin:picklist_value_add"), posted | {"value": "New"}, follow=True
    )
    assert response.redirect_chain[-1][0] == EDITOR
    assert "That picklist or role no longer exists; choose again." in response.content.decode()
    assert not PicklistValue.objects.filter(value="New").exists()


def test_values_are_escaped(client_as, admin):
    client = client_as(admin)
    client.post(reverse("settings_admin:picklist_value_add"), target() | {"value": "<b>Hot</b>"})
    body = client.get(EDITOR, target()).content.decode()
    assert "&lt;b&gt;Hot&lt;/b&gt;" in body and "<b>Hot</b>" not in body


def test_rename_a_value_and_the_records_holding_it(client_as, admin, staff, roles):
    account = AccountFactory(assigned_user=staff, rating="Active")
    active = value("accounts", "rating", "Active")
    url = reverse("settings_admin:picklist_value_rename", args=[active.pk])
    client = client_as(admin)
    page = client.get(url, {"role": roles["Staff"].pk})
    assert page.status_code == 200
    assert page.context["form"]["value"].value() == "Active"
    response = client.post(url, {"value": "Engaged", "role": roles["Staff"].pk})
    assert response.status_code == 302
    assert response.url.endswith(f"role={roles['Staff'].pk}")
    account.refresh_from_db()
    assert account.rating == "Engaged"
    assert "Engaged" in values("accounts", "rating")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("shutdown", "Rating already has the value “Shutdown”."),
        ("", "Enter a value."),
        ("x" * 31, "A value of Rating can be at most 30 characters (this one has 31)."),
    ],
)
def test_rename_refuses_bad_input(client_as, admin, text, message):
    active = value("accounts", "rating", "Active")
    response = client_as(admin).post(reverse("settings_admin:picklist_value_rename", args=[active.pk]), {"value": text})
    assert response.status_code == 422
    assert response.context["form"].errors["value"] == [message]
    assert "Active" in values("accounts", "rating")


def test_delete_asks_for_a_replacement_among_the_remaining_values(client_as, admin, staff, region):
    banking = AccountFactory(assigned_user=staff, rating="Active", custom={"cf_region": "North"})
    north = value("accounts", "cf_region", "North")
    client = client_as(admin)
    page = client.get(reverse("settings_admin:picklist_value_delete", args=[north.pk]))
    assert page.status_code == 200
    assert [str(v) for v in page.context["form"].fields["replacement"].queryset] == ["South", "East"]
    response = client.post(
        reverse("settings_admin:picklist_value_delete", args=[north.pk]),
        {"replacement": value("accounts", "cf_region", "East").pk},
        follow=True,
    )
    assert "“North” deleted; 1 record now hold “East”." in response.content.decode()
    banking.refresh_from_db()
    assert banking.custom == {"cf_region": "East"}

    active = value("accounts", "rating", "Active")
    page = client.get(reverse("settings_admin:picklist_value_delete", args=[active.pk]))
    assert page.context["held"] == 1
    assert "1 account holding “Active”" in page.content.decode()


def test_delete_refuses_a_bad_replacement(client_as, admin):
    active = value("accounts", "rating", "Active")
    url = reverse("settings_admin:picklist_value_delete", args=[active.pk])
    client = client_as(admin)
    for replacement in ("", active.pk, value("accounts", "industry", "Retail").pk, "abc", 999999):
        response = client.post(url, {"replacement": replacement})
        assert response.status_code == 422, replacement
        assert response.context["form"].errors["replacement"], replacement
    assert "Active" in values("accounts", "rating")


def test_system_values_cannot_be_deleted_or_renamed(client_as, admin, staff):
    PicklistValue.objects.filter(module="accounts", field="rating", value="Active").update(is_system=True)
    active = value("accounts", "rating", "Active")
    AccountFactory(assigned_user=staff, rating="Active")
    client = client_as(admin)
    editor = client.get(EDITOR, target()).content.decode()
    assert 'aria-label="Delete Active"' not in editor and ">System</span>" in editor
    message = "“Active” is a system value: the application relies on it, so it cannot be deleted."
    for response in (
        client.get(reverse("settings_admin:picklist_value_delete", args=[active.pk]), follow=True),
        client.post(
            reverse("settings_admin:picklist_value_delete", args=[active.pk]),
            {"replacement": value("accounts", "rating", "Shutdown").pk},
            follow=True,
        ),
    ):
        assert message in response.content.decode()
    response = client.get(reverse("settings_admin:picklist_value_rename", args=[active.pk]), follow=True)
    assert "it cannot be renamed" in response.content.decode()
    response = client.post(reverse("settings_admin:picklist_value_rename", args=[active.pk]), {"value": "Live"})
    assert response.status_code == 422
    assert "it cannot be renamed" in response.context["form"].errors["value"][0]
    assert "Active" in values("accounts", "rating")
    assert Account.objects.filter(rating="Active").count() == 1


def test_the_last_value_cannot_be_deleted(client_as, admin):
    CustomField.objects.create(
        module="accounts", name="cf_only", label="Only", field_type=CustomField.Type.PICKLIST, choices=["One"]
    )
    one = value("accounts", "cf_only", "One")
    response = client_as(admin).get(reverse("settings_admin:picklist_value_delete", args=[one.pk]), follow=True)
    assert "“One” is the only value of Only" in response.content.decode()
    assert values("accounts", "cf_only") == ["One"]


def test_unknown_value_is_404_for_an_admin(client_as, admin):
    client = client_as(admin)
    assert client.get(reverse("settings_admin:picklist_value_rename", args=[999999])).status_code == 404
    assert client.get(reverse("settings_admin:picklist_value_delete", args=[999999])).status_code == 404
    orphan = PicklistValue.objects.create(module="accounts", field="cf_gone", value="Lost")
    assert client.get(reverse("settings_admin:picklist_value_rename", args=[orphan.pk])).status_code == 404


def test_up_and_down_move_a_value(client_as, admin):
    client = client_as(admin)
    active = value("accounts", "rating", "Active")
    response = client.post(reverse("settings_admin:picklist_value_move", args=[active.pk, "up"]), {"role": ""})
    assert response.status_code == 302
    assert values("accounts", "rating")[:2] == ["Active", "Acquired"]
    client.post(reverse("settings_admin:picklist_value_move", args=[active.pk, "down"]))
    client.post(reverse("settings_admin:picklist_value_move", args=[active.pk, "down"]))
    assert values("accounts", "rating")[:3] == ["Acquired", "Market Failed", "Active"]
    assert client.post(reverse("settings_admin:picklist_value_move", args=[active.pk, "sideways"])).status_code == 404
    assert client.get(reverse("settings_admin:picklist_value_move", args=[active.pk, "up"])).status_code == 405


def test_a_drop_stores_the_new_order_and_answers_with_the_list(client_as, admin):
    order = list(reversed(ids("accounts", "rating")))
    response = client_as(admin).post(
        reverse("settings_admin:picklist_reorder"), target() | {"order": ",".join(map(str, order))}, **HTMX
    )
    assert response.status_code == 200
    assert ids("accounts", "rating") == order
    body = response.content.decode()
    assert 'id="picklist-values"' in body and "New order of Rating saved." in body
    assert body.index(">Shutdown") < body.index(">Acquired")


def test_a_drop_the_server_refuses_answers_with_the_list_unchanged(client_as, admin):
    client = client_as(admin)
    before = ids("accounts", "rating")
    url = reverse("settings_admin:picklist_reorder")
    response = client.post(url, target() | {"order": ",".join(map(str, before[1:]))}, **HTMX)
    assert response.status_code == 422
    assert "changed meanwhile" in response.content.decode()
    response = client.post(url, target() | {"order": "1,two,3"}, **HTMX)
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    response = client.post(url, {"module": "accounts", "field": "website", "order": "1"}, **HTMX)
    assert response.status_code == 200 and response.headers["HX-Redirect"] == EDITOR
    response = client.post(url, target() | {"order": ",".join(map(str, before[1:]))})  # without htmx
    assert response.status_code == 302
    assert ids("accounts", "rating") == before


def test_choose_the_values_a_role_may_pick(client_as, admin, staff, roles):
    client = client_as(admin)
    staff_role = roles["Staff"]
    page = client.get(EDITOR, target("industry", role=staff_role))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Staff may pick</th>" in body and 'form="picklist-role-form"' in body
    assert len(page.context["allowed"]) == 29
    chosen = [value("accounts", "industry", text).pk for text in ("Retail", "Banking")]
    response = client.post(
        reverse("settings_admin:picklist_roles"), target("industry", role=staff_role) | {"values": chosen}
    )
    assert response.status_code == 302
    form = client_as(staff).get(reverse("records:add", args=["accounts"])).context["form"]
    assert [v for v, _ in form.fields["industry"].choices] == ["", "Banking", "Retail"]
    page = client.get(EDITOR, target("industry", role=staff_role))
    assert page.context["allowed"] == set(chosen)
    total = page.context["role_total"]
    assert f"{total - 1} of {total} roles" in page.content.decode()  # Finance: every role but Staff may pick it


def test_role_values_refuse_bad_input(client_as, admin, roles, region):
    client = client_as(admin)
    url = reverse("settings_admin:picklist_roles")
    staff_role = roles["Staff"]
    response = client.post(
        url, target("industry") | {"values": [value("accounts", "industry", "Retail").pk]}, follow=True
    )
    assert "Choose a role first" in response.content.decode()
    foreign = value("accounts", "rating", "Active").pk
    for bad in ([foreign], ["abc"], [999999]):
        response = client.post(url, target("industry", role=staff_role) | {"values": bad})
        assert response.status_code == 422, bad
        assert "no longer exist" in response.context["roles_form"].errors["values"][0]
    CustomField.objects.filter(pk=region.pk).update(mandatory=True)
    response = client.post(url, target("cf_region", role=staff_role))
    assert response.status_code == 422
    assert "Region is mandatory: choose at least one value" in response.content.decode()
    assert staff_role.picklist_values.filter(module="accounts", field="industry").count() == 29
    assert staff_role.picklist_values.filter(field="cf_region").count() == 3


@pytest.fixture
def region(db) -> CustomField:
    return CustomField.objects.create(
        module="accounts",
        name="cf_region",
        label="Region",
        field_type=CustomField.Type.PICKLIST,
        choices=["North", "South", "East"],
    )
