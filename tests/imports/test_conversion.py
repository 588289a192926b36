"""The manual's rules for values in an import file, as the engine applies them to contacts: dates, date-times,
checkboxes, numbers, multi-select and empty picklists, mandatory fields, the add form's own validation, and rows
whose columns do not line up. Each bad value fails its row with a reason naming the field; the other rows import.

The manager imports (the Manager profile has every right on contacts)."""

import datetime

import pytest

from accounts.models import Contact
from secondcrm.records.models import CustomField, Update
from tests.imports.jobs import imported, new_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def custom_fields(db):
    CustomField.objects.create(
        module="contacts",
        name="cf_regions",
        label="Regions",
        field_type=CustomField.Type.MULTIPICKLIST,
        choices=["America", "Europe", "Asia"],
    )
    CustomField.objects.create(module="contacts", name="cf_vip", label="VIP", field_type=CustomField.Type.CHECKBOX)
    CustomField.objects.create(module="contacts", name="cf_met", label="Met At", field_type=CustomField.Type.DATETIME)
    CustomField.objects.create(module="contacts", name="cf_score", label="Score", field_type=CustomField.Type.NUMBER)
    CustomField.objects.create(
        module="contacts",
        name="cf_tier",
        label="Tier",
        field_type=CustomField.Type.PICKLIST,
        choices=["Gold", "Silver"],
        default="Silver",
    )


def failures(job) -> list[tuple[int, str]]:
    return list(job.failures.values_list("row_number", "reason"))


def test_values_in_the_manuals_format_are_stored_typed(manager, custom_fields):
    text = (
        "Last Name,Birthdate,Email Opt Out,Do Not Call,Regions,VIP,Met At,Score,Lead Source,Salutation\n"
        'Lovelace,1815-12-10 00:00:00,1,0,"America |##| Europe",1,2024-03-01 09:30:00,3800,Cold Call,--None--\n'
        "Hopper,1906-12-09,0,1,Asia,0,2024-03-02,12,cold call,Dr.\n"
    )

    job = imported(new_job(manager, text))

    assert (job.created_count, job.failed_count) == (2, 0), failures(job)
    ada = Contact.objects.get(last_name="Lovelace")
    assert ada.birthday == datetime.date(1815, 12, 10)
    assert (ada.email_opt_out, ada.do_not_call, ada.salutation, ada.lead_source) == (True, False, "", "Cold Call")
    assert ada.custom["cf_regions"] == ["America", "Europe"]
    assert ada.custom["cf_vip"] is True
    assert ada.custom["cf_met"] == "2024-03-01T09:30:00+08:00"  # the manager's time zone: Asia/Singapore
    assert ada.custom["cf_score"] == 3800
    grace = Contact.objects.get(last_name="Hopper")
    # Picklist values are matched in any case and stored as the picklist spells them.
    assert (grace.lead_source, grace.salutation, grace.do_not_call) == ("Cold Call", "Dr.", True)
    assert grace.custom["cf_met"] == "2024-03-02T00:00:00+08:00"


def test_records_are_numbered_owned_by_the_importer_and_have_their_creation_in_updates(manager):
    job = imported(new_job(manager, "Last Name\nLovelace\nHopper\n"))

    contacts = list(Contact.objects.order_by("pk"))
    assert [c.number for c in contacts] == ["CON1", "CON2"]
    assert {(c.assigned_user, c.created_by, c.modified_by) for c in contacts} == {(manager, manager, manager)}
    created = Update.objects.filter(object_id__in=[c.pk for c in contacts], action=Update.Action.CREATED)
    assert set(created.values_list("user", flat=True)) == {manager.pk}
    assert created.count() == 2
    assert job.records.filter(action="created").count() == 2


def test_a_custom_field_no_column_fills_gets_its_default_and_an_empty_cell_gets_nothing(manager, custom_fields):
    imported(new_job(manager, "Last Name,Regions\nLovelace,\n"))

    custom = Contact.objects.get().custom
    assert custom == {"cf_tier": "Silver"}


