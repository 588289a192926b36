"""Undo last import: what the import created goes to the Recycle Bin (accounts it created for links too), what it
overwrote or merged gets its values back, each with an Updates entry; records changed after the import finished
are left alone and counted. Only the user's last import of a module can be undone.

The manager imports contacts."""

import datetime

import pytest
from django.contrib.auth.models import Group

from accounts.models import Account, Contact
from secondcrm.imports.models import ImportJob
from secondcrm.imports.services import last_import, undo_start
from secondcrm.records.changes import acting_as
from secondcrm.records.models import CustomField, Update
from tests.factories import AccountFactory, ContactFactory
from tests.imports.jobs import imported, new_job, undone

pytestmark = pytest.mark.django_db
Status = ImportJob.Status


def test_undo_bins_what_the_import_created_and_restores_what_it_changed(manager):
    CustomField.objects.create(module="contacts", name="cf_code", label="Code")
    team = Group.objects.create(name="Team")
    manager.groups.add(team)
    acme = AccountFactory(assigned_user=manager, account_name="Acme")
    ada = ContactFactory(
        assigned_user=manager,
        last_name="Lovelace",
        email="ada@example.com",
        title="Countess",
        birthday=datetime.date(1815, 12, 10),
        account=acme,
        custom={"cf_code": "A1"},
    )
    grace = ContactFactory(assigned_user=manager, last_name="Hopper", email="grace@example.com", title="", account=acme)
    text = (
        "Last Name,Email,Title,Birthdate,Account Name,Code,Assigned To\n"
        "King,ada@example.com,Mathematician,,Initech,,Team\n"
        "Turing,alan@example.com,Codebreaker,,Initech,T1,\n"
    )
    overwrite = imported(
        new_job(manager, text, duplicate_mode="overwrite", duplicate_fields=["email"], create_missing_accounts=True)
    )
    merge = imported(
        new_job(
            manager,
            "Last Name,Email,Title\nX,grace@example.com,Admiral\n",
            duplicate_mode="merge",
            duplicate_fields=["email"],
        )
    )
    assert (overwrite.created_count, overwrite.updated_count, merge.merged_count) == (1, 1, 1)
    assert Contact.objects.get(pk=ada.pk).assigned_group == team

    merge = undone(merge)
    overwrite = undone(overwrite)

    assert (merge.status, merge.undone_count, merge.undo_kept_count) == (Status.UNDONE, 1, 0)
    # The contact and the account it created, and the contact it overwrote.
    assert (overwrite.status, overwrite.undone_count, overwrite.undo_kept_count) == (Status.UNDONE, 3, 0)
    ada.refresh_from_db()
    assert (ada.last_name, ada.title, ada.birthday, ada.account) == (
        "Lovelace",
        "Countess",
        datetime.date(1815, 12, 10),
        acme,
    )
    assert (ada.assigned_user, ada.assigned_group, ada.custom) == (manager, None, {"cf_code": "A1"})
    grace.refresh_from_db()
    assert grace.title == ""
    alan = Contact.all_objects.get(last_name="Turing")
    initech = Account.all_objects.get(account_name="Initech")
    assert alan.is_deleted and initech.is_deleted
    assert (alan.deleted_by, initech.deleted_by) == (manager, manager)
    assert list(Contact.objects.order_by("last_name").values_list("last_name", flat=True)) == ["Hopper", "Lovelace"]
    for record in (alan, initech):
        assert Update.objects.filter(object_id=record.pk, action=Update.Action.DELETED, user=manager).count() == 1
    restored = Update.objects.filter(object_id=ada.pk, action=Update.Action.UPDATED).order_by("-pk").first()
    changes = {change["field"]: (change["old"], change["new"]) for change in restored.changes}
    assert changes["title"] == ("Mathematician", "Countess")
    assert changes["account"] == ("Initech", "Acme")


def test_records_changed_after_the_import_are_left_alone_and_counted(manager):
    ContactFactory(assigned_user=manager, last_name="Lovelace", email="ada@example.com", title="Countess")
    text = (
        "Last Name,Email,Title\n"
        "King,ada@example.com,Mathematician\n"
        "Turing,alan@example.com,\n"
        "Curie,marie@example.com,\n"
    )
    job = imported(new_job(manager, text, duplicate_mode="overwrite", duplicate_fields=["email"]))
    with acting_as(manager):
        for contact in Contact.objects.filter(last_name__in=["King", "Turing"]):
            contact.department = "Changed later"
            contact.save()

    job = undone(job)

    assert (job.undone_count, job.undo_kept_count) == (1, 2)
    assert set(Contact.objects.values_list("last_name", "title")) == {("King", "Mathematician"), ("Turing", "")}
    assert Contact.all_objects.get(last_name="Curie").is_deleted


def test_only_the_users_last_finished_import_of_a_module_can_be_undone(manager, staff):
    first = imported(new_job(manager, "Last Name\nA\n"))
    second = imported(new_job(manager, "Last Name\nB\n"))
    imported(new_job(staff, "Last Name\nC\n"))
    imported(new_job(manager, "Account Name\nAcme\n", module="accounts"))

    assert last_import("contacts", manager) == second
    with pytest.raises(ValueError, match="Only your last import"):
        undo_start(first)

    ImportJob.objects.filter(pk=second.pk).update(status=Status.UNDONE)
    assert last_import("contacts", manager) is None  # the last one is undone: nothing more to undo

    ImportJob.objects.filter(pk=second.pk).update(status=Status.FAILED)
    assert last_import("contacts", manager) == second  # its committed chunks stay, and can be undone
    ImportJob.objects.filter(pk=second.pk).update(created_count=0)
    assert last_import("contacts", manager) is None
    ImportJob.objects.filter(pk=second.pk).update(status=Status.RUNNING, created_count=1)
    assert last_import("contacts", manager) is None
