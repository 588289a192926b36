"""Changing a user's role changes what they may do (issue 3's acceptance test): an admin moves the staff user
from Staff to Manager in Settings > Users; the staff user, who could not delete his own account before, can
delete it afterwards, and it goes to the Recycle Bin."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import AccountFactory

# serialized_rollback: the live server needs a transactional database, whose flush after each test would
# otherwise remove the default role tree the migrations create (and the persona fixtures need).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_settings_users(page: Page) -> None:
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Settings").click()
    # A regex is case-sensitive: "Groups of users ..." does not match, the Users entry does.
    page.get_by_role("link", name=re.compile(r"\bUsers\b")).click()
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()


def test_admin_changes_staff_to_manager_and_staff_may_then_delete(sign_in, new_context, admin, staff, roles):
    account = AccountFactory(assigned_user=staff, account_name="Acme Ltd")
    staff_page = sign_in(staff, on=new_context().new_page())
    staff_page.goto(account.get_absolute_url())
    expect(staff_page.get_by_role("heading", name="Acme Ltd", level=1)).to_be_visible()
    # The Staff profile has no delete right: no Delete link, even on his own account.
    expect(staff_page.get_by_role("link", name="Delete")).to_have_count(0)

    page = sign_in(admin)
    open_settings_users(page)
    row = page.get_by_role("row").filter(has_text="staff@example.com")
    expect(row).to_contain_text("Staff")
    row.get_by_role("link", name="Edit staff").click()
    expect(page.get_by_role("heading", name="Edit User staff")).to_be_visible()
    role = page.get_by_label("Role")
    expect(role.locator("option:checked")).to_have_text("Staff")
    role.select_option(label="Manager")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("User staff saved.")
    expect(page.get_by_role("row").filter(has_text="staff@example.com")).to_contain_text("Manager")
    staff.refresh_from_db()
    assert staff.role == roles["Manager"]  # not "Manager East", whose name holds "Manager" too

    # The staff user's next page already follows the new role's Manager profile.
    staff_page.reload()
    staff_page.get_by_role("link", name="Delete").click()
    expect(staff_page.get_by_role("heading", name="Delete Account Acme Ltd?")).to_be_visible()
    staff_page.get_by_role("button", name="Delete").click()
    expect(staff_page.get_by_role("alert")).to_contain_text("Account Acme Ltd was moved to the Recycle Bin.")
    expect(staff_page.get_by_role("table").get_by_role("link", name="Acme Ltd")).to_have_count(0)
