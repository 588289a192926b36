"""The pipeline board: columns by stage, totals, filters, visibility, and moving a card."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from potentials.models import Potential
from potentials.pipeline import pipeline_board
from secondcrm.records.models import Update
from tests.factories import PotentialFactory

pytestmark = pytest.mark.django_db

BOARD = reverse("potentials:pipeline")
MOVE = reverse("potentials:pipeline_move")


def column(response, stage):
    return next(c for c in response.context["board"].columns if c.stage == stage)


def test_columns_follow_the_stage_order_and_hold_their_cards(client_as, staff):
    early = PotentialFactory(potential_name="Early deal", sales_stage="Prospecting", assigned_user=staff)
    late = PotentialFactory(potential_name="Late deal", sales_stage="Negotiation/Review", assigned_user=staff)
    response = client_as(staff).get(BOARD)
    assert response.status_code == 200
    stages = [c.stage for c in response.context["board"].columns]
    assert stages[:3] == ["Prospecting", "Qualification", "Needs Analysis"]
    assert stages[-2:] == ["Closed Won", "Closed Lost"]
    assert column(response, "Prospecting").cards == [early]
    assert column(response, "Negotiation/Review").cards == [late]
    body = response.content.decode()
    assert "Early deal" in body and early.account.account_name in body


def test_each_column_totals_its_amounts_per_currency(client_as, staff):
    PotentialFactory(sales_stage="Qualification", amount=Decimal("1000.50"), currency="SGD", assigned_user=staff)
    PotentialFactory(sales_stage="Qualification", amount=Decimal("2000"), currency="SGD", assigned_user=staff)
    PotentialFactory(sales_stage="Qualification", amount=Decimal("300"), currency="USD", assigned_user=staff)
    PotentialFactory(sales_stage="Qualification", amount=None, currency="USD", assigned_user=staff)
    PotentialFactory(sales_stage="Prospecting", amount=Decimal("7"), currency="SGD", assigned_user=staff)
    response = client_as(staff).get(BOARD)
    qualification = column(response, "Qualification")
    assert qualification.count == 4
    assert qualification.totals == [("SGD", Decimal("3000.50")), ("USD", Decimal("300"))]
    assert "SGD 3,000.50" in response.content.decode()


def test_the_board_shows_only_potentials_the_user_may_see(client_as, manager, staff, staff_east):
    mine = PotentialFactory(potential_name="Staff deal", amount=Decimal("100"), assigned_user=staff)
    PotentialFactory(potential_name="East deal", amount=Decimal("900"), assigned_user=staff_east)
    response = client_as(staff).get(BOARD)
    prospecting = column(response, "Prospecting")
    assert prospecting.cards == [mine]
    assert prospecting.totals == [("SGD", Decimal("100"))]
    assert "East deal" not in response.content.decode()
    # The manager above staff sees the staff's potential; nobody in that branch sees the East one.
    assert column(client_as(manager).get(BOARD), "Prospecting").cards == [mine]


def test_filter_by_owner(client_as, manager, staff):
    mine = PotentialFactory(assigned_user=manager)
    theirs = PotentialFactory(assigned_user=staff)
    response = client_as(manager).get(BOARD, {"owner": staff.pk})
    assert column(response, "Prospecting").cards == [theirs]
    assert mine not in column(response, "Prospecting").cards
    assert response.context["filtered"]


def test_filter_by_close_date_range(client_as, staff):
    june = PotentialFactory(expected_close_date=datetime.date(2030, 6, 15), assigned_user=staff)
    PotentialFactory(expected_close_date=datetime.date(2030, 5, 31), assigned_user=staff)
    PotentialFactory(expected_close_date=datetime.date(2030, 7, 1), assigned_user=staff)
    response = client_as(staff).get(BOARD, {"close_from": "2030-06-01", "close_to": "2030-06-30"})
    prospecting = column(response, "Prospecting")
    assert prospecting.cards == [june] and prospecting.count == 1


def test_a_mistyped_filter_date_is_reported_and_left_out(client_as, staff):
    PotentialFactory(assigned_user=staff)
    response = client_as(staff).get(BOARD, {"close_from": "June"})
    assert response.status_code == 200
    assert "Enter the date as YYYY-MM-DD" in response.content.decode()
    assert column(response, "Prospecting").count == 1


def test_a_reversed_date_range_is_reported(client_as, staff):
    response = client_as(staff).get(BOARD, {"close_from": "2030-07-01", "close_to": "2030-06-01"})
    assert "The end of the range is before its start." in response.content.decode()


def test_a_full_column_shows_the_first_cards_and_links_to_the_rest(staff):
    for _ in range(4):
        PotentialFactory(sales_stage="Qualification", amount=Decimal("10"), assigned_user=staff)
    board = pipeline_board(staff, per_column=3)
    qualification = next(c for c in board.columns if c.stage == "Qualification")
    assert len(qualification.cards) == 3 and qualification.count == 4 and qualification.hidden_count == 1
    assert qualification.totals == [("SGD", Decimal("40"))]  # the totals cover every card, shown or not
    assert qualification.list_url.endswith("?sales_stage=Qualification")


def test_the_board_costs_the_same_queries_for_many_potentials(client_as, staff):
    client = client_as(staff)
    PotentialFactory(assigned_user=staff)
    client.get(BOARD)  # warm the caches (role policy, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(BOARD)
    PotentialFactory.create_batch(15, assigned_user=staff, sales_stage="Qualification")
    PotentialFactory.create_batch(15, assigned_user=staff, sales_stage="Closed Won")
    with CaptureQueriesContext(connection) as many:
        client.get(BOARD)
    assert len(many) == len(few)


def test_moving_a_card_changes_the_stage_records_it_and_sets_the_probability(client_as, staff):
    potential = PotentialFactory(sales_stage="Prospecting", amount=Decimal("500"), assigned_user=staff)
    response = client_as(staff).post(
        MOVE, {"potential": potential.pk, "stage": "Proposal/Price Quote"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    potential.refresh_from_db()
    assert potential.sales_stage == "Proposal/Price Quote"
    assert potential.probability == Decimal("65")
    update = Update.objects.filter(object_id=potential.pk, action=Update.Action.UPDATED).latest("pk")
    stage_change = next(c for c in update.changes if c["field"] == "sales_stage")
    assert (stage_change["label"], stage_change["old"], stage_change["new"]) == (
        "Sales Stage",
        "Prospecting",
        "Proposal/Price Quote",
    )
    assert update.user == staff
    body = response.content.decode()
    assert 'id="pipeline-board"' in body and "moved from Prospecting to Proposal/Price Quote" in body
    assert column(response, "Proposal/Price Quote").totals == [("SGD", Decimal("500"))]


def test_moving_without_the_edit_right_is_403_and_changes_nothing(client_as, management, staff):
    potential = PotentialFactory(sales_stage="Prospecting", assigned_user=staff)
    client = client_as(management)  # may see every record, may change none
    assert column(client.get(BOARD), "Prospecting").cards == [potential]
    response = client.post(MOVE, {"potential": potential.pk, "stage": "Closed Won"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert "You may not edit the potential" in response.content.decode()
    assert column(response, "Prospecting").cards == [potential]  # the card snaps back
    potential.refresh_from_db()
    assert potential.sales_stage == "Prospecting"
    assert not Update.objects.filter(object_id=potential.pk, action=Update.Action.UPDATED).exists()


def test_cards_the_user_may_not_edit_are_not_movable(client_as, management, staff):
    PotentialFactory(assigned_user=staff)
    response = client_as(management).get(BOARD)
    assert [card.movable for card in column(response, "Prospecting").cards] == [False]
    assert "pipeline-move" not in response.content.decode()


def test_moving_a_potential_the_user_cannot_see_is_404(client_as, staff, staff_east):
    hidden = PotentialFactory(assigned_user=staff_east)
    response = client_as(staff).post(MOVE, {"potential": hidden.pk, "stage": "Closed Won"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 404
    hidden.refresh_from_db()
    assert hidden.sales_stage == "Prospecting"


def test_moving_to_an_unknown_stage_is_refused(client_as, staff):
    potential = PotentialFactory(assigned_user=staff)
    response = client_as(staff).post(MOVE, {"potential": potential.pk, "stage": "Won Somehow"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "is not a sales stage you can choose" in response.content.decode()
    potential.refresh_from_db()
    assert potential.sales_stage == "Prospecting"


def test_a_bad_move_request_is_400(client_as, staff):
    response = client_as(staff).post(MOVE, {"potential": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400


def test_the_move_button_without_javascript_redirects_back_with_the_filters(client_as, staff):
    potential = PotentialFactory(assigned_user=staff)
    response = client_as(staff).post(f"{MOVE}?owner={staff.pk}", {"potential": potential.pk, "stage": "Closed Lost"})
    assert response.status_code == 302
    assert response["Location"] == f"{BOARD}?owner={staff.pk}"
    potential.refresh_from_db()
    assert (potential.sales_stage, potential.probability) == ("Closed Lost", Decimal("0"))


def test_the_move_button_without_the_edit_right_answers_403(client_as, management, staff):
    potential = PotentialFactory(assigned_user=staff)
    response = client_as(management).post(MOVE, {"potential": potential.pk, "stage": "Closed Lost"})
    assert response.status_code == 403
    assert "You may not edit the potential" in response.content.decode()


def test_the_board_needs_the_view_right(client_as, staff):
    from secondcrm.access.models import ModuleRight

    profile = staff.role.profiles.get()
    ModuleRight.objects.create(profile=profile, module="potentials")
    assert client_as(staff).get(BOARD).status_code == 403


def test_staff_can_move_only_to_their_roles_stages(client_as, staff):
    from secondcrm.picklists.models import PicklistValue

    won = PicklistValue.objects.get(module="potentials", field="sales_stage", value="Closed Won")
    won.roles.remove(staff.role)
    potential = PotentialFactory(assigned_user=staff)
    response = client_as(staff).post(MOVE, {"potential": potential.pk, "stage": "Closed Won"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Closed Won" not in [c.stage for c in response.context["board"].columns]
    potential.refresh_from_db()
    assert potential.sales_stage == "Prospecting"


def test_a_stage_outside_the_role_still_shows_its_potentials_but_takes_no_drops(client_as, staff):
    from secondcrm.picklists.models import PicklistValue

    PicklistValue.objects.get(module="potentials", field="sales_stage", value="Closed Won").roles.remove(staff.role)
    won = PotentialFactory(sales_stage="Closed Won", assigned_user=staff)
    held = column(client_as(staff).get(BOARD), "Closed Won")
    assert held.cards == [won] and not held.droppable and held.label == "Closed Won (not accessible)"


def test_move_keeps_potentials_unchanged_in_the_same_stage(client_as, staff):
    potential = PotentialFactory(assigned_user=staff)
    response = client_as(staff).post(MOVE, {"potential": potential.pk, "stage": "Prospecting"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "already in Prospecting" in response.content.decode()
    assert Potential.objects.get().sales_stage == "Prospecting"
