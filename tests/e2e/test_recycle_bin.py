"""Deleting an account and getting it back (manual: "Deleting records" and "Settings > Recycle Bin")."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import AccountFactory

# serialized_rollback: the live server needs a transactional database, whose flush after each test would
# otherwise remove the default role tree the migrations create (and the persona fixtures need).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_accounts_list(page: Page) -> None:
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name="Sales & Marketing").click()
    menu.get_by_role("link", name="Accounts").click()
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()


def test_deleted_account_goes_to_the_recycle_bin_and_an_admin_restores_it(sign_in, new_context, manager, admin):
    account = AccountFactory(assigned_user=manager, account_name="Acme Ltd")
    AccountFactory(assigned_user=manager, account_name="Zenith Corp")  # so the list is not empty either way
    page = sign_in(manager)
    page.goto(account.get_absolute_url())

    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete Account Acme Ltd?")).to_be_visible()
    expect(page.get_by_text("goes to the Recycle Bin")).to_be_visible()
    page.get_by_role("button", name="Delete").click()

    expect(page.get_by_role("alert")).to_contain_text("Account Acme Ltd was moved to the Recycle Bin.")
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Zenith Corp")).to_be_visible()
    expect(table.get_by_role("link", name="Acme Ltd")).to_have_count(0)

    # The admin works in a browser of their own, as a second person would.
    bin_page = sign_in(admin, on=new_context().new_page())
    bin_page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Settings").click()
    bin_page.get_by_role("link", name="Recycle Bin").click()
    expect(bin_page.get_by_role("heading", name="Recycle Bin")).to_be_visible()
    bin_page.get_by_role("link", name="Accounts").click()
    deleted = bin_page.get_by_role("row").filter(has_text="Acme Ltd")
    expect(deleted).to_contain_text("Manager Persona")  # Deleted By
    deleted.get_by_role("checkbox", name="Select Acme Ltd").check()
    bin_page.get_by_role("button", name="Restore").click()

    expect(bin_page.get_by_role("alert")).to_contain_text("Restored 1")
    expect(bin_page.get_by_text("The Recycle Bin holds no accounts.")).to_be_visible()

    # Back in the manager's Accounts list, and the account opens again.
    open_accounts_list(page)
    page.get_by_role("table").get_by_role("link", name="Acme Ltd").click()
    expect(page.get_by_role("heading", name="Acme Ltd", level=1)).to_be_visible()
    updates = page.get_by_role("tab", name="Updates")
    updates.click()
    history = page.get_by_role("list", name="Updates")
    expect(history.get_by_role("listitem").first).to_contain_text("Admin Persona restored this record.")
    expect(history).to_contain_text("Manager Persona moved to the Recycle Bin")
