"""Module rights from profiles: the menu, the list, Add, Quick Create and related lists follow them."""

import pytest
from django.urls import reverse

from accounts.models import Account, Contact
from secondcrm.access.models import ModuleRight, Profile
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def set_rights(preset: str, module: str, **rights) -> None:
    ModuleRight.objects.update_or_create(
        profile=Profile.objects.get(preset=preset),
        module=module,
        defaults={f"can_{right}": value for right, value in rights.items()},
    )


def test_default_profiles_grant_what_the_manual_says(client_as, staff, manager, management):
    account = AccountFactory(assigned_user=staff)
    add_url = reverse("records:add", kwargs={"module": Account.module})
    delete_url = reverse("records:delete", kwargs={"module": Account.module, "pk": account.pk})
    assert client_as(staff).get(add_url).status_code == 200
    assert client_as(staff).get(delete_url).status_code == 403  # Staff: no delete
    assert client_as(manager).get(delete_url).status_code == 200  # Manager oversees Staff
    assert client_as(management).get(account.get_absolute_url()).status_code == 200  # reads everything
    assert client_as(management).get(add_url).status_code == 403  # ...and changes nothing
    edit_url = reverse("records:edit", kwargs={"module": Account.module, "pk": account.pk})
    assert client_as(management).get(edit_url).status_code == 403


def test_a_module_without_the_view_right_is_gone_from_menu_list_and_records(client_as, staff):
    contact = ContactFactory(assigned_user=staff)
    set_rights(Profile.Preset.STAFF, "contacts", view=False, create=False, edit=False)
    client = client_as(staff)

    home = client.get(reverse("home")).text
    assert reverse("records:list", kwargs={"module": Contact.module}) not in home
    assert client.get(reverse("records:list", kwargs={"module": Contact.module})).status_code == 403
    assert client.get(contact.get_absolute_url()).status_code == 404
    # The account's Contacts tab is not offered either.
    account_page = client.get(contact.account.get_absolute_url()).text
    assert "Add Contact" not in account_page


def test_without_the_create_right_add_and_quick_create_are_refused(client_as, staff):
    set_rights(Profile.Preset.STAFF, "accounts", view=True, create=False, edit=True)
    client = client_as(staff)
    assert client.get(reverse("records:add", kwargs={"module": Account.module})).status_code == 403
    assert client.get(reverse("records:quick_create", kwargs={"module": Account.module})).status_code == 403
    response = client.post(
        reverse("records:add", kwargs={"module": Account.module}),
        {"account_name": "Sneaky", "assigned_to": f"user:{staff.pk}"},
    )
    assert response.status_code == 403
    assert not Account.objects.filter(account_name="Sneaky").exists()
    # The Quick Create menu does not offer it.
    assert reverse("records:quick_create", kwargs={"module": Account.module}) not in client.get("/").text


def test_a_user_without_a_role_sees_nothing(client_as, staff):
    AccountFactory(assigned_user=staff)
    staff.role = None
    staff.save()
    assert client_as(staff).get(reverse("records:list", kwargs={"module": Account.module})).status_code == 403


def test_picker_offers_only_visible_records(client_as, staff, manager):
    AccountFactory(assigned_user=staff, account_name="Mine Ltd")
    AccountFactory(assigned_user=manager, account_name="Managers Ltd")
    response = client_as(staff).get(reverse("records:picker", kwargs={"module": Account.module}), {"q": "Ltd"})
    assert [row["text"] for row in response.json()["results"]] == ["Mine Ltd"]
