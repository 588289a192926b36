"""Accounts and Contacts beyond the generic suite: hierarchies, related lists, validation, addresses."""

import pytest
from django.urls import reverse

from accounts.models import Account, Contact
from tests.factories import AccountFactory, ContactFactory
from tests.record_suite import form_data

pytestmark = pytest.mark.django_db


def account_form(account, user, **changes) -> dict:
    return form_data(Account.module, account, user) | changes


def test_parent_account_cannot_make_a_cycle(client_as, manager):
    top = AccountFactory(account_name="Top", assigned_user=manager)
    middle = AccountFactory(account_name="Middle", parent=top, assigned_user=manager)
    bottom = AccountFactory(account_name="Bottom", parent=middle, assigned_user=manager)
    response = client_as(manager).post(
        reverse("records:edit", args=["accounts", top.pk]), account_form(top, manager, parent=str(bottom.pk))
    )
    assert response.status_code == 422
    assert "Member Of cannot be this record or one of the records below it." in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None


def test_an_account_is_not_offered_as_its_own_parent(client_as, manager):
    account = AccountFactory(assigned_user=manager)
    form = client_as(manager).get(reverse("records:edit", args=["accounts", account.pk])).context["form"]
    assert account not in form.fields["parent"].queryset


def test_hierarchy_shows_the_whole_tree_from_the_top(client_as, staff):
    top = AccountFactory(account_name="Group Holding", assigned_user=staff)
    child = AccountFactory(account_name="Group Sub A", parent=top, assigned_user=staff)
    AccountFactory(account_name="Group Sub B", parent=top, assigned_user=staff)
    AccountFactory(account_name="Grandchild", parent=child, assigned_user=staff)
    response = client_as(staff).get(reverse("records:hierarchy", args=["accounts", child.pk]))
    rows = [(depth, node.account_name) for depth, node in response.context["rows"]]
    assert rows == [(0, "Group Holding"), (1, "Group Sub A"), (2, "Grandchild"), (1, "Group Sub B")]


def test_contacts_reports_to_cannot_cycle(client_as, staff):
    boss = ContactFactory(last_name="Boss", assigned_user=staff)
    report = ContactFactory(last_name="Report", reports_to=boss, assigned_user=staff)
    data = form_data(Contact.module, boss, staff) | {"reports_to": str(report.pk)}
    response = client_as(staff).post(reverse("records:edit", args=["contacts", boss.pk]), data)
    assert "Reports To cannot be this record" in response.content.decode()


def test_account_lists_its_contacts_and_adds_one_prefilled(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    contact = ContactFactory(account=account, last_name="Related Person", assigned_user=staff)
    ContactFactory(last_name="Unrelated Person", assigned_user=staff)
    client = client_as(staff)
    body = client.get(account.get_absolute_url()).content.decode()
    assert "Related Person" in body and "Unrelated Person" not in body
    add_url = f"{reverse('records:add', args=['contacts'])}?account={account.pk}"
    assert add_url in body
    form = client.get(add_url).context["form"]
    assert form["account"].value() == str(account.pk)
    assert contact in account.contacts.all()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter a valid email address."),
        ("website", "http://", "Enter a valid URL."),
        ("phone", "call me maybe", "Enter a phone number"),
        ("employees", "-5", "greater than or equal to 0"),
        ("annual_revenue", "12abc", "Enter a number."),
    ],
)
def test_bad_values_get_a_clear_error_and_save_nothing(client_as, staff, field, value, message):
    account = AccountFactory(assigned_user=staff)
    before = {f.attname: getattr(account, f.attname) for f in Account._meta.concrete_fields}
    response = client_as(staff).post(
        reverse("records:edit", args=["accounts", account.pk]),
        account_form(account, staff, **{field: value, "account_name": "Renamed"}),
    )
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    account.refresh_from_db()
    assert {f.attname: getattr(account, f.attname) for f in Account._meta.concrete_fields} == before


def test_website_without_scheme_is_read_as_https(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    client_as(staff).post(
        reverse("records:edit", args=["accounts", account.pk]), account_form(account, staff, website="www.acme.sg")
    )
    account.refresh_from_db()
    assert account.website == "https://www.acme.sg"


def test_billing_address_has_a_map_link(client_as, staff):
    account = AccountFactory(assigned_user=staff, bill_street="1 Raffles Place", bill_city="Singapore")
    blocks = client_as(staff).get(account.get_absolute_url()).context["blocks"]
    billing = next(b for b in blocks if b.title == "Billing Address")
    assert billing.map_url == "https://www.openstreetmap.org/search?query=1+Raffles+Place%2C+Singapore%2C+Singapore"
    assert next(b for b in blocks if b.title == "Description Information").map_url == ""


def test_record_can_be_assigned_to_a_group(client_as, staff):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Key Account Team")
    group.user_set.add(staff)
    account = AccountFactory(assigned_user=staff)
    client_as(staff).post(
        reverse("records:edit", args=["accounts", account.pk]),
        account_form(account, staff, assigned_to=f"group:{group.pk}"),
    )
    account.refresh_from_db()
    assert (account.assigned_user, account.assigned_group) == (None, group)
    change = account.updates.get(action="updated").changes
    assert {"field": "assigned_group", "label": "Assigned Group", "old": "", "new": "Key Account Team"} in change


def test_numbers_are_sequential_per_module(staff):
    first, second = AccountFactory(assigned_user=staff), AccountFactory(assigned_user=staff)
    contact = ContactFactory(assigned_user=staff, account=first)
    assert int(second.number[3:]) == int(first.number[3:]) + 1
    assert contact.number.startswith("CON")
