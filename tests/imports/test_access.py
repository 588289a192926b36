"""Who may import what: the Import right (with View, Create, and Edit to overwrite or merge), the fields a user
may write (invisible and read-only ones cannot be mapped), the picklist values of their role, and owners they may
give records to. The mapping checks the wizard shows come from the same place.

Personas: manager (every right), staff (Staff profile: view, create, edit, import; no delete), management
(view and export only), admin (everything); staff and staff_east are in different branches of the role tree."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Contact
from secondcrm.access.models import FieldRight, HiddenField, Profile
from secondcrm.imports.fields import (
    auto_mapping,
    duplicate_field_choices,
    importable_fields,
    links_accounts,
    mapping_errors,
)
from secondcrm.imports.models import ImportJob
from secondcrm.picklists.models import PicklistValue
from secondcrm.records.models import CustomField, FieldPlacement
from secondcrm.records.registry import registry
from tests.imports.jobs import imported, new_job, previewed

pytestmark = pytest.mark.django_db

CONTACTS = registry.get("contacts")


def field_right(field: str, access: str) -> None:
    FieldRight.objects.create(
        profile=Profile.objects.get(preset=Profile.Preset.STAFF), module="contacts", field=field, access=access
    )


def test_importable_fields_follow_the_layout_and_leave_out_what_the_user_may_not_write(staff, manager):
    field_right("title", FieldRight.Access.READ_ONLY)
    field_right("department", FieldRight.Access.INVISIBLE)
    HiddenField.objects.create(module="contacts", field="fax")
    FieldPlacement.objects.create(
        module="contacts", field="mobile", block="Contact Information", position=11, label="Cell Phone"
    )
    FieldPlacement.objects.create(module="contacts", field="assistant", block="Contact Information", hidden=True)
    CustomField.objects.create(module="contacts", name="cf_region", label="Region", mandatory=True)

    fields = importable_fields(CONTACTS, staff)

    assert {"title", "department", "fax", "assistant", "number"}.isdisjoint(fields)
    assert list(fields)[:3] == ["salutation", "first_name", "last_name"]
    assert fields["mobile"].label == "Cell Phone"
    assert fields["cf_region"].mandatory and fields["last_name"].mandatory
    assert not fields["assigned_to"].mandatory  # records without an owner column are the importer's
    assert (fields["account"].kind, fields["account"].link) == ("link", registry.get("accounts"))
    assert "title" in importable_fields(CONTACTS, manager)


def test_mapping_errors_say_what_to_fix(staff):
    field_right("title", FieldRight.Access.READ_ONLY)

    errors = mapping_errors(
        CONTACTS,
        staff,
        {"0": "first_name", "1": "first_name", "2": "title", "3": ""},
        "overwrite",
        ["mobile", "description"],
    )

    assert errors == [
        "First Name is mapped to more than one column: map it to one only.",
        "Column 3 is mapped to 'title', which is not a field you may import.",
        "Last Name is mandatory: map a column to it.",
        "Mobile finds duplicates, so map a column to it.",
        "Description cannot be used to find duplicates.",
    ]
    assert mapping_errors(CONTACTS, staff, {"0": "last_name"}, "skip", []) == [
        "Choose the fields that tell that a row is a duplicate of a record."
    ]
    assert mapping_errors(CONTACTS, staff, {"0": "last_name"}, "create", []) == []


def test_duplicate_fields_are_short_values_and_links_apply_to_modules_with_an_account(manager):
    choices = duplicate_field_choices(CONTACTS, manager)

    assert {"first_name", "last_name", "email", "mobile", "birthday"} <= set(choices)
    assert {"description", "email_opt_out", "account", "assigned_to"}.isdisjoint(choices)
    assert links_accounts(CONTACTS) and links_accounts(registry.get("potentials"))
    assert not links_accounts(registry.get("leads"))


def test_auto_mapping_matches_headers_to_labels_or_names_in_any_case(manager):
    fields = importable_fields(CONTACTS, manager)

    mapping = auto_mapping(["LAST NAME", "e-mail", "email", "first_name", "Email", "Assigned To"], fields)

    assert mapping == {"0": "last_name", "2": "email", "3": "first_name", "5": "assigned_to"}


def test_an_import_needs_the_import_right_and_edit_to_overwrite(management, staff):
    refused = previewed(new_job(management, "Last Name\nSmith\n"))
    assert refused.status == ImportJob.Status.FAILED
    assert refused.error == "You may not import contacts: your profile does not allow import, create."

    Profile.objects.get(preset=Profile.Preset.STAFF).module_rights.create(
        module="contacts", can_view=True, can_create=True, can_import=True
    )
    job = previewed(
        new_job(staff, "Last Name,Email\nSmith,s@x.com\n", duplicate_mode="merge", duplicate_fields=["email"])
    )
    assert job.error == "You may not import contacts: your profile does not allow edit."
    assert not Contact.objects.exists()


def test_the_run_checks_the_rights_again(manager):
    job = previewed(new_job(manager, "Last Name\nSmith\n"))
    manager.is_active = False
    manager.save()

    job = imported_after_preview(job)

    assert (job.status, job.error) == (ImportJob.Status.FAILED, "Your user has been deactivated.")
    assert not Contact.objects.exists()


def imported_after_preview(job):
    from secondcrm.imports.engine import import_run

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    import_run(job=ImportJob.objects.select_related("user").get(pk=job.pk))
    job.refresh_from_db()
    return job


def test_picklist_values_are_those_of_the_importers_role(roles, staff, manager):
    PicklistValue.objects.get(module="contacts", field="lead_source", value="Cold Call").roles.remove(roles["Staff"])
    text = "Last Name,Lead Source\nSmith,Cold Call\nJones,Web Site\n"

    by_staff = imported(new_job(staff, text))
    by_manager = imported(new_job(manager, text))

    assert list(by_staff.failures.values_list("reason", flat=True)) == [
        'Lead Source: "Cold Call" is not one of the values you may choose'
    ]
    assert by_manager.created_count == 2


def test_an_owner_column_names_users_by_username_email_or_name_and_groups_by_name(admin, manager, staff):
    sales = Group.objects.create(name="Sales Team")
    text = "Last Name,Assigned To\nA,staff\nB,MANAGER@example.com\nC,Staff Persona\nD,sales team\nE,\nF,nobody\n"

    job = imported(new_job(admin, text))

    owners = {c.last_name: c.assigned_to for c in Contact.objects.all()}
    assert owners == {"A": staff, "B": manager, "C": staff, "D": sales, "E": admin}
    assert list(job.failures.values_list("row_number", "reason")) == [
        (7, 'Assigned To: there is no active user or group called "nobody".')
    ]


def test_an_importer_may_give_records_only_to_owners_whose_records_they_see(staff, manager):
    team = Group.objects.create(name="Staff Team")
    staff.groups.add(team)
    text = "Last Name,Assigned To\nMine,staff\nTeam,Staff Team\nBoss,manager\n"

    job = imported(new_job(staff, text))

    assert set(Contact.objects.values_list("last_name", flat=True)) == {"Mine", "Team"}
    assert list(job.failures.values_list("reason", flat=True)) == [
        "Assigned To: you could not see a contact assigned to Manager Persona; assign it to yourself, "
        "to someone below your role or to one of your groups."
    ]
