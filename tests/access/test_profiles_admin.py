"""Settings > Profiles over HTTP: list, New Profile as a copy, the editor (flags, module rights, field access,
mandatory fields) and delete; and that a saved profile changes what its users may do."""

import pytest
from django.urls import reverse

from secondcrm.access.models import FieldRight, ModuleRight, Profile, Role
from secondcrm.access.models.profiles import PRESET_RIGHTS, RIGHTS
from secondcrm.records.registry import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiles(db) -> dict[str, Profile]:
    return {profile.preset: profile for profile in Profile.objects.exclude(preset="")}


def editor_data(client, profile: Profile, changes: dict | None = None) -> dict:
    """The editor's form as a browser would send it unchanged (unchecked boxes and disabled selects are not
    sent), with ``changes`` applied; a change of None leaves the key out (an unchecked box)."""
    form = client.get(reverse("settings_admin:profile_edit", args=[profile.pk])).context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if bound.field.widget.attrs.get("disabled") or value in (False, None):
            continue
        data[bound.name] = "on" if value is True else value
    for key, value in (changes or {}).items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def save(client, profile: Profile, data: dict):
    return client.post(reverse("settings_admin:profile_edit", args=[profile.pk]), data)


def test_it_is_for_admins_only(client_as, staff, manager, profiles):
    profile = profiles["staff"]
    for user in (staff, manager):
        client = client_as(user)
        assert client.get(reverse("settings_admin:profiles")).status_code == 403
        assert client.get(reverse("settings_admin:profile_add")).status_code == 403
        assert (
            client.post(reverse("settings_admin:profile_add"), {"name": "X", "copy_from": profile.pk}).status_code
            == 403
        )
        for name in ("profile_edit", "profile_delete"):
            assert client.get(reverse(f"settings_admin:{name}", args=[profile.pk])).status_code == 403
            assert client.post(reverse(f"settings_admin:{name}", args=[profile.pk]), {}).status_code == 403
    assert Profile.objects.filter(pk=profile.pk, name="Staff Profile").exists()
    assert not Profile.objects.filter(name="X").exists()


def test_the_list_shows_predefined_profiles_and_their_roles(client_as, admin, roles):
    response = client_as(admin).get(reverse("settings_admin:profiles"))
    html = response.content.decode()
    assert html.count(">Predefined</span>") == 3
    staff = next(p for p in response.context["profiles"] if p.preset == "staff")
    assert [role.name for role in staff.roles.all()] == ["Staff", "Staff East"]
    # Predefined profiles have no Delete button.
    assert 'aria-label="Delete Staff Profile"' not in html


def test_new_profile_copies_flags_module_rights_and_field_rights(client_as, admin, profiles):
    source = profiles["management"]
    # One stored row; every other module keeps the preset's defaults, which the copy must make explicit.
    ModuleRight.objects.create(profile=source, module="documents", can_view=True, can_merge=True)
    FieldRight.objects.create(profile=source, module="contacts", field="email", access="invisible")
    FieldRight.objects.create(profile=source, module="accounts", field="phone", access="read_only")
    client = client_as(admin)
    response = client.post(
        reverse("settings_admin:profile_add"),
        {"name": "Auditors", "description": "Read-only reviewers", "copy_from": source.pk},
    )
    copy = Profile.objects.get(name="Auditors")
    assert response.url == reverse("settings_admin:profile_edit", args=[copy.pk])
    assert (copy.preset, copy.view_all, copy.edit_all, copy.description) == ("", True, False, "Read-only reviewers")
    rights = {row.module: row.granted() for row in copy.module_rights.all()}
    # Every module: the source's own row where it has one, its preset's rights elsewhere.
    assert rights == {m.name: PRESET_RIGHTS["management"] for m in registry} | {"documents": {"view", "merge"}}
    assert set(copy.field_rights.values_list("module", "field", "access")) == {
        ("contacts", "email", "invisible"),
        ("accounts", "phone", "read_only"),
    }


def test_new_profile_needs_a_free_name_and_a_source(client_as, admin, profiles):
    client = client_as(admin)
    response = client.post(
        reverse("settings_admin:profile_add"), {"name": "staff profile", "copy_from": profiles["staff"].pk}
    )
    assert response.status_code == 422
    assert "There is already a profile named staff profile." in response.content.decode()
    response = client.post(reverse("settings_admin:profile_add"), {"name": "Fresh"})
    assert response.status_code == 422
    assert "Choose the profile whose rights the new one starts with." in response.content.decode()
    assert Profile.objects.count() == 3


def test_the_editor_starts_from_effective_rights(client_as, admin, profiles):
    form = client_as(admin).get(reverse("settings_admin:profile_edit", args=[profiles["staff"].pk])).context["form"]
    for module in registry:
        granted = {right for right in RIGHTS if form[f"right-{module.name}-{right}"].value()}
        assert granted == PRESET_RIGHTS["staff"], module.name
    # Mandatory fields are shown as Read/Write and cannot be changed in the browser.
    last_name = form["field-contacts-last_name"]
    assert last_name.value() == "read_write" and last_name.field.widget.attrs["disabled"]


