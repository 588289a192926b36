"""Settings > Roles over HTTP: the tree, add below, edit, move (drop and the Move page), delete with transfer."""

import pytest
from django.urls import reverse

from secondcrm.access.models import Profile, Role, SharingRule, User
from tests.personas import make_user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def profiles(db) -> dict[str, Profile]:
    return {profile.preset: profile for profile in Profile.objects.exclude(preset="")}


def drop(client, role: Role, new_parent: Role | str):
    """What role-tree.js sends when a role is dropped in the list below another one."""
    target = new_parent.pk if isinstance(new_parent, Role) else new_parent
    return client.post(reverse("settings_admin:role_drop"), {"role": role.pk, "new_parent": target}, **HTMX)


def test_it_is_for_admins_only(client_as, staff, manager, roles):
    role = roles["Staff"]
    for user in (staff, manager):
        client = client_as(user)
        for name in ("roles",):
            assert client.get(reverse(f"settings_admin:{name}")).status_code == 403
        for name in ("role_add", "role_edit", "role_move", "role_delete"):
            assert client.get(reverse(f"settings_admin:{name}", args=[role.pk])).status_code == 403, name
            assert client.post(reverse(f"settings_admin:{name}", args=[role.pk]), {}).status_code == 403, name
        # An unknown role is 403 too: a non-admin learns nothing about which roles exist.
        assert client.get(reverse("settings_admin:role_edit", args=[99999])).status_code == 403
        assert drop(client, role, roles["Organization"]).status_code == 403
    assert Role.objects.get(pk=role.pk).parent == roles["Manager"]


def test_it_shows_the_tree_with_profiles_and_user_counts(client_as, admin, staff, staff_east, roles):
    make_user("staff2", roles["Staff"])
    response = client_as(admin).get(reverse("settings_admin:roles"))
    assert response.status_code == 200
    (top,) = response.context["tree"]
    assert top.role.name == "Organization"
    (management,) = top.children
    assert [child.role.name for child in management.children] == ["Manager", "Manager East"]
    staff_node = management.children[0].children[0]
    assert (staff_node.role.name, staff_node.role.user_count) == ("Staff", 2)
    html = response.content.decode()
    assert "Staff Profile" in html and "2 users" in html
    # Organization can be neither moved nor deleted: it has no handle, no Move and no Delete button.
    assert 'aria-label="Drag Organization"' not in html and 'aria-label="Delete Organization"' not in html
    assert 'aria-label="Drag Staff East"' in html and 'aria-label="Delete Staff East"' in html


def test_add_a_role_below_another(client_as, admin, roles, profiles):
    client = client_as(admin)
    url = reverse("settings_admin:role_add", args=[roles["Staff"].pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "  Junior   Staff ", "profiles": [profiles["staff"].pk, profiles["management"].pk]}
    )
    assert response.status_code == 302
    junior = Role.objects.get(name="Junior Staff")
    assert junior.parent == roles["Staff"]
    assert junior.path == f"{roles['Staff'].path}{junior.pk:04d}."
    assert set(junior.profiles.all()) == {profiles["staff"], profiles["management"]}


def test_a_role_needs_a_name_of_its_own_and_a_profile(client_as, admin, roles, profiles):
    client = client_as(admin)
    url = reverse("settings_admin:role_add", args=[roles["Staff"].pk])
    response = client.post(url, {"name": "Junior"})
    assert response.status_code == 422
    assert "Choose at least one profile" in response.content.decode()
    response = client.post(url, {"name": "manager east", "profiles": [profiles["staff"].pk]})
    assert response.status_code == 422
    assert "There is already a role named manager east." in response.content.decode()
    assert not Role.objects.filter(name="Junior").exists()


def test_edit_renames_and_changes_profiles(client_as, admin, roles, profiles):
    client = client_as(admin)
    url = reverse("settings_admin:role_edit", args=[roles["Staff East"].pk])
    page = client.get(url)
    assert page.context["form"]["name"].value() == "Staff East"
    response = client.post(url, {"name": "Field Staff", "profiles": [profiles["manager"].pk]})
    assert response.status_code == 302
    role = Role.objects.get(pk=roles["Staff East"].pk)
    assert role.name == "Field Staff"
    assert list(role.profiles.all()) == [profiles["manager"]]
    # Keeping its own name is not a clash.
    assert client.post(url, {"name": "Field Staff", "profiles": [profiles["staff"].pk]}).status_code == 302


def test_dropping_a_branch_rewrites_the_paths_of_all_three_levels(client_as, admin, roles, staff, staff_east):
    """Manager > Staff > Junior moves below Manager East; every path below follows, nothing else changes."""
    junior = Role.objects.create(name="Junior", parent=roles["Staff"])
    untouched = {r.pk: r.path for r in Role.objects.exclude(path__startswith=roles["Manager"].path)}
    response = drop(client_as(admin), roles["Manager"], roles["Manager East"])

    assert response.status_code == 200
    assert "Role Manager is now below Manager East." in response.content.decode()
    east = Role.objects.get(name="Manager East")
    manager, staff_role, junior = (Role.objects.get(pk=r.pk) for r in (roles["Manager"], roles["Staff"], junior))
    assert manager.parent == east
    assert manager.path == f"{east.path}{manager.pk:04d}."
    assert staff_role.path == f"{manager.path}{staff_role.pk:04d}."
    assert junior.path == f"{staff_role.path}{junior.pk:04d}."
    assert (staff_role.parent, junior.parent) == (manager, staff_role)
    assert {r.pk: r.path for r in Role.objects.exclude(path__startswith=manager.path)} == untouched
    # "Below me" now reaches into the moved branch: Manager East is above Staff and Junior.
    assert east.is_above(staff_role) and east.is_above(junior)
    assert list(User.objects.filter(role__path__startswith=east.path).order_by("username")) == [staff, staff_east]


