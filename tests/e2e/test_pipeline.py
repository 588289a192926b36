"""Potentials > Pipeline in the browser: drag a card from one sales stage to another; the column totals follow
at once, and after a reload the card is still in its new stage, with the move in the potential's Updates."""

from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from potentials.models import Potential
from tests.factories import PotentialFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def column(page: Page, stage: str) -> Locator:
    return page.get_by_role("region", name=stage, exact=True)


def card(scope: Page | Locator, name: str) -> Locator:
    """The card of potential ``name`` in ``scope`` (the board, or one column)."""
    page = scope if isinstance(scope, Page) else scope.page
    return scope.locator(".pipeline-card").filter(has=page.get_by_role("link", name=name, exact=True))


def test_drag_a_card_to_another_stage(sign_in, staff):
    PotentialFactory(
        potential_name="Harbour cranes", sales_stage="Prospecting", amount=Decimal("1200"), assigned_user=staff
    )
    PotentialFactory(
        potential_name="Bakery tills", sales_stage="Qualification", amount=Decimal("800"), assigned_user=staff
    )
    page = sign_in(staff)
    page.goto("/potentials/")
    page.get_by_role("link", name="Pipeline").click()
    expect(page.get_by_role("heading", name="Sales Pipeline", level=1)).to_be_visible()
    expect(column(page, "Prospecting").locator(".pipeline-total")).to_have_text("SGD 1,200.00")
    expect(column(page, "Qualification").locator(".pipeline-total")).to_have_text("SGD 800.00")

    card(page, "Harbour cranes").get_by_text("Staff Persona").drag_to(
        column(page, "Qualification").locator("ul.pipeline-cards"), steps=5
    )

    expect(page.get_by_role("status")).to_contain_text("Harbour cranes moved from Prospecting to Qualification")
    expect(column(page, "Qualification").locator(".pipeline-total")).to_have_text("SGD 2,000.00")
    expect(column(page, "Prospecting").locator(".pipeline-total")).to_have_text("No amount")

    page.reload()
    expect(card(column(page, "Qualification"), "Harbour cranes")).to_be_visible()
    expect(card(column(page, "Prospecting"), "Harbour cranes")).to_have_count(0)
    potential = Potential.objects.get(potential_name="Harbour cranes")
    assert (potential.sales_stage, potential.probability) == ("Qualification", Decimal("20"))

    page.get_by_role("link", name="Harbour cranes").click()
    page.get_by_role("tab", name="Updates").click()
    expect(page.get_by_role("tabpanel")).to_contain_text("Sales Stage")
    expect(page.get_by_role("tabpanel")).to_contain_text("Prospecting")


def test_a_card_the_user_may_not_edit_cannot_be_moved(sign_in, management, staff):
    PotentialFactory(potential_name="Read only deal", sales_stage="Prospecting", assigned_user=staff)
    page = sign_in(management)
    page.goto("/sales/pipeline/")
    deal = card(column(page, "Prospecting"), "Read only deal")
    expect(deal).to_be_visible()
    expect(deal.get_by_role("button", name="Move")).to_have_count(0)
    deal.get_by_text("Staff Persona").drag_to(column(page, "Qualification").locator("ul.pipeline-cards"), steps=5)
    page.reload()
    expect(card(column(page, "Prospecting"), "Read only deal")).to_be_visible()
    assert Potential.objects.get().sales_stage == "Prospecting"


def test_move_with_the_stage_select(sign_in, staff):
    PotentialFactory(potential_name="Select deal", sales_stage="Prospecting", assigned_user=staff)
    page = sign_in(staff)
    page.goto("/sales/pipeline/")
    page.get_by_label("Move Select deal to stage").select_option("Closed Won")
    card(page, "Select deal").get_by_role("button", name="Move").click()
    expect(page.get_by_role("alert")).to_contain_text("Select deal moved from Prospecting to Closed Won")
    expect(card(column(page, "Closed Won"), "Select deal")).to_be_visible()


def test_a_refused_drop_snaps_back_with_a_message(sign_in, staff):
    from secondcrm.access.models import ModuleRight

    PotentialFactory(potential_name="Revoked deal", sales_stage="Prospecting", assigned_user=staff)
    page = sign_in(staff)
    page.goto("/sales/pipeline/")
    expect(card(column(page, "Prospecting"), "Revoked deal")).to_be_visible()
    # While the board is open, the staff's profile loses the right to edit potentials.
    ModuleRight.objects.create(profile=staff.role.profiles.get(), module="potentials", can_view=True)

    card(page, "Revoked deal").get_by_text("Staff Persona").drag_to(
        column(page, "Qualification").locator("ul.pipeline-cards"), steps=5
    )

    expect(page.get_by_role("alert")).to_contain_text("You may not edit the potential Revoked deal.")
    expect(card(column(page, "Prospecting"), "Revoked deal")).to_be_visible()
    expect(card(column(page, "Qualification"), "Revoked deal")).to_have_count(0)
    assert Potential.objects.get().sales_stage == "Prospecting"
