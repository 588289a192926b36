"""Saved filters (custom views) of a module's list: create, apply (all/any conditions, standard date range,
columns), private and shared, record visibility and field visibility, bad input, and who may edit or delete.
Everything goes over HTTP; the list's rows are read from the rendered table.

Personas: Accounts is Private, so staff see only their own accounts; the manager sees their branch."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from secondcrm.access.models import HiddenField
from secondcrm.records.models import CustomField, SavedFilter
from secondcrm.records.saved_filters import date_bounds
from tests.factories import AccountFactory
from tests.tools.conditions import condition_rows

pytestmark = pytest.mark.django_db

ADD = reverse("records:saved_filter_add", args=["accounts"])
LIST = reverse("records:list", args=["accounts"])


def filter_data(name="Mine", *, conditions=(), match="all", shared=False, date_field="", date_range="", columns=()):
    data = {
        "name": name,
        "match": match,
        "date_field": date_field,
        "date_range": date_range,
        "columns": list(columns),
    }
    if shared:
        data["shared"] = "on"
    return data | condition_rows(conditions)


def create(client, **kwargs) -> SavedFilter:
    response = client.post(ADD, filter_data(**kwargs))
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = SavedFilter.objects.latest("pk")
    assert response["Location"] == f"{LIST}?view={saved.pk}"
    return saved


def listed(client, saved=None, **params) -> set[str]:
    if saved is not None:
        params["view"] = saved.pk
    response = client.get(LIST, params)
    assert response.status_code == 200
    return {row.record.account_name for row in response.context["table"].paginated_rows}


def test_it_creates_a_filter_and_applies_all_conditions(client_as, manager):
    client = client_as(manager)
    AccountFactory(assigned_user=manager, account_name="Acme Big", employees=500)
    AccountFactory(assigned_user=manager, account_name="Acme Small", employees=5)
    AccountFactory(assigned_user=manager, account_name="Other Big", employees=900)

    saved = create(client, conditions=[("account_name", "starts_with", "acme"), ("employees", "greater_than", "100")])

    assert saved.owner == manager and saved.module == "accounts" and not saved.shared
    assert saved.conditions[0] == {"field": "account_name", "operator": "starts_with", "value": "acme"}
    assert listed(client, saved) == {"Acme Big"}
    assert listed(client) == {"Acme Big", "Acme Small", "Other Big"}


def test_any_condition_matches_either(client_as, manager):
    client = client_as(manager)
    AccountFactory(assigned_user=manager, account_name="Alpha", ticker_symbol="")
    AccountFactory(assigned_user=manager, account_name="Beta", ticker_symbol="BET")
    AccountFactory(assigned_user=manager, account_name="Gamma", ticker_symbol="GAM")

    saved = create(
        client, match="any", conditions=[("account_name", "equals", "beta"), ("ticker_symbol", "is_empty", "")]
    )

    assert listed(client, saved) == {"Alpha", "Beta"}


def test_not_equals_keeps_empty_values(client_as, manager):
    client = client_as(manager)
    AccountFactory(assigned_user=manager, account_name="None", employees=None)
    AccountFactory(assigned_user=manager, account_name="Ten", employees=10)
    AccountFactory(assigned_user=manager, account_name="Twenty", employees=20)

    saved = create(client, conditions=[("employees", "not_equals", "10")])

    assert listed(client, saved) == {"None", "Twenty"}


def test_created_last_month(client_as, manager):
    client = client_as(manager)
    start, end = date_bounds(SavedFilter.DateRange.LAST_MONTH, timezone.localdate())
    noon = datetime.time(12)
    inside = AccountFactory(assigned_user=manager, account_name="Last month")
    before = AccountFactory(assigned_user=manager, account_name="Before")
    AccountFactory(assigned_user=manager, account_name="Now")
    at = timezone.make_aware(datetime.datetime.combine(start, noon))
    type(inside).objects.filter(pk=inside.pk).update(created_at=at)
    earlier = timezone.make_aware(datetime.datetime.combine(start - datetime.timedelta(days=1), noon))
    type(before).objects.filter(pk=before.pk).update(created_at=earlier)

    saved = create(client, date_field="created_at", date_range="last_month")

    assert end == timezone.localdate().replace(day=1)
    assert listed(client, saved) == {"Last month"}


def test_date_bounds_of_each_range():
    wednesday = datetime.date(2026, 3, 4)
    assert date_bounds("today", wednesday) == (wednesday, datetime.date(2026, 3, 5))
    assert date_bounds("yesterday", wednesday) == (datetime.date(2026, 3, 3), wednesday)
    assert date_bounds("this_week", wednesday) == (datetime.date(2026, 3, 2), datetime.date(2026, 3, 9))
    assert date_bounds("last_week", wednesday) == (datetime.date(2026, 2, 23), datetime.date(2026, 3, 2))
    assert date_bounds("this_month", wednesday) == (datetime.date(2026, 3, 1), datetime.date(2026, 4, 1))
    assert date_bounds("last_month", datetime.date(2026, 1, 15)) == (
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
    )
    assert date_bounds("this_year", wednesday) == (datetime.date(2026, 1, 1), datetime.date(2027, 1, 1))
    assert date_bounds("last_30_days", wednesday) == (datetime.date(2026, 2, 3), datetime.date(2026, 3, 5))


def test_custom_fields_filter_by_their_type(client_as, manager):
    CustomField.objects.create(module="accounts", name="cf_score", label="Score", field_type=CustomField.Type.DECIMAL)
    CustomField.objects.create(module="accounts", name="cf_region", label="Region", field_type=CustomField.Type.TEXT)
    client = client_as(manager)
    AccountFactory(assigned_user=manager, account_name="High North", custom={"cf_score": "12.50", "cf_region": "North"})
    AccountFactory(assigned_user=manager, account_name="Low North", custom={"cf_score": "9.5", "cf_region": "North"})
    AccountFactory(assigned_user=manager, account_name="Odd", custom={"cf_score": "n/a", "cf_region": "North"})
    AccountFactory(assigned_user=manager, account_name="High South", custom={"cf_score": "100", "cf_region": "South"})

    saved = create(client, conditions=[("cf_score", "greater_than", "10"), ("cf_region", "contains", "nor")])

    assert listed(client, saved) == {"High North"}


def test_columns_of_the_filter_replace_the_users_columns(client_as, manager):
    client = client_as(manager)
    AccountFactory(assigned_user=manager, account_name="Acme")
    saved = create(client, columns=["phone", "industry"])

    response = client.get(LIST, {"view": saved.pk})

    assert [c.name for c in response.context["table"].columns][1:] == ["account_name", "phone", "industry"]
    assert 'name="view"' in response.content.decode()  # searching keeps the filter


def test_filter_menu_lists_own_and_shared_filters_only(client_as, manager, staff):
    mine = SavedFilter.objects.create(owner=staff, module="accounts", name="Staff private")
    shared = SavedFilter.objects.create(owner=manager, module="accounts", name="Team view", shared=True)
    private = SavedFilter.objects.create(owner=manager, module="accounts", name="Manager private")
    SavedFilter.objects.create(owner=staff, module="contacts", name="Other module")
    client = client_as(staff)

    response = client.get(LIST)

    assert set(response.context["saved_filters"]) == {mine, shared}
    assert "Team view (shared)" in response.content.decode()
    assert client.get(LIST, {"view": shared.pk}).status_code == 200
    assert client.get(LIST, {"view": private.pk}).status_code == 404
    assert client.get(LIST, {"view": "x"}).status_code == 404


def test_shared_filter_still_applies_record_visibility(client_as, manager, staff):
    AccountFactory(assigned_user=manager, account_name="Acme Manager")
    AccountFactory(assigned_user=staff, account_name="Acme Staff")
    shared = create(client_as(manager), shared=True, conditions=[("account_name", "contains", "acme")])

    assert listed(client_as(manager), shared) == {"Acme Manager", "Acme Staff"}
    assert listed(client_as(staff), shared) == {"Acme Staff"}


def test_invisible_field_is_refused_on_save_and_ignored_when_applied(client_as, manager, staff):
    AccountFactory(assigned_user=staff, account_name="Secret", ticker_symbol="SEC")
    AccountFactory(assigned_user=staff, account_name="Plain", ticker_symbol="")
    shared = create(client_as(manager), shared=True, conditions=[("ticker_symbol", "equals", "SEC")])
    HiddenField.objects.create(module="accounts", field="ticker_symbol")
    client = client_as(staff)

    response = client.post(ADD, filter_data(conditions=[("ticker_symbol", "equals", "SEC")], columns=["ticker_symbol"]))

    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not SavedFilter.objects.filter(owner=staff).exists()
    # Applied to a user who may not see the field, the condition is left out: it cannot reveal the value.
    assert listed(client, shared) == {"Secret", "Plain"}


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ([("no_such_field", "equals", "x")], "Select a valid choice"),
        ([("employees", "contains", "5")], "does not apply to Employees"),
        ([("employees", "greater_than", "many")], "Employees needs a number"),
        ([("created_at", "less_than", "31/12/2026")], "needs a date as yyyy-mm-dd"),
        ([("account_name", "equals", "")], "Enter a value"),
        ([("", "", "orphan value")], "Choose the field this value is for"),
    ],
)
def test_bad_conditions_are_form_errors(client_as, manager, conditions, message):
    response = client_as(manager).post(ADD, filter_data(conditions=conditions))

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not SavedFilter.objects.exists()


def test_other_bad_inputs_are_form_errors(client_as, manager):
    client = client_as(manager)
    create(client, name="Taken")

    assert "You already have a filter of this name" in client.post(ADD, filter_data("taken")).content.decode()
    response = client.post(ADD, filter_data("Dated", date_field="created_at"))
    assert response.status_code == 422
    assert "Choose both a date field and a date range" in response.content.decode()
    assert client.post(ADD, filter_data("")).status_code == 422
    assert client.post(ADD, filter_data("X", date_field="created_at", date_range="next_century")).status_code == 422
    assert SavedFilter.objects.count() == 1


def test_owner_edits_and_deletes(client_as, manager):
    client = client_as(manager)
    AccountFactory(assigned_user=manager, account_name="Acme")
    AccountFactory(assigned_user=manager, account_name="Zeta")
    saved = create(client, conditions=[("account_name", "equals", "Acme")])
    edit = reverse("records:saved_filter_edit", args=["accounts", saved.pk])

    page = client.get(edit)
    assert page.status_code == 200 and 'value="Acme"' in page.content.decode()
    response = client.post(edit, filter_data("Renamed", conditions=[("account_name", "equals", "Zeta")]))

    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.name == "Renamed" and listed(client, saved) == {"Zeta"}
    assert client.post(reverse("records:saved_filter_delete", args=["accounts", saved.pk])).status_code == 302
    assert not SavedFilter.objects.exists()


def test_only_owner_or_admin_may_change_a_filter(client_as, manager, staff, admin):
    shared = SavedFilter.objects.create(owner=manager, module="accounts", name="Team", shared=True)
    private = SavedFilter.objects.create(owner=manager, module="accounts", name="Mine")
    staff_client = client_as(staff)

    def urls(saved):
        return (
            reverse("records:saved_filter_edit", args=["accounts", saved.pk]),
            reverse("records:saved_filter_delete", args=["accounts", saved.pk]),
        )

    for url in urls(shared):
        assert staff_client.post(url, filter_data("Hijack")).status_code == 403
    for url in urls(private):
        assert staff_client.post(url, filter_data("Hijack")).status_code == 404
    assert staff_client.get(urls(shared)[0]).status_code == 403
    assert reverse("records:saved_filter_edit", args=["contacts", shared.pk])  # wrong module: not found
    assert client_as(manager).get(reverse("records:saved_filter_edit", args=["contacts", shared.pk])).status_code == 404
    assert SavedFilter.objects.filter(name__in=["Team", "Mine"]).count() == 2

    admin_client = client_as(admin)
    assert admin_client.post(urls(private)[0], filter_data("Admin renamed")).status_code == 302
    private.refresh_from_db()
    assert private.name == "Admin renamed" and private.owner == manager
    assert admin_client.post(urls(shared)[1]).status_code == 302
    assert not SavedFilter.objects.filter(pk=shared.pk).exists()


def test_the_list_offers_create_and_edit_links(client_as, manager, staff):
    shared = SavedFilter.objects.create(owner=manager, module="accounts", name="Team", shared=True)
    edit = reverse("records:saved_filter_edit", args=["accounts", shared.pk])

    owner_page = client_as(manager).get(LIST, {"view": shared.pk}).content.decode()
    other_page = client_as(staff).get(LIST, {"view": shared.pk}).content.decode()

    assert ADD in owner_page and edit in owner_page
    assert ADD in other_page and edit not in other_page
    form = client_as(staff).get(ADD)
    assert form.status_code == 200
    assert 'for="id_conditions-2-value"' in form.content.decode() and 'for="id_date_range"' in form.content.decode()


def test_a_user_without_the_view_right_may_not_save_filters(client_as, manager):
    from secondcrm.access.models import ModuleRight, Profile

    ModuleRight.objects.update_or_create(
        profile=Profile.objects.get(preset=Profile.Preset.MANAGER), module="accounts", defaults={"can_view": False}
    )

    assert client_as(manager).get(ADD).status_code == 403


def test_dates_of_contacts_and_custom_date_fields(client_as, manager):
    from tests.factories import ContactFactory

    CustomField.objects.create(module="contacts", name="cf_met", label="Met On", field_type=CustomField.Type.DATE)
    client = client_as(manager)
    today = timezone.localdate()
    ContactFactory(
        assigned_user=manager,
        last_name="Today",
        birthday=datetime.date(1980, 5, 1),
        custom={"cf_met": today.isoformat()},
    )
    ContactFactory(
        assigned_user=manager, last_name="Old", birthday=datetime.date(1990, 5, 1), custom={"cf_met": "2001-01-01"}
    )
    ContactFactory(assigned_user=manager, last_name="Never", birthday=None, custom={})
    add = reverse("records:saved_filter_add", args=["contacts"])
    contacts = reverse("records:list", args=["contacts"])

    def names(data):
        response = client.post(add, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        page = client.get(response["Location"])
        return {row.record.last_name for row in page.context["table"].paginated_rows}

    assert names(filter_data("Met today", date_field="cf_met", date_range="today")) == {"Today"}
    assert names(filter_data("Born before", conditions=[("birthday", "less_than", "1985-01-01")])) == {"Today"}
    assert names(filter_data("No birthday", conditions=[("birthday", "is_empty", "")])) == {"Never"}
    assert names(filter_data("Met 2001", conditions=[("cf_met", "equals", "2001-01-01")])) == {"Old"}
    assert client.get(contacts).status_code == 200