@pytest.mark.parametrize(
    ("header", "cell", "reason"),
    [
        ("Birthdate", "12/10/1815", "Birthdate: use yyyy-mm-dd"),
        ("Birthdate", "1815-02-30", "Birthdate: use yyyy-mm-dd, with a month and day that exist"),
        ("Met At", "01.03.2024 09:30", "Met At: use yyyy-mm-dd hh:mm:ss"),
        ("Score", "3,800", "Score: use digits only, without thousand separators (3800, not 3,800)"),
        ("VIP", "maybe", "VIP: use 1 for yes or 0 for no"),
        ("Email Opt Out", "yes please", "Email Opt Out: use 1 for yes or 0 for no"),
        ("Lead Source", "Carrier Pigeon", 'Lead Source: "Carrier Pigeon" is not one of the values you may choose'),
        ("Regions", "Europe |##| Mars", 'Regions: "Mars" is not one of the values you may choose'),
        ("Email", "not-an-email", "Email: enter a valid email address."),
        ("Office Phone", "call me", "Office Phone: enter a phone number"),
        ("Title", "x" * 101, "Title: ensure this value has at most 100 characters (it has 101)."),
    ],
)
def test_a_bad_value_fails_its_row_with_the_field_and_what_to_do(manager, custom_fields, header, cell, reason):
    job = imported(new_job(manager, f'Last Name,{header}\nGood,\nBad,"{cell}"\n'))

    assert (job.created_count, job.failed_count) == (1, 1)
    [(row, message)] = failures(job)
    assert row == 3
    assert message.startswith(reason)
    assert list(Contact.objects.values_list("last_name", flat=True)) == ["Good"]


def test_picklist_values_in_any_case_are_stored_as_the_picklist_holds_them_on_every_row(manager):
    rows = ["web site", "Carrier Pigeon", "WEB SITE", "Web Site", "carrier pigeon"]
    text = "Last Name,Lead Source\n" + "".join(f"Row{n},{value}\n" for n, value in enumerate(rows))

    job = imported(new_job(manager, text))

    assert (job.created_count, job.failed_count) == (3, 2)
    assert [row for row, _ in failures(job)] == [3, 6]
    assert set(Contact.objects.values_list("lead_source", flat=True)) == {"Web Site"}


def test_a_row_without_a_mandatory_value_fails(manager):
    job = imported(new_job(manager, "First Name,Last Name\nAda,\nGrace,Hopper\n"))

    assert failures(job) == [(2, "Last Name: a value is required.")]
    assert job.created_count == 1


def test_a_row_with_more_or_fewer_columns_than_the_header_fails(manager):
    text = "Last Name,Email\nShort\nLong,l@x.com,surplus\nTrailing,t@x.com,\nGood,g@x.com\n"

    job = imported(new_job(manager, text))

    assert failures(job) == [
        (2, "This row has 1 columns where the file has 2: check its delimiters."),
        (3, "This row has 3 columns where the file has 2: check its delimiters."),
    ]
    # An empty cell after the last column (a trailing delimiter) is no column of its own.
    assert set(Contact.objects.values_list("last_name", flat=True)) == {"Trailing", "Good"}


def test_a_formula_is_imported_as_plain_text(manager):
    job = imported(new_job(manager, 'Last Name,Title\nSmith,"=HYPERLINK(""http://x.example"",""go"")"\nJones,+1+2\n'))

    assert job.created_count == 2
    titles = dict(Contact.objects.values_list("last_name", "title"))
    assert titles == {"Smith": '=HYPERLINK("http://x.example","go")', "Jones": "+1+2"}


def test_spaces_around_values_are_dropped(manager):
    imported(new_job(manager, "Last Name,Email,Lead Source\n  Smith  , s@x.com ,  Web Site \n"))

    contact = Contact.objects.get()
    assert (contact.last_name, contact.email, contact.lead_source) == ("Smith", "s@x.com", "Web Site")
