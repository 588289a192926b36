"""Explicit per-record shares: the Share page of a record, what a share lets its receiver do, and that
shares go away with the record.

Personas: the manager owns the account; the staff user (below the manager) cannot see it by default, the
Accounts module being Private."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from guardian.models import GroupObjectPermission, UserObjectPermission

from accounts.models import Account
from secondcrm.access.shares import ShareAccess, record_share, record_unshare, shares_of
from secondcrm.records.models import Update
from secondcrm.records.services import record_delete, record_purge
from tests.factories import AccountFactory, ContactFactory
from tests.personas import make_user
from tests.record_suite import form_data

pytestmark = pytest.mark.django_db

READ, READ_WRITE = ShareAccess.READ.value, ShareAccess.READ_WRITE.value


def url(name: str, record) -> str:
    return reverse(f"records:{name}", kwargs={"module": record.module.name, "pk": record.pk})


def share(client, record, party, access: str):
    kind = "group" if isinstance(party, Group) else "user"
    return client.post(url("share", record), {"share_with": f"{kind}:{party.pk}", "access": access})


def guardian_rows(record) -> int:
    found = {"content_type": ContentType.objects.get_for_model(record), "object_pk": str(record.pk)}
    return UserObjectPermission.objects.filter(**found).count() + GroupObjectPermission.objects.filter(**found).count()


@pytest.fixture
def account(manager) -> Account:
    return AccountFactory(assigned_user=manager, account_name="Managers Ltd")


def test_a_read_only_share_lets_the_staff_user_see_but_not_edit(client_as, manager, staff, account):
    staff_client = client_as(staff)
    assert staff_client.get(account.get_absolute_url()).status_code == 404

    response = share(client_as(manager), account, staff, READ)

    assert response.status_code == 302 and response.url == url("share", account)
    assert staff_client.get(account.get_absolute_url()).status_code == 200
    assert "Managers Ltd" in staff_client.get(reverse("records:list", kwargs={"module": "accounts"})).text
    assert staff_client.get(url("edit", account)).status_code == 403
    assert [(s.party, s.access) for s in shares_of(account)] == [(staff, READ)]
    page = client_as(manager).get(url("share", account)).text
    assert "Staff Persona" in page and "Read Only" in page and "Remove share with Staff Persona" in page


def test_a_read_write_share_lets_the_staff_user_edit_and_save(client_as, manager, staff, account):
    share(client_as(manager), account, staff, READ_WRITE)
    client = client_as(staff)

    assert client.get(url("edit", account)).status_code == 200
    data = form_data(account.module, account, staff) | {"account_name": "Renamed By Staff"}
    response = client.post(url("edit", account), data)

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.account_name == "Renamed By Staff"
    assert account.assigned_user == manager  # still the manager's, shared with staff


def test_changing_the_access_of_a_share_replaces_it(client_as, manager, staff, account):
    client = client_as(manager)
    share(client, account, staff, READ_WRITE)
    share(client, account, staff, READ)

    assert guardian_rows(account) == 1
    assert [(s.party, s.access) for s in shares_of(account)] == [(staff, READ)]
    assert client_as(staff).get(url("edit", account)).status_code == 403
    shared_with = [u.changes[0] for u in account.updates.filter(action=Update.Action.UPDATED)]
    assert [(c["old"], c["new"]) for c in reversed(shared_with)] == [
        ("", "Staff Persona (Read/Write)"),
        ("Staff Persona (Read/Write)", "Staff Persona (Read Only)"),
    ]


def test_a_share_with_a_group_reaches_its_members(client_as, manager, staff, account):
    team = Group.objects.create(name="Key Accounts")
    staff.groups.add(team)

    share(client_as(manager), account, team, READ_WRITE)

    client = client_as(staff)
    assert client.get(account.get_absolute_url()).status_code == 200
    assert client.get(url("edit", account)).status_code == 200
    assert [(s.kind, s.party, s.access) for s in shares_of(account)] == [("group", team, READ_WRITE)]


def test_removing_a_share_hides_the_record_again_and_shows_in_updates(client_as, manager, staff, account):
    client = client_as(manager)
    share(client, account, staff, READ)

    response = client.post(url("share", account), {"remove": f"user:{staff.pk}"}, follow=True)

    assert f"Managers Ltd is no longer shared with {staff}." in response.text
    assert client_as(staff).get(account.get_absolute_url()).status_code == 404
    assert guardian_rows(account) == 0
    latest = account.updates.filter(action=Update.Action.UPDATED).first()
    assert latest.user == manager
    assert latest.changes == [
        {"field": "shared_with", "label": "Shared With", "old": "Staff Persona (Read Only)", "new": ""}
    ]
    assert "Shared With" in client.get(account.get_absolute_url()).text  # the Updates tab shows it


def test_removing_a_share_that_is_gone_is_a_warning_not_an_error(client_as, manager, account):
    client = client_as(manager)
    for value in ("user:999999", "group:abc", "nonsense"):
        response = client.post(url("share", account), {"remove": value}, follow=True)
        assert response.status_code == 200
        assert "That share had already been removed." in response.text
    assert not account.updates.filter(action=Update.Action.UPDATED).exists()


def test_the_share_button_is_offered_only_to_those_who_may_edit(client_as, manager, staff, management, account):
    assert url("share", account) in client_as(manager).get(account.get_absolute_url()).text
    share(client_as(manager), account, staff, READ)
    assert url("share", account) not in client_as(staff).get(account.get_absolute_url()).text
    assert url("share", account) not in client_as(management).get(account.get_absolute_url()).text


def test_a_user_cannot_share_a_record_he_cannot_edit(client_as, manager, staff, staff_east, management, account):
    staff_client = client_as(staff)
    # Invisible: 404, as if it did not exist.
    assert staff_client.get(url("share", account)).status_code == 404
    assert share(staff_client, account, staff_east, READ_WRITE).status_code == 404
    # Visible but read-only, to him or to everybody (Management reads all, edits nothing): 403.
    share(client_as(manager), account, staff, READ)
    assert staff_client.get(url("share", account)).status_code == 403
    assert share(staff_client, account, staff_east, READ_WRITE).status_code == 403
    assert staff_client.post(url("share", account), {"remove": f"user:{staff.pk}"}).status_code == 403
    assert client_as(management).get(url("share", account)).status_code == 403
    assert [s.party for s in shares_of(account)] == [staff]


def test_sharing_with_an_inactive_user_is_refused(client_as, manager, roles, account):
    gone = make_user("departed", roles["Staff"], is_active=False)
    client = client_as(manager)

    assert f"user:{gone.pk}" not in client.get(url("share", account)).text  # not offered
    response = share(client, account, gone, READ)

    assert response.status_code == 422
    assert "Departed Persona is inactive; a record cannot be shared with an inactive user." in response.text
    assert guardian_rows(account) == 0


def test_the_share_form_explains_missing_or_unknown_input(client_as, manager, account):
    client = client_as(manager)
    response = client.post(url("share", account), {"share_with": "", "access": READ})
    assert response.status_code == 422
    assert "This field is required." in response.text

    response = client.post(url("share", account), {"share_with": "user:999999", "access": "everything"})
    assert response.status_code == 422
    assert "Select a user or a group to share with." in response.text
    assert "Select a valid choice." in response.text  # the access
    assert guardian_rows(account) == 0


def test_removing_your_own_share_takes_you_where_you_still_may_go(client_as, manager, staff, account):
    share(client_as(manager), account, staff, READ_WRITE)
    client = client_as(staff)

    response = client.post(url("share", account), {"share_with": f"user:{staff.pk}", "access": READ})
    assert response.url == account.get_absolute_url()  # narrowed to Read Only: back to the record
    share(client_as(manager), account, staff, READ_WRITE)
    response = client.post(url("share", account), {"remove": f"user:{staff.pk}"})
    assert response.url == reverse("records:list", kwargs={"module": "accounts"})  # gone from his reach


def test_names_are_escaped_on_the_share_page(client_as, manager, account):
    team = Group.objects.create(name="<b>Sales</b>")
    record_share(record=account, group=team, access=READ, acting_user=manager)

    page = client_as(manager).get(url("share", account)).text

    assert "&lt;b&gt;Sales&lt;/b&gt;" in page and "<b>Sales</b>" not in page


def test_shares_work_on_every_module(client_as, manager, staff):
    contact = ContactFactory(assigned_user=manager)
    assert client_as(staff).get(contact.get_absolute_url()).status_code == 404
    share(client_as(manager), contact, staff, READ)
    assert client_as(staff).get(contact.get_absolute_url()).status_code == 200


def test_purging_a_record_leaves_no_shares_behind(client_as, admin, manager, staff, account):
    team = Group.objects.create(name="Key Accounts")
    record_share(record=account, user=staff, access=READ, acting_user=manager)
    record_share(record=account, group=team, access=READ_WRITE, acting_user=manager)
    other = AccountFactory(assigned_user=manager)
    record_share(record=other, user=staff, access=READ, acting_user=manager)

    record_delete(record=account, acting_user=manager)
    assert guardian_rows(account) == 2  # the Recycle Bin keeps them, for a restore
    record_purge(record=Account.all_objects.get(pk=account.pk), acting_user=admin)

    assert guardian_rows(account) == 0
    assert guardian_rows(other) == 1  # another record's share is untouched


def test_unshare_without_a_share_changes_nothing(manager, staff, account):
    assert record_unshare(record=account, user=staff, acting_user=manager) is False
    assert not account.updates.filter(action=Update.Action.UPDATED).exists()
