"""Duplicate handling: a row whose values in the chosen fields match a record (text in any case) is skipped,
overwrites it or is merged into it; matches are found only among records the importer may see, overwriting or
merging needs the right to edit the match, and rows of one file that match each other count too, also across
chunks.

Personas: the manager imports (every right); staff imports where a test is about their reach. Contacts are
Private, so staff see their own contacts only, unless a sharing rule says otherwise."""

import pytest

from accounts.models import Contact
from secondcrm.access.models import SharingRule
from secondcrm.imports import engine
from secondcrm.records.models import CustomField, Update
from tests.factories import ContactFactory
from tests.imports.jobs import counts, imported, new_job

pytestmark = pytest.mark.django_db


def by_email(**options):
    return {"duplicate_fields": ["email"], **options}


def test_skip_leaves_existing_records_and_skips_rows_repeating_an_earlier_row(manager):
    ada = ContactFactory(assigned_user=manager, last_name="Lovelace", email="ada@example.com", title="Countess")
    text = (
        "Last Name,Email,Title\n"
        "Lovelace,ADA@example.com,Mathematician\n"
        "Hopper,grace@example.com,Admiral\n"
        "Hopper,Grace@Example.com,Rear Admiral\n"
        "Nobody,,\n"
        "Nobody,,\n"
    )

    job = imported(new_job(manager, text, **by_email(duplicate_mode="skip")))

    assert counts(job) == {"created": 3, "updated": 0, "merged": 0, "skipped": 2, "failed": 0}
    ada.refresh_from_db()
    assert ada.title == "Countess"
    # A row with an empty email duplicates nothing.
    assert Contact.objects.filter(last_name="Nobody").count() == 2
    assert Contact.objects.get(last_name="Hopper").title == "Admiral"
    assert not job.failures.exists()  # skipping duplicates is what the user asked for, not a failure


def test_overwrite_replaces_every_mapped_value_blanks_included_and_records_the_change(manager):
    ada = ContactFactory(
        assigned_user=manager, last_name="Lovelace", email="ada@example.com", title="Countess", department="Math"
    )
    ada_before = {"title": ada.title, "department": ada.department, "mobile": ada.mobile}
    text = "Last Name,Email,Title,Department\nKing,ada@EXAMPLE.com,Mathematician,\n"

    job = imported(new_job(manager, text, **by_email(duplicate_mode="overwrite")))

    assert counts(job) == {"created": 0, "updated": 1, "merged": 0, "skipped": 0, "failed": 0}
    ada.refresh_from_db()
    assert (ada.last_name, ada.title, ada.department) == ("King", "Mathematician", "")
    assert ada.mobile == ada_before["mobile"]  # not mapped: kept
    assert ada.modified_by == manager
    update = Update.objects.filter(object_id=ada.pk, action=Update.Action.UPDATED).get()
    changes = {change["field"]: (change["old"], change["new"]) for change in update.changes}
    assert changes["title"] == ("Countess", "Mathematician")
    assert changes["department"] == ("Math", "")
    assert changes["last_name"] == ("Lovelace", "King")
    entry = job.records.get(object_id=ada.pk)
    assert entry.action == "updated"
    assert entry.before["title"] == "Countess" and entry.before["department"] == "Math"


def test_overwrite_cannot_empty_a_mandatory_field(manager):
    ContactFactory(assigned_user=manager, last_name="Lovelace", email="ada@example.com")

    job = imported(new_job(manager, "Last Name,Email\n,ada@example.com\n", **by_email(duplicate_mode="overwrite")))

    assert list(job.failures.values_list("reason", flat=True)) == ["Last Name: a value is required."]
    assert Contact.objects.get().last_name == "Lovelace"


def test_merge_fills_only_empty_fields(manager):
    ada = ContactFactory(assigned_user=manager, last_name="Lovelace", email="ada@example.com", title="", mobile="")
    text = "Last Name,Email,Title,Mobile,Department,Email Opt Out\nKing,ada@example.com,Countess,,Math,1\n"

    job = imported(new_job(manager, text, **by_email(duplicate_mode="merge")))

    assert counts(job) == {"created": 0, "updated": 0, "merged": 1, "skipped": 0, "failed": 0}
    ada.refresh_from_db()
    assert (ada.last_name, ada.title, ada.mobile, ada.department) == ("Lovelace", "Countess", "", "Math")
    assert ada.email_opt_out is True  # an unticked checkbox is empty
    assert job.records.get().action == "merged"


