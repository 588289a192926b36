"""The import wizard over HTTP: step 1 (the file), step 2 (the mapping, saved mappings, duplicate handling), the
import's page (progress, preview, Import Now, result, failed rows, undo), the list of imports, and who may use it.

Background tasks run in place (``in_background``), so a preview or a run is over when its request returns.

Personas: Staff and Manager profiles hold view, create and import on contacts; Management only views."""

import csv
import io
from collections.abc import Callable

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from accounts.models import Contact
from secondcrm.access.models import ModuleRight, Profile
from secondcrm.imports.models import ImportJob, SavedImportMapping
from tests.factories import ContactFactory
from tests.webforms.conftest import eager_tasks  # noqa: F401  (a fixture: tasks run in place)

pytestmark = pytest.mark.django_db

Status = ImportJob.Status
LIST = reverse("records:list", args=["contacts"])
IMPORT = reverse("records:import", args=["contacts"])
CONTACTS_CSV = "First Name,Last Name,Email\nAda,Lovelace,ada@example.com\nGrace,Hopper,grace@example.com\n"
# The columns above, mapped the way auto-mapping maps them.
MAPPED = {"column_0": "first_name", "column_1": "last_name", "column_2": "email"}


@pytest.fixture
def in_background(eager_tasks, django_capture_on_commit_callbacks) -> Callable:  # noqa: F811
    """``with in_background(): client.post(...)``: the tasks the request dispatches on commit run at once."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def csv_file(text: str, name: str = "contacts.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "contacts.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return SimpleUploadedFile(name, content.getvalue(), content_type="application/octet-stream")


def upload(client, file, *, url: str = IMPORT, has_header: bool = True, encoding: str = "", delimiter: str = ""):
    data = {"file": file, "encoding": encoding, "delimiter": delimiter}
    return client.post(url, data | ({"has_header": "on"} if has_header else {}))


def uploaded_job(client, text: str = CONTACTS_CSV, **options) -> ImportJob:
    """Step 1 done: the job of an uploaded CSV, waiting for its mapping."""
    response = upload(client, csv_file(text), **options)
    assert response.status_code == 302, response.content
    return ImportJob.objects.get(pk=resolve(response["Location"]).kwargs["pk"])


def mapping(**choices) -> dict:
    """The POST of the mapping page: ``MAPPED`` and the default duplicate handling, with ``choices`` over them."""
    return {**MAPPED, "duplicate_mode": "create", **choices}


def map_columns(client, job: ImportJob, in_background, **choices):
    with in_background():
        return client.post(reverse("imports:mapping", args=[job.pk]), mapping(**choices))


def import_now(client, job: ImportJob, in_background):
    """Press Import Now; returns the page it leads to, once the run (dispatched on commit) is over."""
    return post_and_follow(client, reverse("imports:import_now", args=[job.pk]), in_background)


def post_and_follow(client, url: str, in_background):
    with in_background():
        response = client.post(url)
    assert response.status_code == 302
    return client.get(response["Location"])


def imported_job(client, in_background, text: str = CONTACTS_CSV, **choices) -> ImportJob:
    job = uploaded_job(client, text)
    map_columns(client, job, in_background, **choices)
    import_now(client, job, in_background)
    job.refresh_from_db()
    assert job.status == Status.DONE, job.error
    return job


def selected(response, index: int) -> str:
    """The field preselected for column ``index`` on the mapping page."""
    return response.context["form"][f"column_{index}"].value() or ""


def staff_rights(**rights) -> None:
    """Replace the Staff profile's preset rights on contacts with ``rights`` (``view=True``...)."""
    ModuleRight.objects.create(
        profile=Profile.objects.get(preset=Profile.Preset.STAFF),
        module="contacts",
        **{f"can_{right}": granted for right, granted in rights.items()},
    )


# Step 1: the file


def test_the_list_offers_import_only_with_the_import_and_create_rights(client_as, staff, management):
    assert IMPORT in client_as(staff).get(LIST).text
    assert IMPORT not in client_as(management).get(LIST).text
    staff_rights(view=True, create=True, edit=True)
    assert IMPORT not in client_as(staff).get(LIST).text


