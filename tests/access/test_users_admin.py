"""Settings > Users over HTTP: admins only; create, edit (role and Admin flag), deactivate, reactivate and
reset password, with the form errors and the last-admin guard the manual promises."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from secondcrm.access.models import User
from settings_admin.users.forms import INDENT
from settings_admin.users.services import user_deactivate
from tests.factories import AccountFactory
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Harbour-lights-42"
MISMATCH = "The two password fields didn\u2019t match."  # Django's message, with its typographic apostrophe


def new_user_data(roles, **overrides) -> dict:
    data = {
        "username": "jdoe",
        "first_name": "Jane",
        "last_name": "Doe",
        "email": "jane@example.com",
        "role": roles["Staff"].pk,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return {**data, **overrides}


def edit_data(user: User, **overrides) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role_id,
    }
    if user.is_superuser:
        data["is_superuser"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("name", ["users", "user_add", "user_edit", "user_password"])
def test_user_pages_are_403_for_manager_and_staff(client_as, manager, staff, name):
    url = reverse(f"settings_admin:{name}", args=[staff.pk] if name in ("user_edit", "user_password") else [])
    for user in (manager, staff):
        assert client_as(user).get(url).status_code == 403
        assert client_as(user).post(url, {}).status_code == 403


def test_deactivate_and_reactivate_are_403_for_non_admins(client_as, manager, staff):
    for name in ("user_deactivate", "user_reactivate"):
        response = client_as(manager).post(reverse(f"settings_admin:{name}", args=[staff.pk]))
        assert response.status_code == 403
    staff.refresh_from_db()
    assert staff.is_active


def test_the_list_shows_role_admin_flag_and_status_and_filters(client_as, admin, staff, manager):
    User.objects.filter(pk=manager.pk).update(is_active=False)
    client = client_as(admin)
    page = client.get(reverse("settings_admin:users")).text
    assert "staff@example.com" in page
    assert "Staff Persona" in page
    assert ">Admin</span>" in page
    assert "Inactive" in page

    found = client.get(reverse("settings_admin:users"), {"q": "STAFF@"}).text
    assert "staff@example.com" in found
    assert "manager@example.com" not in found

    inactive = client.get(reverse("settings_admin:users"), {"status": "inactive"}).text
    assert "manager@example.com" in inactive
    assert "staff@example.com" not in inactive
    active = client.get(reverse("settings_admin:users"), {"status": "active"}).text
    assert "manager@example.com" not in active


def test_the_role_select_shows_the_tree_indented(client_as, admin, roles):
    page = client_as(admin).get(reverse("settings_admin:user_add")).text
    # Organization at the top with no indent; Staff three levels below it.
    assert f'<option value="{roles["Organization"].pk}">Organization</option>' in page
    assert f'<option value="{roles["Staff"].pk}">{INDENT * 3}Staff</option>' in page


def test_admin_creates_a_user_who_can_sign_in(client_as, admin, roles):
    response = client_as(admin).post(reverse("settings_admin:user_add"), new_user_data(roles, is_superuser="on"))
    assert response.status_code == 302
    user = User.objects.get(username="jdoe")
    assert (user.get_full_name(), user.role, user.is_superuser, user.is_active) == (
        "Jane Doe",
        roles["Staff"],
        True,
        True,
    )
    assert Client().login(username="jdoe", password=NEW_PASSWORD)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"username": "Staff"}, "username", "A user with that user name already exists."),
        ({"password2": "Something-else-42"}, "password2", MISMATCH),
        ({"role": ""}, "role", "This field is required."),
        ({"password1": "12345678", "password2": "12345678"}, "password2", "This password is entirely numeric."),
        ({"email": ""}, "email", "This field is required."),
    ],
)
def test_create_refuses_bad_input_with_a_clear_error(client_as, admin, staff, roles, overrides, field, message):
    response = client_as(admin).post(reverse("settings_admin:user_add"), new_user_data(roles, **overrides))
    assert response.status_code == 422
    assert message in response.context["form"].errors[field]
    assert "Please correct the errors below" in response.text
    assert not User.objects.filter(username="jdoe").exists()


def test_changing_the_role_is_editing_the_role_field(client_as, admin, staff, roles):
    url = reverse("settings_admin:user_edit", args=[staff.pk])
    client = client_as(admin)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["user"] == admin  # the navbar's user menu is still the admin's, not the edited user's
    response = client.post(url, edit_data(staff, role=roles["Manager"].pk, first_name="Sam"))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.role, staff.first_name) == (roles["Manager"], "Sam")
    # The edit form has no password: the old one still works.
    assert Client().login(username="staff", password=PASSWORD)


def test_edit_refuses_a_user_name_taken_by_another_user(client_as, admin, staff, manager):
    url = reverse("settings_admin:user_edit", args=[staff.pk])
    response = client_as(admin).post(url, edit_data(staff, username="MANAGER"))
    assert response.status_code == 422
    assert "A user with that user name already exists." in response.text
    staff.refresh_from_db()
    assert staff.username == "staff"


def test_edit_without_a_role_is_refused(client_as, admin, staff):
    response = client_as(admin).post(reverse("settings_admin:user_edit", args=[staff.pk]), edit_data(staff, role=""))
    assert response.status_code == 422
    assert response.context["form"].errors["role"] == ["This field is required."]


def test_a_deactivated_user_cannot_sign_in_and_keeps_their_records(client_as, admin, staff):
    account = AccountFactory(assigned_user=staff)
    response = client_as(admin).post(reverse("settings_admin:user_deactivate", args=[staff.pk]), follow=True)
    assert "User staff deactivated" in response.text
    staff.refresh_from_db()
    assert not staff.is_active
    assert not Client().login(username="staff", password=PASSWORD)
    refused = Client().post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert refused.status_code == 200  # the login form again, with its error
    assert refused.context["form"].errors
    account.refresh_from_db()
    assert account.assigned_user == staff


def test_a_deactivated_users_open_session_ends(client_as, admin, staff):
    session = client_as(staff)
    client_as(admin).post(reverse("settings_admin:user_deactivate", args=[staff.pk]))
    assert session.get(reverse("home")).status_code == 302  # back to the login page


def test_reactivated_user_can_sign_in_again(client_as, admin, staff):
    User.objects.filter(pk=staff.pk).update(is_active=False)
    client_as(admin).post(reverse("settings_admin:user_reactivate", args=[staff.pk]))
    assert Client().login(username="staff", password=PASSWORD)


def test_an_admin_cannot_deactivate_themself(client_as, admin, roles):
    make_user("second_admin", roles["Management"], is_superuser=True)
    response = client_as(admin).post(reverse("settings_admin:user_deactivate", args=[admin.pk]), follow=True)
    assert "You cannot deactivate yourself" in response.text
    admin.refresh_from_db()
    assert admin.is_active


def test_the_last_active_admin_keeps_the_admin_flag(client_as, admin, roles):
    client = client_as(admin)
    url = reverse("settings_admin:user_edit", args=[admin.pk])
    response = client.post(url, edit_data(admin, is_superuser=None))
    assert response.status_code == 422
    assert "admin is the last active admin and cannot lose the Admin flag" in response.text
    admin.refresh_from_db()
    assert admin.is_superuser

    # An inactive admin does not count; a second active one does, and then the admin may step down.
    make_user("old_admin", roles["Management"], is_superuser=True, is_active=False)
    assert client.post(url, edit_data(admin, is_superuser=None)).status_code == 422
    make_user("second_admin", roles["Management"], is_superuser=True)
    response = client.post(url, edit_data(admin, is_superuser=None), follow=True)
    assert "You are no longer an admin." in response.text
    admin.refresh_from_db()
    assert not admin.is_superuser
    assert client.get(reverse("settings_admin:users")).status_code == 403


def test_the_last_active_admin_cannot_be_deactivated(admin, manager):
    """Over HTTP the acting admin is always another active admin; the service still refuses on its own."""
    with pytest.raises(ValidationError, match="last active admin and cannot be deactivated"):
        user_deactivate(user=admin, acting_user=manager)
    admin.refresh_from_db()
    assert admin.is_active


def test_reset_password_sets_a_new_one_checked_by_the_validators(client_as, admin, staff):
    url = reverse("settings_admin:user_password", args=[staff.pk])
    client = client_as(admin)
    assert client.get(url).status_code == 200

    mismatch = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": "Other-password-42"})
    assert mismatch.status_code == 422
    assert MISMATCH in mismatch.context["form"].errors["new_password2"]
    weak = client.post(url, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 422
    assert "This password is too common." in weak.context["form"].errors["new_password2"]
    assert Client().login(username="staff", password=PASSWORD)

    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "The password of staff was changed." in response.text
    assert not Client().login(username="staff", password=PASSWORD)
    assert Client().login(username="staff", password=NEW_PASSWORD)


def test_unknown_user_is_404_for_admins(client_as, admin):
    assert client_as(admin).get(reverse("settings_admin:user_edit", args=[999999])).status_code == 404
    assert client_as(admin).get(reverse("settings_admin:user_password", args=[999999])).status_code == 404
    assert client_as(admin).post(reverse("settings_admin:user_deactivate", args=[999999])).status_code == 404