def test_rows_of_the_file_that_match_each_other_overwrite_the_record_the_first_one_created(manager, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 2)  # the third row is in the second chunk
    text = (
        "Last Name,Email,Title\n"
        "Lovelace,ada@example.com,Countess\n"
        "Hopper,grace@example.com,Admiral\n"
        "Lovelace,Ada@Example.com,Mathematician\n"
        "Lovelace,ada@example.com,\n"
    )

    job = imported(new_job(manager, text, **by_email(duplicate_mode="overwrite")))

    assert counts(job) == {"created": 2, "updated": 2, "merged": 0, "skipped": 0, "failed": 0}
    assert Contact.objects.filter(email__iexact="ada@example.com").get().title == ""


def test_rows_within_one_chunk_merge_into_the_record_an_earlier_row_creates(manager):
    text = "Last Name,Email,Title,Department\nLovelace,ada@example.com,,Math\nLovelace,ada@example.com,Countess,IT\n"

    job = imported(new_job(manager, text, **by_email(duplicate_mode="merge")))

    assert (job.created_count, job.merged_count) == (1, 1)
    contact = Contact.objects.get()
    assert (contact.title, contact.department) == ("Countess", "Math")
    assert job.records.count() == 1  # created, with its final values: nothing to restore


def test_a_match_needs_every_chosen_field(manager):
    ContactFactory(assigned_user=manager, first_name="Ada", last_name="Lovelace", title="Countess")
    text = "First Name,Last Name,Title\nada,LOVELACE,Mathematician\nGrace,Lovelace,Admiral\n"

    job = imported(new_job(manager, text, duplicate_mode="overwrite", duplicate_fields=["first_name", "last_name"]))

    assert (job.created_count, job.updated_count) == (1, 1)
    assert Contact.objects.get(first_name="ada", last_name="LOVELACE").title == "Mathematician"  # as the row has it


def test_a_custom_field_can_find_duplicates(manager):
    CustomField.objects.create(module="contacts", name="cf_code", label="Customer Code")
    ContactFactory(assigned_user=manager, last_name="Lovelace", custom={"cf_code": "AL-1"})

    job = imported(
        new_job(
            manager, "Last Name,Customer Code\nKing,al-1\n", duplicate_mode="overwrite", duplicate_fields=["cf_code"]
        )
    )

    assert job.updated_count == 1
    assert Contact.objects.get().last_name == "King"


def test_records_the_importer_cannot_see_are_not_duplicates(staff, staff_east):
    ContactFactory(assigned_user=staff_east, last_name="East", email="ada@example.com")

    job = imported(new_job(staff, "Last Name,Email\nLovelace,ada@example.com\n", **by_email(duplicate_mode="skip")))

    assert job.created_count == 1
    assert Contact.objects.filter(email="ada@example.com").count() == 2


def test_a_match_the_importer_may_not_edit_is_skipped_with_the_reason(roles, staff, staff_east):
    SharingRule.objects.create(
        module="contacts",
        from_kind=SharingRule.Party.ROLE,
        from_role=roles["Staff East"],
        to_kind=SharingRule.Party.ROLE,
        to_role=roles["Staff"],
        access=SharingRule.Access.READ,
    )
    east = ContactFactory(assigned_user=staff_east, last_name="East", email="ada@example.com")

    job = imported(new_job(staff, "Last Name,Email\nLovelace,ada@example.com\n", **by_email(duplicate_mode="merge")))

    assert counts(job) == {"created": 0, "updated": 0, "merged": 0, "skipped": 1, "failed": 0}
    assert list(job.failures.values_list("row_number", "reason")) == [
        (2, f"Skipped: it duplicates contact {east.number}, which you may not edit.")
    ]
    east.refresh_from_db()
    assert east.last_name == "East"
