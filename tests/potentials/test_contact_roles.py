"""Contact roles: the Contact Roles tab of a potential and its Add Contact Role form."""

import pytest
from django.urls import reverse

from potentials.models import PotentialContactRole
from secondcrm.records.models import Update
from tests.factories import ContactFactory, PotentialFactory

pytestmark = pytest.mark.django_db


def add_url(potential) -> str:
    return reverse("potentials:contact_role_add", args=[potential.pk])


def role_data(contact, role="Decision Maker") -> dict:
    return {"contact_role-contact": str(contact.pk), "contact_role-role": role}


def test_the_tab_shows_on_potentials_only(client_as, staff):
    potential = PotentialFactory(assigned_user=staff)
    body = client_as(staff).get(potential.get_absolute_url()).content.decode()
    assert "Contact Roles" in body and "Add Contact Role" in body
    assert "Contact Roles" not in client_as(staff).get(potential.account.get_absolute_url()).content.decode()


def test_add_a_contact_role(client_as, staff):
    potential = PotentialFactory(assigned_user=staff)
    contact = ContactFactory(last_name="Tan", assigned_user=staff)
    response = client_as(staff).post(add_url(potential), role_data(contact, "Evaluator"))
    assert response.status_code == 302 and response["Location"] == potential.get_absolute_url()
    assert list(potential.contact_roles.values_list("contact", "role")) == [(contact.pk, "Evaluator")]
    body = client_as(staff).get(potential.get_absolute_url()).content.decode()
    assert "Tan" in body and "Evaluator" in body
    update = Update.objects.filter(object_id=potential.pk, action=Update.Action.UPDATED).latest("pk")
    assert update.changes == [
        {"field": "contact_roles", "label": "Contact Roles", "old": "", "new": f"{contact} (Evaluator)"}
    ]


def test_htmx_gets_the_tab_back(client_as, staff):
    potential = PotentialFactory(assigned_user=staff)
    contact = ContactFactory(assigned_user=staff)
    response = client_as(staff).post(add_url(potential), role_data(contact), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="contact-roles"' in body and "added as Decision Maker" in body


def test_a_contact_the_user_cannot_see_is_refused(client_as, staff, staff_east):
    potential = PotentialFactory(assigned_user=staff)
    hidden = ContactFactory(assigned_user=staff_east)
    response = client_as(staff).post(add_url(potential), role_data(hidden), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Choose a contact you can see." in response.content.decode()
    assert not PotentialContactRole.objects.exists()


def test_a_contact_gets_one_role_per_potential(client_as, staff):
    potential = PotentialFactory(assigned_user=staff)
    contact = ContactFactory(assigned_user=staff)
    client = client_as(staff)
    client.post(add_url(potential), role_data(contact))
    response = client.post(add_url(potential), role_data(contact, "Influencer"), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "already has a role on this potential" in response.content.decode()
    assert potential.contact_roles.get().role == "Decision Maker"


def test_an_unknown_role_is_refused(client_as, staff):
    potential = PotentialFactory(assigned_user=staff)
    contact = ContactFactory(assigned_user=staff)
    response = client_as(staff).post(add_url(potential), role_data(contact, "Boss"), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert not PotentialContactRole.objects.exists()


def test_without_the_edit_right_there_is_no_form_and_a_post_is_403(client_as, management, staff):
    potential = PotentialFactory(assigned_user=staff)
    contact = ContactFactory(assigned_user=staff)
    client = client_as(management)
    assert "Add Contact Role" not in client.get(potential.get_absolute_url()).content.decode()
    assert client.post(add_url(potential), role_data(contact)).status_code == 403
    assert not PotentialContactRole.objects.exists()


def test_a_potential_the_user_cannot_see_is_404(client_as, staff, staff_east):
    potential = PotentialFactory(assigned_user=staff_east)
    contact = ContactFactory(assigned_user=staff)
    assert client_as(staff).post(add_url(potential), role_data(contact)).status_code == 404


def test_roles_of_contacts_the_user_cannot_see_are_not_shown(client_as, manager, staff, staff_east):
    potential = PotentialFactory(assigned_user=staff)
    PotentialContactRole.objects.create(
        potential=potential, contact=ContactFactory(last_name="Hidden East", assigned_user=staff_east), role="Other"
    )
    assert "Hidden East" not in client_as(staff).get(potential.get_absolute_url()).content.decode()


def test_remove_a_contact_role(client_as, staff, management):
    potential = PotentialFactory(assigned_user=staff)
    contact_role = PotentialContactRole.objects.create(
        potential=potential, contact=ContactFactory(assigned_user=staff), role="Other"
    )
    url = reverse("potentials:contact_role_remove", args=[contact_role.pk])
    assert client_as(management).post(url).status_code == 403
    assert client_as(staff).post(url).status_code == 302
    assert not PotentialContactRole.objects.exists()
    update = Update.objects.filter(object_id=potential.pk, action=Update.Action.UPDATED).latest("pk")
    assert update.changes[0]["old"] == f"{contact_role.contact} (Other)"
