"""Find Duplicates and Merge from a list's Actions menu: groups of visible records with the same values on chosen
fields, and a merge that keeps the chosen values and moves everything linked to the others onto the survivor."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import Account, Contact
from potentials.models import Potential
from secondcrm.access.models import SharingDefault
from secondcrm.documents.models import DocumentLink
from secondcrm.records.models import Comment, Update
from tests.factories import (
    FACTORIES,
    AccountFactory,
    ContactFactory,
    DocumentFactory,
    PotentialFactory,
    attach,
    factory_for,
)

pytestmark = pytest.mark.django_db

LIST = reverse("records:list", kwargs={"module": "accounts"})
DUPLICATES = reverse("records:duplicates", kwargs={"module": "accounts"})
MERGE = reverse("records:merge", kwargs={"module": "accounts"})


def merge_url(*records) -> str:
    return f"{MERGE}?ids={','.join(str(r.pk) for r in records)}"


def test_it_offers_find_duplicates_only_with_the_merge_right(client_as, manager, staff):
    assert f'href="{DUPLICATES}">Find Duplicates</a>' in client_as(manager).get(LIST).text
    assert "Find Duplicates" not in client_as(staff).get(LIST).text


def test_it_finds_duplicates_by_name_without_case_among_visible_records_only(client_as, manager, staff, staff_east):
    first = AccountFactory(account_name="Acme Trading", assigned_user=manager)
    second = AccountFactory(account_name="ACME trading", assigned_user=staff)
    hidden = AccountFactory(account_name="acme TRADING", assigned_user=staff_east)  # another branch: invisible
    AccountFactory(account_name="Globex", assigned_user=manager)
    AccountFactory(account_name="Initech", assigned_user=manager)
    AccountFactory(account_name="Initech", assigned_user=staff_east)  # its twin is invisible: no group

    page = client_as(manager).get(DUPLICATES, {"fields": "account_name"})
    assert page.status_code == 200
    assert "1 group of duplicates" in page.text
    assert first.number in page.text and second.number in page.text
    assert hidden.number not in page.text and "Initech" not in page.text and "Globex" not in page.text
    assert f'href="{merge_url(first, second)}"' in page.text.replace("&amp;", "&")


def test_it_lists_only_fields_the_user_may_see_and_refuses_others(client_as, manager):
    page = client_as(manager).get(DUPLICATES)
    assert 'value="account_name"' in page.text and 'value="custom"' not in page.text
    refused = client_as(manager).get(DUPLICATES, {"fields": "deleted_at"})
    assert refused.status_code == 422
    assert "Choose among the fields offered" in refused.text


def test_merge_keeps_the_chosen_values_and_moves_what_was_linked(client_as, manager, staff):
    survivor = AccountFactory(account_name="Acme", phone="+65 6111 1111", website="", assigned_user=manager)
    other = AccountFactory(
        account_name="ACME", phone="+65 6222 2222", website="https://acme.example", assigned_user=staff
    )
    contact = ContactFactory(account=other, assigned_user=staff)
    binned = ContactFactory(account=other, assigned_user=staff, deleted_at="2026-01-01T00:00:00Z")
    potential = PotentialFactory(account=other, assigned_user=staff)
    member = AccountFactory(parent=other, assigned_user=staff)
    document = DocumentFactory(assigned_user=staff)
    attach(document, other)
    shared_document = DocumentFactory(assigned_user=staff)
    attach(shared_document, other)
    attach(shared_document, survivor)
    Comment.objects.create(record=other, author=staff, body="Called them today.")
    other.tags.add("VIP")
    client = client_as(manager)

    page = client.get(merge_url(survivor, other))
    assert page.status_code == 200
    # By default the first non-empty value of each field survives: the website comes from the second record.
    assert 'name="merge_choice_website" value="1" id="merge_choice_website-1" checked' in page.text
    assert 'name="merge_choice_phone" value="0" id="merge_choice_phone-0" checked' in page.text

    fields = [name.removeprefix("merge_choice_") for name in _radio_names(page.text)]
    data = {"merge_primary": "0"} | {f"merge_choice_{name}": "0" for name in fields}
    data |= {"merge_choice_phone": "1", "merge_choice_website": "1"}
    response = client.post(merge_url(survivor, other), data, follow=True)
    assert response.redirect_chain[-1][0] == survivor.get_absolute_url()
    assert f"Merged {other.number} into {survivor.number}." in response.text

    survivor.refresh_from_db()
    assert (survivor.account_name, survivor.phone, survivor.website) == (
        "Acme",
        "+65 6222 2222",
        "https://acme.example",
    )
    assert Account.all_objects.get(pk=other.pk).is_deleted
    assert set(Contact.all_objects.filter(pk__in=[contact.pk, binned.pk]).values_list("account", flat=True)) == {
        survivor.pk
    }
    assert Potential.objects.get(pk=potential.pk).account_id == survivor.pk
    assert Account.objects.get(pk=member.pk).parent_id == survivor.pk
    assert [c.body for c in survivor.comments.all()] == ["Called them today."]
    links = DocumentLink.objects.filter(content_type=ContentType.objects.get_for_model(Account))
    assert sorted(links.filter(object_id=survivor.pk).values_list("document_id", flat=True)) == sorted(
        [document.pk, shared_document.pk]
    )
    assert not links.filter(object_id=other.pk).exists()
    assert list(survivor.tags.names()) == ["VIP"]
    merged = [c["new"] for u in survivor.updates.filter(action=Update.Action.UPDATED) for c in u.changes]
    assert other.number in merged  # "Merged Records changed from (empty) to ACC2"


def test_the_second_record_can_survive(client_as, manager):
    first = AccountFactory(account_name="Acme", assigned_user=manager)
    second = AccountFactory(account_name="Acme", assigned_user=manager)
    contact = ContactFactory(account=first, assigned_user=manager)
    page = client_as(manager).get(merge_url(first, second))
    data = {"merge_primary": "1"} | dict.fromkeys(_radio_names(page.text), "0")
    client_as(manager).post(merge_url(first, second), data)
    assert Account.all_objects.get(pk=first.pk).is_deleted
    assert not Account.objects.get(pk=second.pk).is_deleted
    assert Contact.objects.get(pk=contact.pk).account_id == second.pk


def test_without_the_merge_right_it_is_forbidden(client_as, staff):
    first, second = AccountFactory(assigned_user=staff), AccountFactory(assigned_user=staff)
    client = client_as(staff)
    assert client.get(DUPLICATES, {"fields": "account_name"}).status_code == 403
    assert client.get(merge_url(first, second)).status_code == 403
    assert client.post(merge_url(first, second), {"merge_primary": "0"}).status_code == 403
    assert not Account.all_objects.filter(deleted_at__isnull=False).exists()


def test_a_record_the_user_may_not_delete_is_forbidden_and_nothing_changes(client_as, manager, staff_east):
    SharingDefault.objects.create(module="accounts", access=SharingDefault.Access.PUBLIC_READ)
    own = AccountFactory(account_name="Acme", phone="+65 6111 1111", assigned_user=manager)
    readable = AccountFactory(account_name="Acme", phone="+65 6999 9999", assigned_user=staff_east)
    contact = ContactFactory(account=readable, assigned_user=staff_east)
    client = client_as(manager)
    page = client.get(merge_url(own, readable))
    assert page.status_code == 200
    data = {"merge_primary": "0"} | dict.fromkeys(_radio_names(page.text), "1")
    assert client.post(merge_url(own, readable), data).status_code == 403
    own.refresh_from_db()
    assert own.phone == "+65 6111 1111"
    assert not Account.all_objects.get(pk=readable.pk).is_deleted
    assert Contact.objects.get(pk=contact.pk).account_id == readable.pk


def test_an_invisible_record_is_not_found(client_as, manager, staff_east):
    own = AccountFactory(assigned_user=manager)
    invisible = AccountFactory(assigned_user=staff_east)
    assert client_as(manager).get(merge_url(own, invisible)).status_code == 404


def test_fewer_than_two_records_give_a_clear_message(client_as, manager):
    account = AccountFactory(assigned_user=manager)
    response = client_as(manager).get(merge_url(account), follow=True)
    assert response.redirect_chain[-1][0] == DUPLICATES
    assert "Choose at least two records to merge." in response.text
    response = client_as(manager).post(f"{MERGE}?ids=abc", {"merge_primary": "0"}, follow=True)
    assert "Choose at least two records to merge." in response.text


def test_a_missing_choice_is_asked_again(client_as, manager):
    first, second = AccountFactory(assigned_user=manager), AccountFactory(assigned_user=manager)
    response = client_as(manager).post(merge_url(first, second), {"merge_primary": "7"})
    assert response.status_code == 422
    assert "Choose one record and one value per field." in response.text
    assert not Account.all_objects.filter(deleted_at__isnull=False).exists()


def _radio_names(html: str) -> list[str]:
    """The per-field choice inputs of the merge page, in order."""
    return list(dict.fromkeys(re.findall(r'name="(merge_choice_[\w]+)"', html)))


def test_contacts_merge_with_dates_and_account_taken_from_the_chosen_record(client_as, manager):
    first = ContactFactory(last_name="Tan", email="", assigned_user=manager)
    second = ContactFactory(last_name="TAN", email="tan@example.com", assigned_user=manager)
    url = reverse("records:merge", kwargs={"module": "contacts"}) + f"?ids={first.pk},{second.pk}"
    client = client_as(manager)
    page = client.get(url)
    assert page.status_code == 200
    data = {"merge_primary": "0"} | dict.fromkeys(_radio_names(page.text), "0")
    data |= {"merge_choice_account": "1", "merge_choice_birthday": "1", "merge_choice_email": "1"}
    assert client.post(url, data).status_code == 302
    first.refresh_from_db()
    assert (first.account_id, first.birthday, first.email) == (second.account_id, second.birthday, "tan@example.com")
    assert Contact.all_objects.get(pk=second.pk).is_deleted


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda model: model.__name__)
def test_every_module_finds_and_merges_its_duplicates(client_as, admin, model):
    module = model.module
    first, second = (factory_for(model)(assigned_user=admin) for _ in range(2))
    client = client_as(admin)
    duplicates = reverse("records:duplicates", kwargs={"module": module.name})
    assert client.get(duplicates, {"fields": ["assigned_user"]}).status_code == 422  # not a form field
    assert client.get(duplicates, {"fields": [module.title_field]}).status_code == 200
    url = reverse("records:merge", kwargs={"module": module.name}) + f"?ids={first.pk},{second.pk}"
    page = client.get(url)
    assert page.status_code == 200
    data = {"merge_primary": "1"} | dict.fromkeys(_radio_names(page.text), "0")
    response = client.post(url, data)
    assert response.status_code == 302, response.text
    assert model.all_objects.get(pk=first.pk).is_deleted
    assert not model.all_objects.get(pk=second.pk).is_deleted
