"""Mass Edit from a list's Actions menu: one value into one field of the selected records, through each record's
form and the platform's save (Updates history, field access, validation), all or nothing."""

import pytest
from django.urls import reverse

from accounts.models import Account
from secondcrm.access.models import FieldRight, Profile, SharingDefault
from secondcrm.records.models import CustomField, Update
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

URL = reverse("records:mass_edit", kwargs={"module": "accounts"})
LIST = reverse("records:list", kwargs={"module": "accounts"})


def apply(field: str, value, records, **extra) -> dict:
    """The POST of the Mass Edit page's Update button."""
    data = {"selection": [r.pk for r in records], "mass_edit_field": field, "mass_edit_shown": field}
    return data | {"mass_edit_step": "apply", field: value} | extra


def restrict_staff(field: str, access: str) -> None:
    profile = Profile.objects.get(preset=Profile.Preset.STAFF)
    FieldRight.objects.create(profile=profile, module="accounts", field=field, access=access)


def updated_fields(record) -> list[str]:
    entries = record.updates.filter(action=Update.Action.UPDATED)
    return [change["field"] for entry in entries for change in entry.changes]


def test_it_offers_mass_edit_only_to_users_with_the_edit_right(client_as, staff, management):
    AccountFactory(assigned_user=staff)
    assert "Mass Edit" in client_as(staff).get(LIST).text
    assert "Mass Edit" not in client_as(management).get(LIST).text


