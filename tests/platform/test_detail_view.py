"""What a record's detail view shows of other records and of its history: a reference field names its record and
links to it (not to one in the Recycle Bin), a related list counts its records, and each Updates entry says when,
who and what changed, in the user's time zone."""

import datetime

import pytest

from accounts.models import Account
from secondcrm.records.changes import acting_as
from secondcrm.records.models import Update
from secondcrm.records.services import record_delete
from secondcrm.records.views import detail
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def _value(response, name: str):
    return next(value for value in response.context["summary"] if value.name == name)


def test_a_reference_names_its_record_and_links_to_it(client_as, staff):
    account = AccountFactory(assigned_user=staff, account_name="Acme & Sons")
    contact = ContactFactory(assigned_user=staff, account=account)

    response = client_as(staff).get(contact.get_absolute_url())

    value = _value(response, "account")
    assert (value.text, value.url) == ("Acme & Sons", account.get_absolute_url())
    assert f'<a href="{account.get_absolute_url()}">Acme &amp; Sons</a>' in response.text


def test_a_reference_to_a_record_in_the_recycle_bin_names_it_without_a_link(client_as, staff):
    account = AccountFactory(assigned_user=staff, account_name="Gone Ltd")
    contact = ContactFactory(assigned_user=staff, account=account)
    record_delete(record=account, acting_user=staff)

    value = _value(client_as(staff).get(contact.get_absolute_url()), "account")

    assert (value.text, value.url) == ("Gone Ltd", "")


def _related(response, label: str) -> dict:
    return next(item for item in response.context["related_lists"] if item["related"].label == label)


def test_a_related_list_counts_its_records_and_says_when_it_shows_only_some(client_as, staff, monkeypatch):
    monkeypatch.setattr(detail, "RELATED_ROWS", 2)
    client = client_as(staff)
    fits, cut = AccountFactory(assigned_user=staff), AccountFactory(assigned_user=staff)
    for account, count in ((fits, 2), (cut, 3)):
        for _ in range(count):
            ContactFactory(assigned_user=staff, account=account)

    contacts = _related(client.get(fits.get_absolute_url()), "Contacts")
    assert (len(contacts["rows"]), contacts["count"]) == (2, 2)
    response = client.get(cut.get_absolute_url())
    contacts = _related(response, "Contacts")
    assert (len(contacts["rows"]), contacts["count"]) == (2, 3)
    assert "Showing 2 of 3." in response.text


def test_a_related_list_counts_only_the_records_the_user_may_see(client_as, staff, staff_east):
    account = AccountFactory(assigned_user=staff)
    ContactFactory(assigned_user=staff, account=account)
    ContactFactory(assigned_user=staff_east, account=account)

    contacts = _related(client_as(staff).get(account.get_absolute_url()), "Contacts")

    assert (len(contacts["rows"]), contacts["count"]) == (1, 1)


def test_an_update_says_when_who_and_what_changed_in_the_users_time_zone(client_as, staff):
    account = AccountFactory(assigned_user=staff, phone="")  # created by the system: no one was acting
    with acting_as(staff):
        account.phone = "+65 6999 0000"
        account.save()
    at = datetime.datetime(2030, 2, 2, 3, 0, tzinfo=datetime.UTC)
    Update.objects.filter(action=Update.Action.UPDATED).update(at=at)
    staff.time_zone = "America/New_York"
    staff.save()

    page = client_as(staff).get(Account.objects.get(pk=account.pk).get_absolute_url()).text

    assert '<time datetime="2030-02-01T22:00:00-05:00">Feb. 1, 2030, 10 p.m.</time>' in page
    assert "<strong>Staff Persona</strong> updated this record." in page
    assert '<span class="fw-semibold">Phone</span> changed from <q>(empty)</q> to <q>+65 6999 0000</q>' in page
    assert "<strong>System</strong> created this record." in page
