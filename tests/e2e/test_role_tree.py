"""Settings > Roles in the browser: drag a role by its handle onto another role, and the move (with the role's
whole branch) is what the page shows after a reload."""

import re

import pytest
from playwright.sync_api import Page, expect

from secondcrm.access.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def role(page: Page, name: str):
    """The row of one role in the tree (what a role is dropped onto)."""
    return page.get_by_role("group", name=f"Role {name}", exact=True)


def roles_below(page: Page, name: str):
    """The nested list of the roles directly below ``name``."""
    return page.get_by_role("list", name=f"Roles below {name}", exact=True)


def test_drag_a_role_onto_another_moves_it_with_its_branch(sign_in, admin, roles):
    Role.objects.create(name="Junior Staff", parent=roles["Staff"])
    page = sign_in(admin)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name=re.compile(r"^\W*Roles\b")).click()  # not "...which roles may pick them"
    expect(page.get_by_role("heading", name="Roles", level=1)).to_be_visible()

    page.get_by_role("button", name="Drag Staff", exact=True).drag_to(role(page, "Manager East"), steps=5)

    expect(page.get_by_role("alert")).to_contain_text("Role Staff is now below Manager East.")
    page.reload()
    east = roles_below(page, "Manager East")
    expect(east.get_by_text("Staff", exact=True)).to_be_visible()
    # The branch came along: Junior Staff is still below Staff, and nothing called Staff is left below Manager.
    expect(roles_below(page, "Staff").get_by_text("Junior Staff", exact=True)).to_be_visible()
    expect(roles_below(page, "Manager").get_by_text("Staff", exact=True)).to_have_count(0)
    staff = Role.objects.get(name="Staff")
    assert staff.parent.name == "Manager East"
    assert Role.objects.get(name="Junior Staff").path.startswith(staff.path)


def test_a_drop_below_its_own_branch_is_refused_and_the_tree_stays(sign_in, admin, roles):
    page = sign_in(admin)
    page.goto("/settings/roles/")

    page.get_by_role("button", name="Drag Manager", exact=True).drag_to(role(page, "Staff"), steps=5)

    expect(page.get_by_role("alert")).to_contain_text(
        "Manager cannot be moved below Staff, one of its own subordinates."
    )
    expect(roles_below(page, "Management").get_by_text("Manager", exact=True)).to_be_visible()
    page.reload()
    expect(roles_below(page, "Management").get_by_text("Manager", exact=True)).to_be_visible()
    assert Role.objects.get(name="Manager").parent.name == "Management"