def test_step_one_offers_the_file_header_encoding_and_delimiter(client_as, staff):
    page = client_as(staff).get(IMPORT)
    assert page.status_code == 200
    for text in ('type="file"', "Has header", "Auto-detect", "ISO-8859-1", "Semicolon"):
        assert text in page.text
    assert page.context["form"]["has_header"].value() is True


def test_a_csv_upload_creates_the_job_and_maps_columns_by_their_headers(client_as, staff):
    client = client_as(staff)
    job = uploaded_job(client, "Last Name,E-mail,first name,Shoe Size\nLovelace,ada@example.com,Ada,38\n")

    assert (job.module, job.user, job.status, job.file_kind) == ("contacts", staff, Status.MAPPING, "csv")
    assert (job.encoding, job.delimiter, job.has_header) == ("utf-8", ",", True)
    assert job.columns == ["Last Name", "E-mail", "first name", "Shoe Size"]
    page = client.get(reverse("imports:mapping", args=[job.pk]))
    assert page.status_code == 200
    # Headers equal to a field's label or name, whatever their case, are mapped; the others are left out.
    assert [selected(page, index) for index in range(4)] == ["last_name", "", "first_name", ""]
    assert "— Do not import —" in page.text
    assert '<option value="last_name" selected>Last Name *</option>' in page.text  # mandatory, marked as on forms
    assert "Lovelace" in page.text and "ada@example.com" in page.text  # the first values, to recognise the columns


def test_an_xlsx_upload_reads_the_workbook(client_as, staff):
    client = client_as(staff)
    response = upload(client, xlsx_file([["First Name", "Last Name"], ["Ada", "Lovelace"]]))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:mapping", args=[job.pk])
    assert (job.file_kind, job.columns, job.file_name) == ("xlsx", ["First Name", "Last Name"], "contacts.xlsx")
    page = client.get(response["Location"])
    assert [selected(page, 0), selected(page, 1)] == ["first_name", "last_name"]


def test_a_semicolon_separated_latin1_file_is_detected(client_as, staff):
    client = client_as(staff)
    response = upload(client, csv_file("Last Name;City\nMüller;Zürich\n", encoding="iso-8859-1"))
    job = ImportJob.objects.get(pk=resolve(response["Location"]).kwargs["pk"])
    assert (job.encoding, job.delimiter, job.columns) == ("iso-8859-1", ";", ["Last Name", "City"])
    assert "Zürich" in client.get(response["Location"]).text


def test_an_encoding_chosen_by_hand_that_does_not_fit_is_refused(client_as, staff):
    response = upload(
        client_as(staff), csv_file("Prénom;Last Name\nAda;Lovelace\n", encoding="iso-8859-1"), encoding="utf-8"
    )
    assert response.status_code == 422
    assert response.context["form"].errors["file"]
    assert response.context["form"]["encoding"].value() == "utf-8"
    assert not ImportJob.objects.exists()


def test_without_a_header_the_columns_are_numbered(client_as, staff):
    job = uploaded_job(client_as(staff), "Lovelace,ada@example.com\n", has_header=False)
    assert (job.has_header, job.columns) == (False, ["Column 1", "Column 2"])


@pytest.mark.parametrize(
    "file, message",
    [
        (SimpleUploadedFile("contacts.csv", b"\x00\x01\x02\xff\xfe binary \x00" * 50), "not text"),
        (SimpleUploadedFile("contacts.csv", b""), "empty"),
    ],
    ids=["binary named .csv", "empty"],
)
def test_an_unreadable_file_is_refused_with_the_reason_and_the_choices_kept(client_as, staff, file, message):
    response = upload(client_as(staff), file, has_header=False, delimiter=";")
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors["file"])
    assert response.context["form"]["delimiter"].value() == ";"
    assert response.context["form"]["has_header"].value() is False
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client_as, staff, monkeypatch):
    monkeypatch.setattr("secondcrm.imports.forms.IMPORT_MAX_BYTES", 1024 * 1024)
    response = upload(client_as(staff), csv_file("Last Name\n" + "Lovelace\n" * 120_000))
    assert response.status_code == 422
    assert "larger than 1 MB" in response.text
    assert not ImportJob.objects.exists()


