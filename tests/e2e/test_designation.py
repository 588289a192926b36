"""The manual's Layout Editor example in the browser: the admin hides Contacts' "Title" and adds a text field
"Designation" to the Contact Information block; Add Contact then asks for a Designation and no Title, and the
new contact's detail view shows it. And a field dragged to another block is there after a reload."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from accounts.models import Contact
from secondcrm.records.arrangement import field_specs
from secondcrm.records.models import CustomField
from tests.e2e.test_accounts import field_row, open_tab

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_layout_editor(page: Page) -> None:
    """From the Contacts list, the way an admin reaches a module's Layout Editor."""
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name="Sales & Marketing").click()
    menu.get_by_role("link", name="Contacts").click()
    page.get_by_role("link", name="Layout Editor").click()
    expect(page.get_by_role("heading", name="Layout Editor: Contacts", level=1)).to_be_visible()


def fields_of(page: Page, block: str):
    return page.get_by_role("list", name=f"Fields of {block}", exact=True)


def test_hide_title_and_add_designation(sign_in, admin):
    page = sign_in(admin)
    open_layout_editor(page)

    page.get_by_role("button", name="Hide Title", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Title is hidden")
    title = page.get_by_role("group", name="Field Title", exact=True)
    expect(title).to_contain_text("Hidden")
    expect(title.get_by_role("button", name="Show Title")).to_be_visible()

    page.get_by_role("link", name="Add a custom field to Contact Information").click()
    expect(page.get_by_label("Block")).to_have_value("Contact Information")
    page.get_by_label("Label").fill("Designation")
    page.get_by_label("Field Type").select_option(label="Text")
    # The picklist values only matter for picklists: they show only for those types.
    expect(page.get_by_label("Picklist Values")).to_be_hidden()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Custom field Designation added to Contact Information.")
    designation = fields_of(page, "Contact Information").get_by_role("group", name="Field Designation")
    expect(designation).to_contain_text("Custom")

    page.get_by_role("link", name="Open Contacts").click()
    page.get_by_role("link", name="Add Contact").click()
    expect(page.get_by_role("heading", name="Add Contact")).to_be_visible()
    expect(page.get_by_label("Designation")).to_be_visible()
    expect(page.get_by_label("Title", exact=True)).to_have_count(0)
    page.get_by_label("Last Name").fill("Rahman")
    page.get_by_label("Designation").fill("Head of Procurement")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/contacts/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("Contact Rahman created.")
    details = open_tab(page, "Details")
    expect(field_row(details, "Designation")).to_contain_text("Head of Procurement")
    expect(field_row(details, "Last Name")).to_contain_text("Rahman")
    expect(field_row(details, "Title")).to_have_count(0)
    assert CustomField.objects.get(label="Designation").name == "cf_designation"


def drag(page: Page, source: Locator, target: Locator) -> None:
    """Drag ``source`` onto the lower part of ``target`` with the mouse, pausing at the end: SortableJS
    ignores the pointer for a moment after each move it makes, and places the item on the last one it saw."""
    box, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    x, y = end["x"] + end["width"] / 2, end["y"] + end["height"] * 0.75
    page.mouse.move(x, y, steps=10)
    for _ in range(3):
        page.wait_for_timeout(60)
        y += 1
        page.mouse.move(x, y)
    page.mouse.up()


@pytest.fixture
def tall_page(sign_in, admin) -> Page:
    """The whole Contacts layout on screen: a drag that had to scroll the page would not be the admin's."""
    page = sign_in(admin)
    page.set_viewport_size({"width": 1366, "height": 2400})
    page.goto("/settings/layout/contacts/")
    return page


def test_drag_a_field_to_another_block(tall_page):
    page = tall_page
    drag(
        page,
        page.get_by_role("button", name="Drag Department", exact=True),
        fields_of(page, "Description Information").get_by_role("group", name="Field Description"),
    )

    expect(page.get_by_role("alert")).to_contain_text("Layout saved.")
    page.reload()
    expect(fields_of(page, "Description Information").get_by_role("group", name="Field Department")).to_be_visible()
    expect(fields_of(page, "Contact Information").get_by_role("group", name="Field Department")).to_have_count(0)
    assert field_specs(Contact.module)["department"].block == "Description Information"
    # And on the form: Department now follows Description.
    page.goto("/contacts/add/")
    expect(page.locator("label").filter(has_text="Department")).to_be_visible()
    labels = page.locator("form label").all_inner_texts()
    assert labels.index("Department") == labels.index("Description") + 1


def test_drag_a_block_above_another(tall_page):
    page = tall_page
    drag(
        page,
        page.get_by_role("button", name="Drag block Description Information", exact=True),
        page.get_by_role("button", name="Drag block Mailing Address", exact=True),
    )

    expect(page.get_by_role("alert")).to_contain_text("Layout saved.")
    page.reload()
    headings = page.locator(".layout-block h2").all_inner_texts()
    assert headings.index("Description Information") < headings.index("Mailing Address")
