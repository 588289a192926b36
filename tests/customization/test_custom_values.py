"""Custom values survive a round trip through the edit form and read as their type on the detail view."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Account
from secondcrm.records.display import format_value
from secondcrm.records.models import CustomField
from tests.factories import AccountFactory
from tests.record_suite import form_data

pytestmark = pytest.mark.django_db


def test_a_date_time_value_is_kept_when_the_record_is_saved_unchanged(client_as, manager):
    CustomField.objects.create(
        module="accounts", name="cf_visit", label="Next Visit", field_type=CustomField.Type.DATETIME
    )
    account = AccountFactory(assigned_user=manager, custom={"cf_visit": "2027-01-31T10:30:00+08:00"})
    url = reverse("records:edit", kwargs={"module": Account.module, "pk": account.pk})
    # The browser's date-time input reads only "YYYY-MM-DDTHH:MM" (here in the user's time zone, Singapore).
    assert 'value="2027-01-31T10:30"' in client_as(manager).get(url).text
    data = form_data(Account.module, account, manager)

    assert client_as(manager).post(url, data).status_code == 302
    account.refresh_from_db()
    assert account.custom["cf_visit"].startswith("2027-01-31T10:30")


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("12.3456"), "12.3456"), (Decimal("12.5"), "12.50"), (Decimal("1234.005"), "1,234.005")],
)
def test_decimals_are_never_cut_off(value, shown):
    assert format_value(value) == shown