# Step 2: the mapping


def test_a_mapping_without_a_mandatory_field_is_refused_with_the_choices_kept(client_as, staff, in_background):
    client = client_as(staff)
    job = uploaded_job(client)
    response = map_columns(client, job, in_background, column_1="", duplicate_mode="skip", duplicate_fields=["email"])
    assert response.status_code == 422
    assert "Last Name" in " ".join(response.context["form"].non_field_errors())
    assert [selected(response, index) for index in range(3)] == ["first_name", "", "email"]
    assert response.context["form"]["duplicate_mode"].value() == "skip"
    job.refresh_from_db()
    assert job.status == Status.MAPPING and job.mapping == {}


def test_a_field_mapped_twice_is_refused(client_as, staff, in_background):
    client = client_as(staff)
    job = uploaded_job(client)
    response = map_columns(client, job, in_background, column_0="last_name")
    assert response.status_code == 422
    assert response.context["form"].non_field_errors()


def test_a_field_the_user_may_not_write_is_not_offered_and_refused(client_as, staff, in_background):
    client = client_as(staff)
    job = uploaded_job(client)
    response = map_columns(client, job, in_background, column_2="number")
    assert response.status_code == 422
    assert "column_2" in response.context["form"].errors


def test_overwrite_and_merge_need_the_edit_right(client_as, staff, in_background):
    staff_rights(view=True, create=True, **{"import": True})
    client = client_as(staff)
    job = uploaded_job(client)
    for mode in ("overwrite", "merge"):
        response = map_columns(client, job, in_background, duplicate_mode=mode, duplicate_fields=["email"])
        assert response.status_code == 422
        assert "edit" in " ".join(response.context["form"].errors["duplicate_mode"])  # the right it lacks
    job.refresh_from_db()
    assert job.status == Status.MAPPING


def test_create_missing_accounts_is_offered_where_records_link_to_accounts(client_as, staff, in_background):
    client = client_as(staff)
    job = uploaded_job(client)
    assert "Create accounts that do not exist yet" in client.get(reverse("imports:mapping", args=[job.pk])).text
    map_columns(client, job, in_background, create_missing_accounts="on")
    job.refresh_from_db()
    assert job.create_missing_accounts is True

    documents = uploaded_job(client, "Title\nPrice list\n", url=reverse("records:import", args=["documents"]))
    page = client.get(reverse("imports:mapping", args=[documents.pk]))
    assert "Create accounts that do not exist yet" not in page.text


def test_a_mapping_is_saved_by_header_and_applied_to_a_file_in_another_order(client_as, staff, in_background):
    client = client_as(staff)
    first = uploaded_job(client, "Surname,Given,Mail\nLovelace,Ada,ada@example.com\n")
    map_columns(
        client,
        first,
        in_background,
        column_0="last_name",
        column_1="first_name",
        column_2="",
        save_mapping="on",
        mapping_name="Trade show",
    )
    saved = SavedImportMapping.objects.get(user=staff, module="contacts")
    assert (saved.name, saved.fields) == ("Trade show", {"Surname": "last_name", "Given": "first_name"})

    second = uploaded_job(client, "Mail,Given,Surname\ngrace@example.com,Grace,Hopper\n")
    url = reverse("imports:mapping", args=[second.pk])
    page = client.get(url)
    assert "Use Saved Mapping" in page.text and "Trade show" in page.text
    applied = client.get(url, {"mapping": saved.pk}, follow=True)
    assert [selected(applied, index) for index in range(3)] == ["", "first_name", "last_name"]
    assert "applied to 2 of 3 columns" in applied.text


