"""Settings > Picklist Editor in the browser: reorder values by drag and drop, and choose the values a role may
pick, which is then all its users are offered (a value they may not pick shows as "not accessible")."""

import pytest
from playwright.sync_api import Page, expect

from secondcrm.picklists.models import PicklistValue
from tests.factories import AccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def rating_order() -> list[str]:
    return list(PicklistValue.objects.filter(module="accounts", field="rating").values_list("value", flat=True))


def value_rows(page: Page):
    return page.locator("#picklist-values tbody tr td.picklist-value")


def drag_above(page: Page, handle: str, onto: str, steps: int = 20) -> None:
    """Drag a row by its handle over the top edge of another row, pointer step by step (one jump would let
    SortableJS see only the neighbouring row pass under it), and let go: the dragged row lands above."""
    source, target = page.get_by_title(handle).bounding_box(), page.get_by_title(onto).bounding_box()
    x, start, end = source["x"] + 5, source["y"] + source["height"] / 2, target["y"] + 2
    page.mouse.move(x, start)
    page.mouse.down()
    for step in range(1, steps + 1):
        page.mouse.move(x, start + (end - start) * step / steps)
        # SortableJS handles one pointer move per animation frame or so; faster moves are dropped, and on a
        # loaded machine the row would land one place short of where the pointer is.
        page.wait_for_timeout(20)
    page.wait_for_timeout(100)
    page.mouse.up()


def open_editor(page: Page) -> None:
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Picklist Editor").click()
    expect(page.get_by_role("heading", name="Picklist Editor", level=1)).to_be_visible()
    # The heading can show before the page's script has run; a choice made then would not reload the page.
    page.wait_for_load_state("load")


def test_drag_a_value_to_the_top_of_the_list(sign_in, admin, page: Page):
    sign_in(admin)
    open_editor(page)
    page.get_by_label("Field").select_option(label="Rating")  # the page follows the choice at once
    expect(page.get_by_role("heading", name="Rating")).to_be_visible()
    expect(value_rows(page).first).to_have_text("Acquired")

    drag_above(page, "Drag to move Shutdown", "Drag to move Acquired")
    expect(page.get_by_role("alert")).to_contain_text("New order of Rating saved.")
    expect(value_rows(page).first).to_have_text("Shutdown")
    assert rating_order()[0] == "Shutdown"
    page.reload()
    expect(value_rows(page).first).to_have_text("Shutdown")

    page.get_by_role("button", name="Move Acquired up").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    assert rating_order()[:2] == ["Acquired", "Shutdown"]


def test_a_role_is_offered_only_its_values(sign_in, admin, staff, new_context, page: Page):
    account = AccountFactory(assigned_user=staff, industry="Banking")
    sign_in(admin)
    open_editor(page)
    page.get_by_label("Field").select_option(label="Industry")
    page.get_by_label("Role").select_option(value=str(staff.role_id))
    expect(page.get_by_role("columnheader", name="Staff may pick")).to_be_visible()
    page.get_by_label("Staff may pick Banking").uncheck()
    page.get_by_label("Staff may pick Finance").uncheck()
    page.get_by_role("button", name="Save values of Staff").click()
    expect(page.get_by_role("alert")).to_contain_text("Saved the values of Industry that Staff may pick.")
    expect(page.get_by_label("Staff may pick Banking")).not_to_be_checked()

    staff_page = new_context().new_page()
    sign_in(staff, on=staff_page)
    staff_page.goto(f"/accounts/{account.pk}/edit/")
    industry = staff_page.get_by_label("Industry", exact=True)
    expect(industry).to_have_value("Banking")
    expect(industry.locator("option:checked")).to_have_text("Banking (not accessible)")
    expect(industry.locator("option", has_text="Finance")).to_have_count(0)
    expect(industry.locator("option", has_text="Retail")).to_have_count(1)
    staff_page.get_by_label("Phone", exact=True).fill("+65 6000 1111")
    staff_page.get_by_role("button", name="Save").first.click()
    expect(staff_page.get_by_role("heading", level=1)).to_contain_text(account.account_name)
    account.refresh_from_db()
    assert (account.industry, account.phone) == ("Banking", "+65 6000 1111")