def test_save_writes_a_module_right_for_every_module_and_clears_rights_without_view(client_as, admin, profiles):
    client = client_as(admin)
    profile = profiles["manager"]
    data = editor_data(
        client,
        profile,
        {
            "name": "Sales Manager Profile",
            "description": "Runs a sales team",
            # View unchecked while Create, Edit... are still sent (a crafted POST): the server clears them.
            "right-documents-view": None,
            "right-accounts-merge": None,
            "view_all": "on",
        },
    )
    response = save(client, profile, data)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.name, profile.description, profile.view_all, profile.edit_all) == (
        "Sales Manager Profile",
        "Runs a sales team",
        True,
        False,
    )
    rights = {row.module: row.granted() for row in profile.module_rights.all()}
    assert rights == {m.name: set(RIGHTS) for m in registry} | {
        "accounts": set(RIGHTS) - {"merge"},
        "documents": set(),
    }
    # A predefined profile stays predefined when edited.
    assert profile.is_predefined


def test_edit_all_includes_view_all(client_as, admin, profiles):
    client = client_as(admin)
    profile = profiles["staff"]
    assert save(client, profile, editor_data(client, profile, {"edit_all": "on"})).status_code == 302
    profile.refresh_from_db()
    assert profile.view_all and profile.edit_all


def test_field_rights_are_stored_only_for_restricted_fields(client_as, admin, profiles):
    client = client_as(admin)
    profile = profiles["staff"]
    data = editor_data(client, profile, {"field-contacts-email": "read_only", "field-accounts-phone": "invisible"})
    assert save(client, profile, data).status_code == 302
    assert set(profile.field_rights.values_list("module", "field", "access")) == {
        ("contacts", "email", "read_only"),
        ("accounts", "phone", "invisible"),
    }
    data = editor_data(client, profile, {"field-contacts-email": "read_write"})
    assert data["field-accounts-phone"] == "invisible"
    assert save(client, profile, data).status_code == 302
    assert set(profile.field_rights.values_list("module", "field", "access")) == {("accounts", "phone", "invisible")}


def test_a_crafted_post_cannot_restrict_a_mandatory_field(client_as, admin, profiles):
    client = client_as(admin)
    profile = profiles["staff"]
    data = editor_data(client, profile, {"field-contacts-last_name": "invisible", "field-contacts-email": "read_only"})
    response = save(client, profile, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Please correct the errors below; nothing was saved." in html
    assert "Last Name (Contacts) is a mandatory field: it is always Read/Write." in html
    assert not profile.field_rights.exists()
    assert not profile.module_rights.exists()


def test_an_unknown_field_access_is_refused(client_as, admin, profiles):
    client = client_as(admin)
    profile = profiles["staff"]
    response = save(client, profile, editor_data(client, profile, {"field-contacts-email": "everything"}))
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()


def test_unchecking_contacts_view_closes_contacts_to_staff(client_as, admin, staff, profiles):
    staff_client = client_as(staff)
    assert staff_client.get("/contacts/").status_code == 200
    client = client_as(admin)
    profile = profiles["staff"]
    assert save(client, profile, editor_data(client, profile, {"right-contacts-view": None})).status_code == 302
    assert staff_client.get("/contacts/").status_code == 403
    assert staff_client.get("/accounts/").status_code == 200


def test_predefined_profiles_cannot_be_deleted(client_as, admin, profiles):
    client = client_as(admin)
    profile = profiles["management"]
    page = client.get(reverse("settings_admin:profile_delete", args=[profile.pk]))
    assert "it can be edited but not deleted" in page.content.decode()
    response = client.post(reverse("settings_admin:profile_delete", args=[profile.pk]))
    assert response.status_code == 422
    assert "Management Profile is a predefined profile" in response.content.decode()
    assert Profile.objects.filter(pk=profile.pk).exists()


def test_a_profile_a_role_holds_alone_cannot_be_deleted(client_as, admin, roles, profiles):
    client = client_as(admin)
    client.post(reverse("settings_admin:profile_add"), {"name": "Field Sales", "copy_from": profiles["staff"].pk})
    field_sales = Profile.objects.get(name="Field Sales")
    roles["Staff East"].profiles.set([field_sales])
    roles["Staff"].profiles.add(field_sales)

    response = client.post(reverse("settings_admin:profile_delete", args=[field_sales.pk]))
    assert response.status_code == 422
    assert "Field Sales cannot be deleted: it is the only profile of Staff East." in response.content.decode()

    roles["Staff East"].profiles.add(profiles["staff"])
    response = client.post(reverse("settings_admin:profile_delete", args=[field_sales.pk]), follow=True)
    assert "Profile Field Sales deleted." in response.content.decode()
    assert not Profile.objects.filter(name="Field Sales").exists()
    assert list(Role.objects.get(name="Staff").profiles.all()) == [profiles["staff"]]
