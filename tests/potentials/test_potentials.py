"""Potentials beyond the generic suite: probability from the stage, currency, bad input, related lists."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from potentials.models import Potential, SalesStageProbability
from secondcrm.picklists.choices import choices_for
from secondcrm.records.changes import acting_as
from tests.factories import AccountFactory, ContactFactory, PotentialFactory
from tests.record_suite import form_data

pytestmark = pytest.mark.django_db


def new_potential_data(account, **changes) -> dict:
    data = {
        "potential_name": "Harbour cranes",
        "account": str(account.pk),
        "amount": "25000",
        "currency": "SGD",
        "expected_close_date": "2030-06-30",
        "sales_stage": "Qualification",
        "assigned_to": f"user:{account.assigned_user_id}",
    }
    return data | changes


def add(client, data):
    return client.post(reverse("records:add", args=["potentials"]), data)


def test_sales_stages_are_seeded_in_pipeline_order_with_their_probabilities(staff):
    stages = choices_for("potentials", "sales_stage", staff)
    assert stages[0] == "Prospecting" and stages[-2:] == ["Closed Won", "Closed Lost"]
    assert len(stages) == 10
    assert SalesStageProbability.for_stage("Proposal/Price Quote") == Decimal("65")
    assert SalesStageProbability.for_stage("Closed Won") == Decimal("100")
    assert SalesStageProbability.for_stage("Closed Lost") == Decimal("0")


def test_probability_is_defaulted_from_the_stage_on_create(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    response = add(client_as(staff), new_potential_data(account, sales_stage="Needs Analysis"))
    assert response.status_code == 302
    potential = Potential.objects.get(potential_name="Harbour cranes")
    assert potential.probability == Decimal("25")
    assert potential.account == account


def test_a_probability_typed_on_create_is_kept(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    add(client_as(staff), new_potential_data(account, sales_stage="Needs Analysis", probability="33"))
    assert Potential.objects.get().probability == Decimal("33")


def test_probability_follows_a_stage_change_on_edit(client_as, staff):
    potential = PotentialFactory(assigned_user=staff, sales_stage="Prospecting")
    assert potential.probability == Decimal("10")
    data = form_data(Potential.module, potential, staff) | {"sales_stage": "Negotiation/Review"}
    response = client_as(staff).post(reverse("records:edit", args=["potentials", potential.pk]), data)
    assert response.status_code == 302
    potential.refresh_from_db()
    assert (potential.sales_stage, potential.probability) == ("Negotiation/Review", Decimal("80"))


def test_a_probability_typed_with_the_stage_change_is_kept(client_as, staff):
    potential = PotentialFactory(assigned_user=staff, sales_stage="Prospecting")
    data = form_data(Potential.module, potential, staff) | {"sales_stage": "Closed Won", "probability": "90"}
    client_as(staff).post(reverse("records:edit", args=["potentials", potential.pk]), data)
    potential.refresh_from_db()
    assert (potential.sales_stage, potential.probability) == ("Closed Won", Decimal("90"))


def test_an_edit_without_a_stage_change_keeps_a_custom_probability(staff):
    potential = PotentialFactory(assigned_user=staff, sales_stage="Prospecting", probability=Decimal("42"))
    potential.next_step = "Call back"
    with acting_as(staff):
        potential.save()
    potential.refresh_from_db()
    assert potential.probability == Decimal("42")


def test_the_currency_defaults_to_the_creating_users_currency(client_as, staff):
    staff.currency = "EUR"
    staff.save()
    form = client_as(staff).get(reverse("records:add", args=["potentials"])).context["form"]
    assert form["currency"].value() == "EUR"


def test_a_potential_without_an_account_is_refused(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    response = add(client_as(staff), new_potential_data(account) | {"account": ""})
    assert response.status_code == 422
    assert "Every potential belongs to an account: choose one." in response.content.decode()
    assert not Potential.objects.exists()


def test_an_account_the_user_cannot_see_is_refused(client_as, staff, staff_east):
    hidden = AccountFactory(assigned_user=staff_east)
    response = add(client_as(staff), new_potential_data(hidden))
    assert response.status_code == 422
    assert not Potential.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("expected_close_date", "30/06/2030x", "Enter the date as YYYY-MM-DD, for example 2030-12-31."),
        ("expected_close_date", "", "This field is required."),
        ("probability", "120", "Probability is a percentage between 0 and 100."),
        ("probability", "-1", "Probability is a percentage between 0 and 100."),
        ("amount", "-5", "The amount cannot be negative."),
        ("sales_stage", "Won Somehow", "Select a valid choice."),
    ],
)
def test_bad_input_gets_a_clear_error(client_as, staff, field, value, message):
    account = AccountFactory(assigned_user=staff)
    response = add(client_as(staff), new_potential_data(account, **{field: value}))
    assert response.status_code == 422
    assert message in response.context["form"].errors[field][0]
    assert not Potential.objects.exists()


def test_an_account_lists_its_potentials(client_as, staff, staff_east):
    account = AccountFactory(assigned_user=staff)
    PotentialFactory(potential_name="Fleet renewal", account=account, assigned_user=staff)
    PotentialFactory(potential_name="Elsewhere deal", assigned_user=staff)
    response = client_as(staff).get(account.get_absolute_url())
    body = response.content.decode()
    labels = [item["related"].label for item in response.context["related_lists"]]
    assert "Potentials" in labels
    assert "Fleet renewal" in body and "Elsewhere deal" not in body
    assert f"{reverse('records:add', args=['potentials'])}?account={account.pk}" in body


def test_the_account_related_list_reads_through_visibility(client_as, manager, staff, staff_east):
    account = AccountFactory(assigned_user=staff)
    PotentialFactory(potential_name="Visible deal", account=account, assigned_user=staff)
    PotentialFactory(potential_name="East only deal", account=account, assigned_user=staff_east)
    body = client_as(staff).get(account.get_absolute_url()).content.decode()
    assert "Visible deal" in body and "East only deal" not in body


def test_a_contact_lists_its_potentials(client_as, staff):
    contact = ContactFactory(assigned_user=staff)
    PotentialFactory(
        potential_name="Through the contact", contact=contact, account=contact.account, assigned_user=staff
    )
    body = client_as(staff).get(contact.get_absolute_url()).content.decode()
    assert "Through the contact" in body


def test_an_account_with_potentials_cannot_be_purged_away_from_them(staff):
    potential = PotentialFactory(assigned_user=staff)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        potential.account.delete()


def test_add_potential_from_an_account_prefills_it(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    response = client_as(staff).get(reverse("records:add", args=["potentials"]), {"account": account.pk})
    assert str(response.context["form"]["account"].value()) == str(account.pk)


def test_the_list_links_to_the_pipeline(client_as, staff):
    body = client_as(staff).get(reverse("records:list", args=["potentials"])).content.decode()
    assert reverse("potentials:pipeline") in body


def test_the_demo_fills_the_pipeline():
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    names = set(Potential.objects.values_list("potential_name", flat=True))
    assert {"Fleet tracking rollout", "Clinic appointment system", "Store loyalty programme"} <= names
    assert Potential.objects.filter(sales_stage="Closed Won").exists()
    assert Potential.objects.get(potential_name="Fleet tracking rollout").contact_roles.count() == 1


def test_the_recycle_bin_job_keeps_an_account_its_potentials_belong_to(staff):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Account
    from secondcrm.records.tasks import purge_expired_recycle_bin

    long_ago = timezone.now() - timedelta(days=400)
    needed = PotentialFactory(assigned_user=staff).account
    alone = AccountFactory(assigned_user=staff)
    Account.objects.filter(pk__in=[needed.pk, alone.pk]).update(deleted_at=long_ago)
    assert purge_expired_recycle_bin() == 1
    assert list(Account.all_objects.values_list("pk", flat=True)) == [needed.pk]
