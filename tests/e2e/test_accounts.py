"""An account's life on screen, as the manual walks through it: create it from the Accounts list, add a
contact from its Contacts tab, edit a field in place, comment on it and read its Updates.

Records a step only needs to exist are made with the factories; the step under test goes through the UI.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.factories import AccountFactory

# serialized_rollback: the live server needs a transactional database, whose flush after each test would
# otherwise remove the default role tree the migrations create (and the persona fixtures need).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_tab(page: Page, name: str) -> Locator:
    """Click a tab of the detail view; returns its panel (the only tab panel on show)."""
    page.get_by_role("tab", name=name).click()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")
    return page.get_by_role("tabpanel")


def field_row(panel: Locator, label: str) -> Locator:
    """The label/value row of one field on the detail view; ``exact`` keeps "Phone" from "Other Phone"."""
    return panel.locator(".field-row").filter(has=panel.page.get_by_text(label, exact=True))


def open_menu(page: Page, group: str, item: str) -> None:
    """Pick an entry of the main menu, e.g. Sales & Marketing > Accounts."""
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name=group).click()
    menu.get_by_role("link", name=item).click()


def test_create_an_account_from_the_accounts_list(sign_in, staff):
    page = sign_in(staff)
    open_menu(page, "Sales & Marketing", "Accounts")
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    page.get_by_role("link", name="Add Account").click()

    expect(page.get_by_role("heading", name="Add Account")).to_be_visible()
    # The mandatory field is marked with a red star in its label.
    expect(page.locator("label").filter(has_text="Account Name")).to_have_text("Account Name *")

    # Saving without the mandatory field keeps the user on the form with an error, not a server error.
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below; nothing was saved.")
    expect(page.get_by_text("This field is required.")).to_be_visible()

    page.get_by_label("Account Name").fill("Borealis Trading")
    page.get_by_label("Phone", exact=True).fill("+65 6222 0101")
    page.get_by_label("Billing City").fill("Singapore")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/accounts/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("Account Borealis Trading created.")
    expect(page.get_by_role("heading", name="Borealis Trading", level=1)).to_be_visible()
    summary = page.get_by_role("tabpanel")
    expect(field_row(summary, "Phone")).to_contain_text("+65 6222 0101")
    expect(field_row(summary, "Assigned To")).to_contain_text("Staff Persona")

    open_menu(page, "Sales & Marketing", "Accounts")
    expect(page.get_by_role("table").get_by_role("link", name="Borealis Trading")).to_be_visible()


def test_add_a_contact_from_the_accounts_contacts_tab(sign_in, staff):
    account = AccountFactory(assigned_user=staff, account_name="Acme Ltd")
    page = sign_in(staff)
    page.goto(account.get_absolute_url())

    contacts = open_tab(page, "Contacts")
    expect(contacts).to_contain_text("No contacts yet.")
    contacts.get_by_role("link", name="Add Contact").click()

    expect(page.get_by_role("heading", name="Add Contact")).to_be_visible()
    # The account picker (Tom Select) shows the account the user came from.
    picker = page.locator(".ts-control").filter(has=page.get_by_role("combobox", name="Account Name"))
    expect(picker).to_have_text("Acme Ltd")
    page.get_by_label("First Name").fill("Grace")
    page.get_by_label("Last Name").fill("Hopper")
    page.get_by_label("Title").fill("Buyer")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/contacts/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("created.")
    # The contact links back to its account; following the link shows the contact in the Contacts tab.
    field_row(page.get_by_role("tabpanel"), "Account Name").get_by_role("link", name="Acme Ltd").click()
    expect(page.get_by_role("heading", name="Acme Ltd", level=1)).to_be_visible()
    expect(page.get_by_role("tab", name="Contacts")).to_contain_text("1")
    contacts = open_tab(page, "Contacts")
    row = contacts.get_by_role("row").filter(has_text="Hopper")
    expect(row).to_contain_text("Grace")
    expect(row).to_contain_text("Buyer")


def test_edit_one_field_in_place_and_read_the_change_in_updates(sign_in, staff):
    account = AccountFactory(assigned_user=staff, account_name="Acme Ltd", phone="+65 6000 0001")
    page = sign_in(staff)
    page.goto(account.get_absolute_url())
    # A full page load would fire a main-frame navigation; inline edit must not cause one.
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)

    details = open_tab(page, "Details")
    phone = field_row(details, "Phone")
    # The pencil only shows while the pointer is over the row, as for a person using a mouse.
    phone.hover()
    phone.get_by_role("button", name="Edit Phone", exact=True).click()
    editor = phone.get_by_role("textbox")
    expect(editor).to_have_value("+65 6000 0001")
    editor.fill("+65 6999 1234")
    phone.get_by_role("button", name="Save").click()

    expect(phone).to_contain_text("+65 6999 1234")
    expect(phone.get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_role("tab", name="Details")).to_have_attribute("aria-selected", "true")
    # Phone shows on the Summary tab too; that copy must not go on showing the old number.
    summary = open_tab(page, "Summary")
    expect(field_row(summary, "Phone")).to_contain_text("+65 6999 1234")
    assert navigations == []

    # The Updates tab reloads itself when the record changes in place, again without a page load.
    updates = open_tab(page, "Updates")
    latest = updates.get_by_role("list", name="Updates").get_by_role("listitem").first
    expect(latest).to_contain_text("Staff Persona updated this record.")
    expect(latest).to_contain_text("Phone changed from +65 6000 0001 to +65 6999 1234")
    assert navigations == []

    # The value is stored: it is still there when the page is opened afresh.
    page.reload()
    expect(field_row(page.get_by_role("tabpanel"), "Phone")).to_contain_text("+65 6999 1234")


def test_comment_on_an_account_and_see_it_with_its_author(sign_in, staff):
    account = AccountFactory(assigned_user=staff, account_name="Acme Ltd")
    page = sign_in(staff)
    page.goto(account.get_absolute_url())

    comments = open_tab(page, "Comments")
    expect(comments).to_contain_text("No comments yet.")
    comments.get_by_label("Add Comment").fill("Called the buyer;\nthey want a quote by Friday.")
    comments.get_by_role("button", name="Post Comment").click()

    listed = comments.get_by_role("list", name="Comments").get_by_role("listitem")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("Staff Persona")
    expect(listed.first).to_contain_text("Called the buyer; they want a quote by Friday.")
    # The box is emptied for the next comment.
    expect(comments.get_by_label("Add Comment")).to_have_value("")