def test_it_shows_the_writable_fields_and_then_the_chosen_fields_input(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    client = client_as(staff)
    page = client.post(URL, {"selection": [account.pk]})
    assert page.status_code == 200
    assert '<option value="ownership">Ownership</option>' in page.text
    assert 'name="ownership"' not in page.text  # no input before a field is chosen

    chosen = client.post(URL, {"selection": [account.pk], "mass_edit_field": "email", "mass_edit_step": "choose"})
    assert chosen.status_code == 200
    assert 'name="email"' in chosen.text
    assert '<label class="form-label small mb-0" for="id_email">Email</label>' in chosen.text
    # Picking another field in the select submits the form without a button: it shows that field's input.
    picked = client.post(URL, {"selection": [account.pk], "mass_edit_field": "ownership", "mass_edit_shown": "email"})
    assert 'name="ownership"' in picked.text
    assert 'value="apply">Update 1 account</button>' in picked.text


def test_it_updates_every_selected_record_with_an_updates_entry(client_as, staff):
    records = [AccountFactory(assigned_user=staff, ownership="Public") for _ in range(3)]
    response = client_as(staff).post(URL, apply("ownership", "Private", records), follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "Updated 3 accounts." in response.text
    for record in records:
        record.refresh_from_db()
        assert record.ownership == "Private"
        assert updated_fields(record) == ["ownership"]
        assert record.updates.get(action=Update.Action.UPDATED).user == staff


def test_records_the_user_may_not_edit_are_skipped_and_counted(client_as, staff, manager, staff_east):
    SharingDefault.objects.create(module="accounts", access=SharingDefault.Access.PUBLIC_READ)
    own = [AccountFactory(assigned_user=staff, ownership="Public") for _ in range(2)]
    others = [AccountFactory(assigned_user=manager, ownership="Public"), AccountFactory(assigned_user=staff_east)]
    response = client_as(staff).post(URL, apply("ownership", "Private", own + others), follow=True)
    assert "Updated 2 accounts; 2 could not be changed: you may not edit them." in response.text
    assert {a.ownership for a in Account.objects.filter(pk__in=[a.pk for a in own])} == {"Private"}
    for record in others:
        ownership = record.ownership
        record.refresh_from_db()
        assert record.ownership == ownership
        assert updated_fields(record) == []


def test_an_invalid_value_shows_the_error_and_saves_nothing(client_as, staff):
    records = [AccountFactory(assigned_user=staff, email="old@example.com") for _ in range(2)]
    response = client_as(staff).post(URL, apply("email", "not an email", records))
    assert response.status_code == 422
    assert "Enter a valid email address." in response.text
    assert "nothing was saved" in response.text
    assert set(Account.objects.values_list("email", flat=True)) == {"old@example.com"}
    assert not Update.objects.filter(action=Update.Action.UPDATED).exists()


def test_a_value_one_record_refuses_rolls_back_the_records_already_saved(client_as, staff):
    first = AccountFactory(assigned_user=staff, account_name="First")
    second = AccountFactory(assigned_user=staff, account_name="Second")
    # "Member Of: Second" is fine for First but would make Second its own parent.
    response = client_as(staff).post(URL, apply("parent", second.pk, [first, second]))
    assert response.status_code == 422
    assert "Account Second cannot take this value; nothing was saved." in response.text
    first.refresh_from_db()
    assert first.parent_id is None
    assert not Update.objects.filter(action=Update.Action.UPDATED).exists()


@pytest.mark.parametrize("access", [FieldRight.Access.READ_ONLY, FieldRight.Access.INVISIBLE])
def test_a_read_only_or_invisible_field_is_not_offered_and_a_crafted_post_is_refused(client_as, staff, access):
    restrict_staff("phone", access)
    account = AccountFactory(assigned_user=staff, phone="+65 6000 0001")
    client = client_as(staff)
    page = client.post(URL, {"selection": [account.pk]})
    assert 'value="phone"' not in page.text
    assert 'value="ownership"' in page.text

    crafted = client.post(URL, apply("phone", "+65 9999 9999", [account]))
    assert crafted.status_code == 422
    assert "you may not change that one" in crafted.text
    account.refresh_from_db()
    assert account.phone == "+65 6000 0001"


def test_a_hidden_field_is_not_offered(client_as, admin):
    account = AccountFactory(assigned_user=admin)
    page = client_as(admin).post(URL, {"selection": [account.pk]})
    # The record number is set by the platform, never by a form.
    assert 'value="number"' not in page.text
    assert 'value="account_name"' in page.text


def test_without_the_edit_right_the_page_is_forbidden(client_as, management, staff):
    account = AccountFactory(assigned_user=staff, ownership="Public")
    client = client_as(management)
    assert client.post(URL, {"selection": [account.pk]}).status_code == 403
    assert client.post(URL, apply("ownership", "Private", [account])).status_code == 403
    account.refresh_from_db()
    assert account.ownership == "Public"


def test_a_custom_field_is_mass_edited_with_history(client_as, staff):
    CustomField.objects.create(module="accounts", name="cf_region", label="Region", field_type=CustomField.Type.TEXT)
    records = [AccountFactory(assigned_user=staff) for _ in range(2)]
    client = client_as(staff)
    assert '<option value="cf_region">Region</option>' in client.post(URL, {"selection": [records[0].pk]}).text
    response = client.post(URL, apply("cf_region", "APAC", records), follow=True)
    assert "Updated 2 accounts." in response.text
    for record in records:
        record.refresh_from_db()
        assert record.custom["cf_region"] == "APAC"
        assert updated_fields(record) == ["cf_region"]


def test_without_a_selection_it_goes_back_to_the_list_with_a_message(client_as, staff):
    client = client_as(staff)
    response = client.post(URL, {"mass_edit_field": "ownership"}, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "Select at least one record first." in response.text
    assert client.get(URL).status_code == 302


def test_a_field_changed_without_choosing_saves_nothing(client_as, staff):
    account = AccountFactory(assigned_user=staff, email="old@example.com", ownership="Public")
    # The page showed Ownership's input, then the user picked Email and pressed Update: no email was entered.
    data = apply("email", "", [account]) | {"mass_edit_shown": "ownership", "ownership": "Private"}
    response = client_as(staff).post(URL, data)
    assert response.status_code == 200
    assert 'name="email"' in response.text
    account.refresh_from_db()
    assert (account.email, account.ownership) == ("old@example.com", "Public")
