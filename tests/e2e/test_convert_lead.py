"""Convert Lead as the manual walks through it: open a lead from the Leads list, click Convert Lead, tick the
potential and give it an amount, a sales stage and a tentative close date, save, and land on the new account,
which shows the potential and where it came from; the lead has left the Leads list."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.factories import LeadFactory

# serialized_rollback: the live server needs a transactional database, whose flush after each test would
# otherwise remove the default role tree the migrations create (and the persona fixtures need).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_menu(page: Page, group: str, item: str) -> None:
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name=group).click()
    menu.get_by_role("link", name=item).click()


def open_tab(page: Page, name: str) -> Locator:
    page.get_by_role("tab", name=re.compile(rf"^{name}")).click()
    return page.get_by_role("tabpanel")


def test_convert_a_lead_into_account_contact_and_potential(sign_in, staff):
    lead = LeadFactory(assigned_user=staff, first_name="Nora", last_name="Lindqvist", company="Borealis Trading")
    page = sign_in(staff)
    open_menu(page, "Sales & Marketing", "Leads")
    expect(page.get_by_role("heading", name="Leads", level=1)).to_be_visible()
    page.get_by_role("link", name="Lindqvist").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nora Lindqvist (Borealis Trading)")

    page.get_by_role("link", name="Convert Lead").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name=re.compile(r"^Convert Lead LEA\d+"))).to_be_visible()
    # Prefilled from the lead: the account name from the company, the contact's names.
    expect(dialog.get_by_label("Account Name")).to_have_value("Borealis Trading")
    expect(dialog.get_by_label("Last Name")).to_have_value("Lindqvist")
    expect(dialog.get_by_role("checkbox", name="Account")).to_be_checked()
    expect(dialog.get_by_role("checkbox", name="Contact")).to_be_checked()

    # The potential without its close date is refused in the dialog, which keeps what was typed.
    dialog.get_by_role("checkbox", name="Potential").check()
    dialog.get_by_label("Potential Name").fill("Borealis - first order")
    dialog.get_by_label("Amount").fill("25000")
    dialog.get_by_label("Sales Stage").select_option("Qualification")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_text("This field is required.")).to_be_visible()
    expect(dialog.get_by_label("Amount")).to_have_value("25000")

    dialog.get_by_label("Expected Close Date").fill("2031-03-31")
    dialog.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/accounts/\d+/$"))
    expect(page.get_by_role("heading", name="Borealis Trading", level=1)).to_be_visible()
    expect(page.get_by_role("alert").first).to_contain_text(f"Lead {lead.number} converted")
    expect(page.get_by_text(f"Converted from Lead {lead.number}")).to_be_visible()

    potentials = open_tab(page, "Potentials")
    expect(potentials.get_by_role("link", name="Borealis - first order")).to_be_visible()
    contacts = open_tab(page, "Contacts")
    contacts.get_by_role("link", name="Nora").click()
    expect(page).to_have_url(re.compile(r"/contacts/\d+/$"))
    expect(page.get_by_text(f"Converted from Lead {lead.number}")).to_be_visible()

    # The converted lead has left the Leads list, and its page is gone.
    open_menu(page, "Sales & Marketing", "Leads")
    expect(page.get_by_role("link", name="Lindqvist")).to_have_count(0)
    response = page.goto(lead.get_absolute_url())
    assert response.status == 404
