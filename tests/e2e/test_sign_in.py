"""Signing in through the login form (manual: "Logging in")."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.personas import PASSWORD

# serialized_rollback: the live server needs a transactional database, whose flush after each test would
# otherwise remove the default role tree the migrations create (and the persona fixtures need).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sign_in_leads_to_the_page_that_was_asked_for(page: Page, staff):
    page.goto("/accounts/")
    # Not signed in yet: the CRM shows the login form instead of the list.
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.get_by_label("User Name").fill("staff")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="User menu")).to_contain_text("Staff Persona")


def test_wrong_password_is_refused_with_a_message(page: Page, staff):
    page.goto("/login/")
    page.get_by_label("User Name").fill("staff")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Your user name or password is not correct.")
    # Still on the login form, and the main menu stays out of reach.
    expect(page.get_by_role("navigation", name="Main menu")).to_have_count(0)
    expect(page.get_by_label("User Name")).to_have_value("staff")