def test_a_mapping_name_already_used_is_refused(client_as, staff, in_background):
    SavedImportMapping.objects.create(user=staff, module="contacts", name="Trade show", fields={})
    client = client_as(staff)
    job = uploaded_job(client)
    response = map_columns(client, job, in_background, save_mapping="on", mapping_name="Trade show")
    assert response.status_code == 422
    assert "already have a mapping named “Trade show”" in response.text
    unnamed = map_columns(client, job, in_background, save_mapping="on", mapping_name="")
    assert unnamed.status_code == 422 and "Enter a name" in unnamed.text
    assert SavedImportMapping.objects.count() == 1


def test_another_users_saved_mapping_is_not_found(client_as, staff, manager):
    theirs = SavedImportMapping.objects.create(user=manager, module="contacts", name="Mine", fields={})
    client = client_as(staff)
    job = uploaded_job(client)
    page = client.get(reverse("imports:mapping", args=[job.pk]))
    assert "Mine" not in page.text
    assert client.get(reverse("imports:mapping", args=[job.pk]), {"mapping": theirs.pk}).status_code == 404


# The preview, the run and its result


def test_the_mapping_starts_the_preview_which_shows_counts_rows_and_failures(client_as, staff, in_background):
    ContactFactory(assigned_user=staff, last_name="Hopper", email="grace@example.com")
    client = client_as(staff)
    job = uploaded_job(client, CONTACTS_CSV + "Nobody,,nobody@example.com\n")

    response = map_columns(client, job, in_background, duplicate_mode="skip", duplicate_fields=["email"])

    assert response["Location"] == reverse("imports:job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.mapping) == (
        Status.READY,
        3,
        {"0": "first_name", "1": "last_name", "2": "email"},
    )
    assert job.preview["counts"] == {"created": 1, "updated": 0, "merged": 0, "skipped": 1, "failed": 1}
    assert Contact.objects.count() == 1  # a dry run: nothing written
    page = client.get(response["Location"])
    assert page.context["counts"] == [("Created", 1), ("Updated", 0), ("Merged", 0), ("Skipped", 1), ("Failed", 1)]
    assert "Lovelace" in page.text  # the first rows as they will be saved
    assert "<td>4</td>" in page.text  # the failed row's line in the file, with its reason
    assert "Import Now" in page.text and reverse("imports:mapping", args=[job.pk]) in page.text


def test_change_mapping_goes_back_with_the_choices_made(client_as, staff, in_background):
    client = client_as(staff)
    job = uploaded_job(client)
    map_columns(client, job, in_background, column_0="", duplicate_mode="skip", duplicate_fields=["email"])
    page = client.get(reverse("imports:mapping", args=[job.pk]))
    assert [selected(page, index) for index in range(3)] == ["", "last_name", "email"]
    assert page.context["form"]["duplicate_mode"].value() == "skip"


def test_import_now_imports_and_shows_the_counts(client_as, staff, in_background):
    client = client_as(staff)
    job = uploaded_job(client)
    map_columns(client, job, in_background)

    result = import_now(client, job, in_background)

    job.refresh_from_db()
    assert (job.status, job.created_count, job.failed_count) == (Status.DONE, 2, 0)
    assert set(Contact.objects.values_list("last_name", "assigned_user")) == {
        ("Lovelace", staff.pk),
        ("Hopper", staff.pk),
    }
    assert result.context["counts"][0] == ("Created", 2)
    assert "The import is finished." in result.text
    assert "Undo this import" in result.text
    assert "Download failed rows" not in result.text
    listed = client.get(LIST).text
    assert "Lovelace" in listed and "Hopper" in listed


def test_import_now_twice_imports_once(client_as, staff, in_background):
    client = client_as(staff)
    job = imported_job(client, in_background)
    again = import_now(client, job, in_background)
    assert "not ready to start" in again.text
    assert Contact.objects.count() == 2