def test_a_move_that_would_make_a_cycle_is_refused(client_as, admin, roles):
    client = client_as(admin)
    before = dict(Role.objects.values_list("pk", "path"))

    response = drop(client, roles["Manager"], roles["Staff"])
    assert response.status_code == 422
    assert "Manager cannot be moved below Staff, one of its own subordinates." in response.content.decode()

    response = drop(client, roles["Manager"], roles["Manager"])
    assert response.status_code == 422
    assert "Manager cannot be moved below itself." in response.content.decode()

    response = drop(client, roles["Organization"], roles["Staff"])
    assert response.status_code == 422
    assert "Organization is the top of the role tree and cannot be moved." in response.content.decode()

    # The answer is the unchanged tree, which replaces what the browser had already moved.
    assert response.context["tree"][0].role.name == "Organization"
    assert dict(Role.objects.values_list("pk", "path")) == before


def test_a_drop_naming_no_role_is_a_bad_request(client_as, admin, roles):
    client = client_as(admin)
    assert drop(client, roles["Staff"], "nonsense").status_code == 400
    assert drop(client, roles["Staff"], "99999").status_code == 400


def test_a_drop_on_the_current_parent_changes_nothing(client_as, admin, roles):
    response = drop(client_as(admin), roles["Staff"], roles["Manager"])
    assert response.status_code == 200
    assert "Staff is already directly below Manager." in response.content.decode()


def test_without_htmx_a_drop_answers_with_a_redirect_and_a_message(client_as, admin, roles):
    client = client_as(admin)
    url = reverse("settings_admin:role_drop")
    response = client.post(url, {"role": roles["Manager"].pk, "new_parent": roles["Staff"].pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("settings_admin:roles")
    assert "Manager cannot be moved below Staff" in response.content.decode()


def test_the_move_page_offers_only_allowed_parents(client_as, admin, roles):
    client = client_as(admin)
    url = reverse("settings_admin:role_move", args=[roles["Manager"].pk])
    page = client.get(url)
    offered = {role.name for role in page.context["form"].fields["new_parent"].queryset}
    assert offered == {"Organization", "Management", "Manager East", "Staff East"}

    crafted = client.post(url, {"new_parent": roles["Staff"].pk})
    assert crafted.status_code == 422
    assert "A role cannot move below itself or one of its own subordinates." in crafted.content.decode()

    assert client.post(url, {"new_parent": roles["Staff East"].pk}).status_code == 302
    manager = Role.objects.get(pk=roles["Manager"].pk)
    assert manager.path.startswith(roles["Staff East"].path) and manager.parent == roles["Staff East"]
    # Organization has no Move page.
    top = client.get(reverse("settings_admin:role_move", args=[roles["Organization"].pk]), follow=True)
    assert "cannot be moved" in top.content.decode()


def test_delete_transfers_users_and_lifts_sub_roles(client_as, admin, manager, staff, roles):
    rule = SharingRule.objects.create(
        module="accounts", from_kind="role", from_role=roles["Manager"], to_kind="role", to_role=roles["Staff East"]
    )
    make_user("inactive_manager", roles["Manager"], is_active=False)
    client = client_as(admin)
    url = reverse("settings_admin:role_delete", args=[roles["Manager"].pk])
    page = client.get(url)
    assert "2 users of Manager will be transferred" in page.content.decode()
    assert "1 sharing rule naming Manager will be deleted" in page.content.decode()
    assert roles["Staff"] not in page.context["form"].fields["transfer_to"].queryset

    response = client.post(url, {"transfer_to": roles["Manager East"].pk}, follow=True)
    assert "Role Manager deleted; 2 users transferred to Manager East." in response.content.decode()
    assert not Role.objects.filter(name="Manager").exists()
    assert not SharingRule.objects.filter(pk=rule.pk).exists()
    assert set(User.objects.filter(role=roles["Manager East"]).values_list("username", flat=True)) == {
        "manager",
        "inactive_manager",
    }
    # Staff moved up below Management, with its users.
    staff_role = Role.objects.get(name="Staff")
    assert staff_role.parent == roles["Management"]
    assert staff_role.path == f"{roles['Management'].path}{staff_role.pk:04d}."
    assert User.objects.get(pk=staff.pk).role == staff_role


def test_delete_refuses_a_successor_inside_the_branch_and_organization(client_as, admin, manager, roles):
    client = client_as(admin)
    url = reverse("settings_admin:role_delete", args=[roles["Manager"].pk])
    response = client.post(url, {"transfer_to": roles["Staff"].pk})
    assert response.status_code == 422
    assert "Choose a role outside the branch being deleted." in response.content.decode()
    assert Role.objects.filter(name="Manager").exists()
    assert User.objects.get(pk=manager.pk).role == roles["Manager"]

    top = reverse("settings_admin:role_delete", args=[roles["Organization"].pk])
    response = client.post(top, {"transfer_to": roles["Staff"].pk}, follow=True)
    assert "Organization is the top of the role tree and cannot be deleted." in response.content.decode()
    assert Role.objects.filter(parent=None).get().name == "Organization"


def test_ids_out_of_any_range_are_answered_not_crashed(client_as, admin, roles):
    client = client_as(admin)
    huge = "9" * 30
    assert drop(client, roles["Staff"], huge).status_code == 400
    assert client.get(f"/settings/roles/{huge}/edit/").status_code == 404
    response = client.post(reverse("settings_admin:role_move", args=[roles["Staff"].pk]), {"new_parent": huge})
    assert response.status_code == 422
