"""An account its potentials belong to stays in the Recycle Bin when an admin purges it: a message, no 500."""

import pytest
from django.urls import reverse

from accounts.models import Account
from secondcrm.records.services import record_delete
from tests.factories import AccountFactory, PotentialFactory

pytestmark = pytest.mark.django_db


def test_purging_an_account_with_potentials_is_refused_with_a_message(client_as, admin, manager):
    account = AccountFactory(assigned_user=manager, account_name="Held Ltd")
    PotentialFactory(assigned_user=manager, account=account)
    other = AccountFactory(assigned_user=manager, account_name="Free Ltd")
    for record in (account, other):
        record_delete(record=record, acting_user=manager)

    response = client_as(admin).post(
        reverse("settings_admin:recycle_bin"),
        {"module": "accounts", "action": "purge", "selection": [account.pk, other.pk]},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Held Ltd cannot be deleted for good while 1 potentials belong to it" in text
    assert "Deleted 1 accounts for good." in text
    assert Account.all_objects.filter(pk=account.pk).exists()
    assert not Account.all_objects.filter(pk=other.pk).exists()
