"""The demo's leads: a few to work on, and one already converted into a customer."""

import io

import pytest
from django.core.management import call_command

from accounts.models import Account
from leads.models import Lead

pytestmark = pytest.mark.django_db


def test_the_demo_has_leads_and_a_converted_one():
    call_command("seed_demo", stdout=io.StringIO())
    assert Lead.objects.count() == 4
    converted = Lead.all_objects.get(converted=True)
    assert converted.company == "Kampong Coffee Roasters" and converted.lead_status == "Qualified"
    account = Account.objects.get(account_name="Kampong Coffee Roasters")
    assert converted.converted_account == account and converted.converted_contact.account == account
    assert [c.body for c in converted.converted_contact.comments.all()] == [
        "Wants a quote for three outlets; decision before the end of the quarter."
    ]
    assert set(account.tags.names()) == {"trade fair"}
