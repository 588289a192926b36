"""The preview: a dry run over the whole file that writes nothing but its result on the job, and whose counts are
the counts of the real run that follows, whatever the duplicate handling, across chunk boundaries.

The manager imports contacts."""

import pytest

from accounts.models import Account, Contact
from secondcrm.imports import engine
from secondcrm.imports.models import ImportJob
from secondcrm.records.models import ModuleNumbering, Update
from tests.factories import AccountFactory, ContactFactory
from tests.imports.jobs import counts, imported, new_job, previewed

pytestmark = pytest.mark.django_db

# Existing records, rows repeating them and each other (in any case, across the chunks of three rows), missing
# accounts, empty cells and bad values.
MIXED = (
    "Last Name,Email,Title,Account Name,Birthdate\n"
    "Lovelace,ada@example.com,Countess,Acme,\n"
    "Hopper,grace@example.com,,Initech,1906-12-09\n"
    "Hopper,GRACE@example.com,Admiral,Initech,\n"
    "Babbage,charles@example.com,,,09/12/1791\n"
    "Turing,alan@example.com,,Initech,\n"
    "Turing,alan@example.com,Codebreaker,,\n"
    ",nameless@example.com,,,\n"
    "Curie,marie@example.com,Physicist,Globex,\n"
    "Curie,marie@example.com,Chemist,Globex,\n"
    "Noether,,,,\n"
)


def numbering() -> dict[str, int]:
    return dict(ModuleNumbering.objects.values_list("module", "next_number"))


@pytest.fixture
def existing(manager):
    acme = AccountFactory(assigned_user=manager, account_name="Acme")
    ContactFactory(assigned_user=manager, last_name="Lovelace", email="ADA@example.com", title="", account=acme)
    ContactFactory(assigned_user=manager, last_name="Curie", email="marie@example.com", title="", account=acme)


@pytest.mark.parametrize("mode", ["create", "skip", "overwrite", "merge"])
def test_the_preview_writes_nothing_and_counts_what_the_import_then_does(manager, existing, monkeypatch, mode):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 3)
    options = {"duplicate_mode": mode, "duplicate_fields": [] if mode == "create" else ["email"]}
    job = new_job(manager, MIXED, create_missing_accounts=True, **options)
    before = (Contact.objects.count(), Account.objects.count(), Update.objects.count(), numbering())

    job = previewed(job)

    assert job.status == ImportJob.Status.READY, job.error
    assert job.total_rows == 10
    after = (Contact.objects.count(), Account.objects.count(), Update.objects.count(), numbering())
    assert after == before
    assert not job.records.exists() and not job.failures.exists()
    preview_counts = job.preview["counts"]

    job = imported(job)

    assert job.status == ImportJob.Status.DONE
    assert counts(job) == preview_counts
    assert job.rows_done == job.total_rows == 10
    assert sum(preview_counts.values()) == 10
    assert preview_counts["failed"] == 2


def test_the_preview_shows_the_first_rows_as_they_would_be_saved_and_the_first_failures(manager):
    text = (
        "Last Name,Birthdate,Email Opt Out,Account Name,Assigned To\n"
        "Lovelace,1815-12-10,1,Acme,\n"
        "Babbage,1791/12/26,0,,\n"
    )

    job = previewed(new_job(manager, text, create_missing_accounts=True))

    assert job.preview["headers"] == ["Last Name", "Birthdate", "Email Opt Out", "Account Name", "Assigned To"]
    assert job.preview["rows"] == [["Lovelace", "Dec. 10, 1815", "Yes", "Acme", "Manager Persona"]]
    assert job.preview["failures"] == [[3, "Birthdate: use yyyy-mm-dd"]]
    assert job.preview["counts"] == {"created": 1, "updated": 0, "merged": 0, "skipped": 0, "failed": 1}


def test_a_merge_previews_the_values_the_record_keeps(manager):
    ContactFactory(assigned_user=manager, last_name="Lovelace", email="ada@example.com", title="Countess")

    job = previewed(
        new_job(
            manager,
            "Last Name,Email,Title\nKing,ada@example.com,Mathematician\n",
            duplicate_mode="merge",
            duplicate_fields=["email"],
        )
    )

    assert job.preview["rows"] == [["Lovelace", "ada@example.com", "Countess"]]


def test_a_file_unreadable_in_the_chosen_encoding_fails_the_preview_with_the_row(manager):
    data = b"Last Name\nSmith\n" + "Müller\n".encode("iso-8859-1")

    job = previewed(new_job(manager, data, encoding="utf-8"))

    assert job.status == ImportJob.Status.FAILED
    assert job.error.startswith("Row 3 is not valid UTF-8 text")