def test_the_failed_rows_download_has_the_columns_and_the_reason(client_as, staff, in_background):
    client = client_as(staff)
    job = imported_job(client, in_background, CONTACTS_CSV + "Nobody,,nobody@example.com\n")
    assert job.failed_count == 1
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert "Download failed rows (CSV)" in page.text

    response = client.get(reverse("imports:failed_rows", args=[job.pk]))

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="contacts-failed-rows.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["First Name", "Last Name", "Email", "Reason"]
    assert rows[1][:3] == ["Nobody", "", "nobody@example.com"] and rows[1][3]
    assert len(rows) == 2


def test_undo_removes_what_the_last_import_created(client_as, staff, in_background):
    client = client_as(staff)
    job = imported_job(client, in_background)
    response = post_and_follow(client, reverse("imports:undo", args=[job.pk]), in_background)
    job.refresh_from_db()
    assert job.status == Status.UNDONE
    assert not Contact.objects.filter(last_name__in=["Lovelace", "Hopper"]).exists()
    assert "This import was undone" in response.text


def test_only_the_last_import_can_be_undone(client_as, staff, in_background):
    client = client_as(staff)
    older = imported_job(client, in_background)
    imported_job(client, in_background, "Last Name\nTuring\n", column_0="last_name", column_1="", column_2="")
    assert "Undo this import" not in client.get(reverse("imports:job", args=[older.pk])).text
    response = post_and_follow(client, reverse("imports:undo", args=[older.pk]), in_background)
    assert "Only your last finished import of contacts can be undone." in response.text
    older.refresh_from_db()
    assert older.status == Status.DONE and Contact.objects.count() == 3


def test_the_page_polls_its_progress_while_a_worker_has_the_job(client_as, staff):
    client = client_as(staff)
    job = uploaded_job(client)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, total_rows=200, rows_done=50)
    progress = reverse("imports:progress", args=[job.pk])

    page = client.get(reverse("imports:job", args=[job.pk]))
    assert f'hx-get="{progress}"' in page.text and 'hx-trigger="every 1s"' in page.text
    assert "You can leave this page; the import goes on." in page.text
    partial = client.get(progress, headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<div id="import-progress"')  # the element its poll replaces, alone
    assert 'aria-valuenow="25"' in partial.text and "50 of 200 rows" in partial.text
    assert "HX-Refresh" not in partial.headers

    ImportJob.objects.filter(pk=job.pk).update(status=Status.DONE, rows_done=200)
    assert client.get(progress, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_my_imports_lists_the_users_own_imports(client_as, staff, manager):
    mine = uploaded_job(client_as(staff))
    theirs = uploaded_job(client_as(manager), "Last Name\nTuring\n")
    page = client_as(staff).get(reverse("imports:list"))
    assert reverse("imports:job", args=[mine.pk]) in page.text
    assert reverse("imports:job", args=[theirs.pk]) not in page.text
    narrowed = client_as(staff).get(reverse("imports:list"), {"module": "accounts"})
    assert reverse("imports:job", args=[mine.pk]) not in narrowed.text


# Who may import


def job_urls(job: ImportJob) -> list[str]:
    names = ("job", "mapping", "progress", "failed_rows")
    return [reverse(f"imports:{name}", args=[job.pk]) for name in names]


def test_without_the_import_right_every_wizard_page_is_forbidden(client_as, staff, management):
    job = uploaded_job(client_as(staff))
    staff_rights(view=True, create=True, edit=True)
    client = client_as(staff)
    for url in [IMPORT, *job_urls(job)]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("imports:import_now", args=[job.pk])).status_code == 403
    assert upload(client, csv_file(CONTACTS_CSV)).status_code == 403
    assert client_as(management).get(IMPORT).status_code == 403  # import without create is no import
    assert ImportJob.objects.count() == 1


def test_another_users_import_is_not_found(client_as, staff, manager, in_background):
    job = uploaded_job(client_as(staff))
    client = client_as(manager)
    for url in job_urls(job):
        assert client.get(url).status_code == 404, url
    for name in ("import_now", "undo", "mapping"):
        assert client.post(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
