"""Advanced Search as the manual describes it: add search parameters, click Search, get the filtered list; then
keep the search as a saved filter."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import AccountFactory

# serialized_rollback: see test_accounts.py (the live server's flush would remove the default role tree).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def condition(page: Page, number: int, field: str, operator: str, value: str = "") -> None:
    row = page.get_by_role("group", name=f"Condition {number}")
    row.get_by_label("Field").select_option(label=field)
    row.get_by_label("Operator").select_option(label=operator)
    row.get_by_label("Value").fill(value)


def test_search_accounts_on_two_conditions_and_save_it_as_a_filter(sign_in, manager):
    AccountFactory(assigned_user=manager, account_name="Acme Global", employees=800)
    AccountFactory(assigned_user=manager, account_name="Acme Corner Shop", employees=4)
    AccountFactory(assigned_user=manager, account_name="Borealis Trading", employees=900)
    page = sign_in(manager)
    page.goto("/accounts/")
    page.get_by_role("main").get_by_role("link", name="Advanced Search").click()

    expect(page.get_by_role("heading", name="Advanced Search")).to_be_visible()
    form = page.get_by_role("form", name="Advanced search")
    expect(page.get_by_label("Search in")).to_have_value("accounts")
    # Another module's rows offer its own fields; coming back offers the Accounts fields again.
    page.get_by_label("Search in").select_option(label="Contacts")
    expect(page.get_by_role("group", name="Condition 1").get_by_label("Field")).to_contain_text("Last Name")
    page.get_by_label("Search in").select_option(label="Accounts")
    expect(page.get_by_role("group", name="Condition 1").get_by_label("Field")).to_contain_text("Employees")
    page.get_by_role("button", name="Add condition").click()
    expect(page.get_by_role("group", name="Condition 4")).to_be_visible()

    condition(page, 1, "Account Name", "starts with", "acme")
    condition(page, 2, "Employees", "greater than", "lots")
    form.get_by_role("button", name="Search").click()
    # A value that is not a number keeps the user on the page with the form's message and what they typed.
    expect(page.get_by_text("Employees needs a number")).to_be_visible()
    expect(page.get_by_role("group", name="Condition 1").get_by_label("Value")).to_have_value("acme")
    # Enter in a value searches (it does not add a row).
    page.get_by_role("group", name="Condition 2").get_by_label("Value").fill("100")
    page.get_by_role("group", name="Condition 2").get_by_label("Value").press("Enter")

    expect(page).to_have_url(re.compile(r"/accounts/\?c="))
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Acme Global")).to_be_visible()
    expect(table.get_by_role("link", name="Acme Corner Shop")).to_have_count(0)
    expect(table.get_by_role("link", name="Borealis Trading")).to_have_count(0)
    conditions = page.get_by_role("group", name="Advanced search conditions")
    expect(conditions).to_contain_text("Account Name starts with “acme”")
    expect(conditions).to_contain_text("Employees greater than “100”")

    conditions.get_by_role("link", name="Save as filter").click()
    expect(page.get_by_role("heading", name="Create Filter")).to_be_visible()
    expect(page.get_by_role("group", name="Condition 2").get_by_label("Value")).to_have_value("100")
    page.get_by_label("Filter name").fill("Big Acme")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("Filter “Big Acme” saved.")
    expect(page.get_by_label("Filter", exact=True)).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_role("table").get_by_role("link", name="Acme Global")).to_be_visible()
    expect(page.get_by_role("table").get_by_role("link", name="Acme Corner Shop")).to_have_count(0)
