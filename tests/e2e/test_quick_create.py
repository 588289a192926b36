"""The Quick Create menu: a short form in a dialog that creates a record without leaving the page."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.factories import AccountFactory

# serialized_rollback: the live server needs a transactional database, whose flush after each test would
# otherwise remove the default role tree the migrations create (and the persona fixtures need).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_quick_create(page: Page, module: str) -> Locator:
    """Quick Create > ``module``; returns the dialog once its form has loaded."""
    page.get_by_role("button", name="Quick Create").click()
    page.get_by_role("link", name=module, exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name=f"Quick Create {module}")).to_be_visible()
    return dialog


def test_quick_create_a_contact_lands_on_its_detail_page(sign_in, staff):
    AccountFactory(assigned_user=staff, account_name="Acme Ltd")
    page = sign_in(staff)
    dialog = open_quick_create(page, "Contact")

    dialog.get_by_label("First Name").fill("Ada")
    dialog.get_by_label("Last Name").fill("Lovelace")
    # The account picker finds accounts as the user types.
    dialog.get_by_role("combobox", name="Account Name").fill("Acme")
    page.get_by_role("option", name="Acme Ltd").click()
    dialog.get_by_label("Email").fill("ada@example.com")
    dialog.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/contacts/\d+/$"))
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("alert")).to_contain_text("created.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lovelace")
    summary = page.get_by_role("tabpanel")
    expect(summary.get_by_role("link", name="Acme Ltd")).to_be_visible()
    expect(summary.get_by_role("link", name="ada@example.com")).to_be_visible()


def test_quick_create_without_the_mandatory_field_shows_the_error_in_the_dialog(sign_in, staff):
    page = sign_in(staff)
    start = page.url
    dialog = open_quick_create(page, "Contact")

    dialog.get_by_label("First Name").fill("Ada")
    dialog.get_by_role("button", name="Save").click()

    # The dialog stays open with the error under the empty field and keeps what was typed.
    expect(dialog.get_by_text("This field is required.")).to_be_visible()
    expect(dialog.get_by_label("First Name")).to_have_value("Ada")
    expect(page).to_have_url(start)

    # Filling it in then works from the same dialog.
    dialog.get_by_label("Last Name").fill("Lovelace")
    dialog.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/contacts/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lovelace")
