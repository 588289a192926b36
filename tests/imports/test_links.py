"""Record links in an import: a contact or potential naming an account is linked to the visible account of that
name; with "create missing accounts" on, an account nobody can find is created once (numbered, owned by the
importer, undone with the import); otherwise the row fails with the reason. Other links match their module's
title field.

Personas: manager (every right), staff (no right over staff_east's records; contacts and accounts are Private)."""

from decimal import Decimal

import pytest

from accounts.models import Account, Contact
from potentials.models import Potential
from secondcrm.access.models import ModuleRight, Profile
from secondcrm.records.models import Update
from tests.factories import AccountFactory, ContactFactory
from tests.imports.jobs import imported, new_job

pytestmark = pytest.mark.django_db


def test_a_contact_links_to_the_visible_account_of_its_name(manager):
    acme = AccountFactory(assigned_user=manager, account_name="Acme Ltd")
    AccountFactory(assigned_user=manager, account_name="ACME LTD")  # a later namesake: the oldest wins

    job = imported(new_job(manager, "Last Name,Account Name\nSmith,acme ltd\nJones,\n"))

    assert job.created_count == 2
    assert Contact.objects.get(last_name="Smith").account == acme
    assert Contact.objects.get(last_name="Jones").account is None
    assert Account.objects.count() == 2


def test_an_account_the_importer_cannot_see_is_not_linked(staff, staff_east):
    AccountFactory(assigned_user=staff_east, account_name="East Trading")

    job = imported(new_job(staff, "Last Name,Account Name\nSmith,East Trading\n"))

    assert list(job.failures.values_list("reason", flat=True)) == [
        'Account Name: there is no account called "East Trading" that you can see.'
    ]
    assert not Contact.objects.exists()


def test_missing_accounts_are_created_once_when_asked(manager):
    text = "Last Name,Account Name\nSmith,Initech\nJones,INITECH\nBrown,Globex\n"

    job = imported(new_job(manager, text, create_missing_accounts=True))

    assert job.created_count == 3
    initech = Account.objects.get(account_name="Initech")
    assert initech.number.startswith("ACC")
    assert (initech.assigned_user, initech.created_by) == (manager, manager)
    assert set(Contact.objects.filter(account=initech).values_list("last_name", flat=True)) == {"Smith", "Jones"}
    assert Account.objects.count() == 2
    assert Update.objects.filter(object_id=initech.pk, action=Update.Action.CREATED).exists()
    assert set(job.records.filter(module="accounts").values_list("object_id", flat=True)) == set(
        Account.objects.values_list("pk", flat=True)
    )


def test_a_user_who_may_not_create_accounts_gets_the_reason(staff):
    ModuleRight.objects.create(
        profile=Profile.objects.get(preset=Profile.Preset.STAFF), module="accounts", can_view=True
    )

    job = imported(new_job(staff, "Last Name,Account Name\nSmith,Initech\n", create_missing_accounts=True))

    assert list(job.failures.values_list("reason", flat=True)) == [
        'Account Name: there is no account called "Initech", and you may not create accounts.'
    ]
    assert not Account.objects.exists()


def test_other_links_match_their_modules_title_field(manager):
    boss = ContactFactory(assigned_user=manager, first_name="Ada", last_name="Lovelace")

    job = imported(new_job(manager, "Last Name,Reports To\nSmith,lovelace\nJones,Babbage\n"))

    assert Contact.objects.get(last_name="Smith").reports_to == boss
    assert list(job.failures.values_list("reason", flat=True)) == [
        'Reports To: there is no contact called "Babbage" that you can see.'
    ]


def test_potentials_need_their_account_and_are_saved_with_their_own_rules(manager):
    acme = AccountFactory(assigned_user=manager, account_name="Acme Ltd")
    text = (
        "Potential Name,Account Name,Expected Close Date,Sales Stage,Amount\n"
        "Big deal,Acme Ltd,2030-06-30,Qualification,250000\n"
        "No account,,2030-06-30,Qualification,\n"
    )

    job = imported(new_job(manager, text, module="potentials"))

    assert list(job.failures.values_list("reason", flat=True)) == ["Account Name: a value is required."]
    deal = Potential.objects.get()
    assert (deal.account, deal.amount, deal.number) == (acme, Decimal("250000"), "POT1")
    assert deal.probability == Decimal("20")  # the stage's probability, as saving a potential sets it
    assert deal.currency == manager.currency
    assert Update.objects.filter(object_id=deal.pk, action=Update.Action.CREATED).count() == 1
