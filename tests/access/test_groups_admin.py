"""Settings > Groups over HTTP: admins only; create and edit groups with their members, and delete a group
only when no record is assigned to it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from secondcrm.access.models import SharingRule, User
from secondcrm.records.services import record_delete
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales(staff, staff_east) -> Group:
    group = Group.objects.create(name="Sales Team")
    group.user_set.add(staff, staff_east)
    return group


@pytest.mark.parametrize("name", ["groups", "group_add", "group_edit", "group_delete"])
def test_group_pages_are_403_for_manager_and_staff(client_as, manager, staff, sales, name):
    url = reverse(f"settings_admin:{name}", args=[sales.pk] if name in ("group_edit", "group_delete") else [])
    for user in (manager, staff):
        assert client_as(user).get(url).status_code == 403
        assert client_as(user).post(url, {"name": "Taken over"}).status_code == 403
    assert Group.objects.filter(name="Sales Team").exists()


def test_the_list_shows_each_group_with_its_member_count(client_as, admin, sales):
    Group.objects.create(name="Empty Crew")
    response = client_as(admin).get(reverse("settings_admin:groups"))
    assert [(group.name, group.members) for group in response.context["groups"]] == [
        ("Empty Crew", 0),
        ("Sales Team", 2),
    ]
    assert "Sales Team" in response.text


def test_admin_creates_a_group_with_members(client_as, admin, staff, manager):
    response = client_as(admin).post(
        reverse("settings_admin:group_add"), {"name": "Key Accounts", "members": [staff.pk, manager.pk]}
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Key Accounts")
    assert set(group.user_set.all()) == {staff, manager}


def test_a_group_name_is_unique_whatever_its_case(client_as, admin, sales):
    response = client_as(admin).post(reverse("settings_admin:group_add"), {"name": "sales team"})
    assert response.status_code == 422
    assert response.context["form"].errors["name"] == ["A group with that name already exists."]
    assert Group.objects.count() == 1


def test_a_group_needs_a_name(client_as, admin):
    response = client_as(admin).post(reverse("settings_admin:group_add"), {"name": "  "})
    assert response.status_code == 422
    assert "This field is required." in response.context["form"].errors["name"]


def test_members_are_picked_from_active_users_and_inactive_members_stay(client_as, admin, sales, staff, manager):
    inactive = User.objects.create_user("gone", "gone@example.com", "x", is_active=False, last_name="Gone")
    sales.user_set.add(inactive)
    url = reverse("settings_admin:group_edit", args=[sales.pk])
    client = client_as(admin)

    form = client.get(url).context["form"]
    assert inactive not in form.fields["members"].queryset
    assert set(form.fields["members"].initial) == set(sales.user_set.filter(is_active=True))

    refused = client.post(url, {"name": "Sales Team", "members": [inactive.pk]})
    assert refused.status_code == 422  # not a choice

    response = client.post(url, {"name": "Sales Team EU", "members": [manager.pk]})
    assert response.status_code == 302
    sales.refresh_from_db()
    assert sales.name == "Sales Team EU"
    assert set(sales.user_set.all()) == {manager, inactive}


def test_a_group_with_records_cannot_be_deleted(client_as, admin, sales):
    account = AccountFactory(assigned_user=None, assigned_group=sales)
    deleted = AccountFactory(assigned_user=None, assigned_group=sales)
    record_delete(record=deleted, acting_user=admin)  # in the Recycle Bin, still assigned to the group
    ContactFactory(assigned_user=None, assigned_group=sales, account=account)
    url = reverse("settings_admin:group_delete", args=[sales.pk])
    client = client_as(admin)

    page = client.get(url).text
    assert "cannot be deleted" in page
    assert "Accounts: 2" in page

    response = client.post(url, follow=True)
    assert "Group Sales Team cannot be deleted: 3 records are assigned to it (Accounts: 2, Contacts: 1)" in (
        response.text
    )
    assert Group.objects.filter(pk=sales.pk).exists()


def test_a_group_without_records_is_deleted_with_its_sharing_rules(client_as, admin, sales, roles, staff):
    rule = SharingRule.objects.create(
        module="accounts",
        from_kind=SharingRule.Party.GROUP,
        from_group=sales,
        to_kind=SharingRule.Party.ROLE,
        to_role=roles["Manager"],
        access=SharingRule.Access.READ,
    )
    url = reverse("settings_admin:group_delete", args=[sales.pk])
    client = client_as(admin)
    assert "1 sharing rule naming this group will be removed" in client.get(url).text

    response = client.post(url, follow=True)
    assert "Group Sales Team deleted." in response.text
    assert not Group.objects.filter(pk=sales.pk).exists()
    assert not SharingRule.objects.filter(pk=rule.pk).exists()
    assert User.objects.filter(pk=staff.pk, is_active=True).exists()  # members stay users


def test_unknown_group_is_404_for_admins(client_as, admin):
    assert client_as(admin).get(reverse("settings_admin:group_edit", args=[999999])).status_code == 404
    assert client_as(admin).post(reverse("settings_admin:group_delete", args=[999999])).status_code == 404
