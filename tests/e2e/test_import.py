"""Importing contacts in the browser, as the manual's "Importing Data" chapter tells a user to: Actions → Import
on the list, choose the file, check the mapping, look at the preview, Import Now, see the counts and the
records in the list. Background tasks run in place, so each step's page already shows its outcome."""

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from secondcrm.imports.models import ImportJob
from tests.imports.jobs import new_job
from tests.webforms.conftest import eager_tasks  # noqa: F401  (a fixture: tasks run in place)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def count(page: Page, label: str) -> Locator:
    """The figure under ``label`` (Created, Skipped...) in the preview's or the result's counts."""
    return page.locator("dl > div").filter(has=page.get_by_text(label, exact=True)).locator("dd")


@pytest.mark.usefixtures("eager_tasks")
def test_a_user_imports_contacts_from_a_csv_file(sign_in, staff, tmp_path: Path):
    file = tmp_path / "trade-show.csv"
    file.write_text('"First Name","Last Name","Email"\n"Ada","Lovelace","ada@example.com"\n"Grace","Hopper",""\n')
    page = sign_in(staff)
    page.goto("/contacts/")

    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import Contacts")).to_be_visible()
    page.get_by_label("File").set_input_files(file)
    page.get_by_role("button", name="Next").click()

    # Each column is mapped to the field its header names.
    expect(page.get_by_role("heading", name="Import Contacts: map the columns")).to_be_visible()
    expect(page.get_by_role("combobox", name="Last Name")).to_have_value("last_name")
    expect(page.get_by_role("combobox", name="Email")).to_have_value("email")
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(count(page, "Created")).to_have_text("2")
    expect(count(page, "Failed")).to_have_text("0")
    expect(page.get_by_role("row").filter(has_text="Lovelace")).to_contain_text("ada@example.com")
    page.get_by_role("button", name="Import Now").click()

    expect(page.get_by_role("status")).to_have_text("The import is finished.")
    expect(count(page, "Created")).to_have_text("2")
    expect(page.get_by_role("button", name="Undo this import")).to_be_visible()
    page.get_by_role("link", name="Go to Contacts").click()
    expect(page.get_by_role("row").filter(has_text="Lovelace")).to_contain_text("ada@example.com")
    expect(page.get_by_role("row").filter(has_text="Hopper")).to_be_visible()


def test_the_progress_bar_follows_the_run_and_the_page_shows_the_result_when_it_ends(sign_in, staff):
    job = new_job(staff, "Last Name\nLovelace\n")
    running = ImportJob.objects.filter(pk=job.pk)
    running.update(status=ImportJob.Status.RUNNING, total_rows=200, rows_done=50)
    page = sign_in(staff)
    page.goto(f"/imports/{job.pk}/")
    bar = page.get_by_role("progressbar", name="Importing")
    expect(bar).to_have_attribute("aria-valuenow", "25")

    # A worker's progress shows within a second or so, without reloading the page.
    running.update(rows_done=150)
    expect(bar).to_have_attribute("aria-valuenow", "75")
    expect(page.get_by_text("150 of 200 rows")).to_be_visible()

    running.update(status=ImportJob.Status.DONE, rows_done=200, created_count=200)
    expect(page.get_by_role("status")).to_have_text("The import is finished.")
    expect(count(page, "Created")).to_have_text("200")
