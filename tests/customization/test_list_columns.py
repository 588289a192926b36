"""The list view's Columns control: each user picks the columns of a module's list, standard and custom fields
alike, stored per user and module; fields the user may not see are never offered nor shown, headers follow
the layout's labels, and a custom column sorts by its JSON value."""

import pytest
from django.urls import reverse

from accounts.models import Account
from secondcrm.access.models import FieldRight, HiddenField, Profile
from secondcrm.records.models import CustomField, FieldPlacement, ListColumns
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db

LIST = reverse("records:list", args=["accounts"])
COLUMNS = reverse("records:list_columns", args=["accounts"])
DEFAULT_HEADERS = ["Account Name", "Billing City", "Website", "Phone", "Type", "Assigned To"]


@pytest.fixture
def custom_fields(db):
    T = CustomField.Type
    return {
        "cf_region": CustomField.objects.create(
            module="accounts", name="cf_region", label="Region", field_type=T.PICKLIST, choices=["North", "South"]
        ),
        "cf_seats": CustomField.objects.create(module="accounts", name="cf_seats", label="Seats", field_type=T.NUMBER),
        "cf_share": CustomField.objects.create(module="accounts", name="cf_share", label="Share", field_type=T.PERCENT),
        "cf_renewal": CustomField.objects.create(
            module="accounts", name="cf_renewal", label="Renewal Date", field_type=T.DATE
        ),
    }


def headers(response) -> list[str]:
    return [str(column.header) for column in response.context["table"].columns if column.name != "selection"]


def offered(response) -> list[str]:
    return [spec.name for spec in response.context["column_options"]]


def test_default_columns_and_every_visible_field_offered(client_as, staff, custom_fields):
    response = client_as(staff).get(LIST)
    assert headers(response) == DEFAULT_HEADERS
    names = offered(response)
    # The chosen columns come first, then every other field of the layout, custom fields included.
    assert names[:6] == list(Account.module.list_fields)
    assert {"industry", "ticker_symbol", "description", "number", *custom_fields} <= set(names)
    body = response.text
    assert 'data-bs-target="#list-columns"' in body and ">Reset to default</button>" in body
    assert '<label class="form-check-label" for="column-cf_region">Region</label>' in body


def test_chosen_columns_are_stored_per_user_and_show_custom_values(client_as, staff, manager, custom_fields):
    AccountFactory(
        assigned_user=staff,
        account_name="Acme",
        industry="Banking",
        custom={"cf_region": "North", "cf_seats": 12000, "cf_share": "12.5", "cf_renewal": "2027-01-31"},
    )
    client = client_as(staff)
    chosen = ["cf_region", "account_name", "industry", "cf_seats", "cf_share", "cf_renewal"]
    response = client.post(COLUMNS, {"action": "save", "columns": chosen})
    assert response.status_code == 302 and response["Location"] == LIST
    assert ListColumns.objects.get(user=staff, module="accounts").columns == chosen

    response = client.get(LIST)
    assert headers(response) == ["Region", "Account Name", "Industry", "Seats", "Share", "Renewal Date"]
    cells = list(response.context["table"].rows[0].cells)[1:]
    assert [str(cell) for cell in cells[3:]] == ["12,000", "12.50 %", "Jan. 31, 2027"]
    assert str(cells[0]) == "North"
    assert offered(response)[:6] == chosen  # the Columns control lists the chosen ones first, in their order
    # The title column still links to the record, wherever it stands.
    assert f'<a href="/accounts/{Account.objects.get().pk}/">Acme</a>' in response.text

    # Another user keeps the module's default, and the choice is per module.
    assert headers(client_as(manager).get(LIST)) == DEFAULT_HEADERS
    assert "Last Name" in headers(client.get(reverse("records:list", args=["contacts"])))


def test_the_title_column_is_always_kept_and_an_empty_choice_is_refused(client_as, staff, custom_fields):
    client = client_as(staff)
    client.post(COLUMNS, {"action": "save", "columns": ["cf_region", "phone"]})
    assert headers(client.get(LIST)) == ["Account Name", "Region", "Phone"]

    response = client.post(COLUMNS, {"action": "save", "columns": ["no_such_field"]}, follow=True)
    assert "Choose at least one column." in response.text
    assert ListColumns.objects.get(user=staff).columns == ["cf_region", "phone"]


def test_reset_to_default_forgets_the_choice_and_keeps_the_query(client_as, staff, custom_fields):
    client = client_as(staff)
    client.post(COLUMNS, {"action": "save", "columns": ["account_name", "cf_region"]})
    response = client.post(f"{COLUMNS}?search_value=Acme&page=3", {"action": "reset"})
    assert response["Location"] == f"{LIST}?search_value=Acme"
    assert not ListColumns.objects.exists()
    response = client.get(response["Location"])
    assert headers(response) == DEFAULT_HEADERS
    assert "Columns reset to the default." in response.text


def test_an_invisible_field_is_never_offered_nor_shown(client_as, staff, custom_fields):
    AccountFactory(assigned_user=staff, phone="+65 6999 0001", custom={"cf_region": "North"})
    client = client_as(staff)
    client.post(COLUMNS, {"action": "save", "columns": ["account_name", "phone", "cf_region", "industry"]})
    staff_profile = Profile.objects.get(preset=Profile.Preset.STAFF)
    FieldRight.objects.create(profile=staff_profile, module="accounts", field="phone", access="invisible")
    HiddenField.objects.create(module="accounts", field="cf_region")

    response = client.get(LIST, {"sort": "cf_region"})
    assert headers(response) == ["Account Name", "Industry"]
    assert "phone" not in offered(response) and "cf_region" not in offered(response)
    assert "+65 6999 0001" not in response.text and "North" not in response.text
    assert 'value="cf_region"' not in response.text
    # A crafted POST cannot bring it back either.
    client.post(COLUMNS, {"action": "save", "columns": ["account_name", "cf_region"]})
    assert ListColumns.objects.get(user=staff).columns == ["account_name"]


def test_unknown_and_removed_fields_in_a_stored_choice_are_skipped(client_as, staff, custom_fields):
    ListColumns.objects.create(
        user=staff, module="accounts", columns=["account_name", "gone", "cf_seats", "cf_region", 7, "phone"]
    )
    custom_fields["cf_seats"].delete()
    custom_fields["cf_region"].deleted_at = "2026-01-01T00:00:00Z"
    custom_fields["cf_region"].save()
    response = client_as(staff).get(LIST)
    assert response.status_code == 200
    assert headers(response) == ["Account Name", "Phone"]

    ListColumns.objects.filter(user=staff).update(columns=["gone"])
    assert headers(client_as(staff).get(LIST)) == DEFAULT_HEADERS


def test_headers_follow_the_layout_labels_and_hidden_fields_are_left_out(client_as, staff, custom_fields):
    place = FieldPlacement.objects.create
    place(module="accounts", field="bill_city", block="Billing Address", position=3, label="Town")
    place(module="accounts", field="website", block="Account Information", position=6, hidden=True)
    custom_fields["cf_region"].label = "Sales Region"
    custom_fields["cf_region"].save()
    ListColumns.objects.create(user=staff, module="accounts", columns=["account_name", "bill_city", "cf_region"])

    response = client_as(staff).get(LIST)
    assert headers(response) == ["Account Name", "Town", "Sales Region"]
    assert "website" not in offered(response)
    ListColumns.objects.all().delete()
    assert headers(client_as(staff).get(LIST)) == ["Account Name", "Town", "Phone", "Type", "Assigned To"]


def test_sorting_by_a_custom_column_orders_by_its_value(client_as, staff, custom_fields):
    for name, custom in (
        ("Alpha", {"cf_seats": 9, "cf_region": "South"}),
        ("Beta", {"cf_seats": 10}),
        ("Gamma", {"cf_seats": 100, "cf_region": "North"}),
    ):
        AccountFactory(assigned_user=staff, account_name=name, custom=custom)
    client = client_as(staff)
    client.post(COLUMNS, {"action": "save", "columns": ["account_name", "cf_seats", "cf_region"]})

    def order(sort: str) -> list[str]:
        return [row.record.account_name for row in client.get(LIST, {"sort": sort}).context["table"].rows]

    assert order("cf_seats") == ["Alpha", "Beta", "Gamma"]  # as numbers: 9 < 10 < 100
    assert order("-cf_seats") == ["Gamma", "Beta", "Alpha"]
    assert order("cf_region")[:2] == ["Gamma", "Alpha"]  # North, South; the account without a region last
    # A column that is not shown is not a sort order: the list falls back to the title.
    assert order("-industry") == ["Alpha", "Beta", "Gamma"]


def test_a_related_column_is_fetched_with_the_rows(client_as, staff, django_assert_max_num_queries):
    client = client_as(staff)
    url = reverse("records:list", args=["contacts"])
    client.post(
        reverse("records:list_columns", args=["contacts"]), {"action": "save", "columns": ["last_name", "reports_to"]}
    )
    boss = ContactFactory(assigned_user=staff, last_name="Boss")
    ContactFactory(assigned_user=staff, reports_to=boss)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(10):
        ContactFactory(assigned_user=staff, reports_to=ContactFactory(assigned_user=staff))
    with django_assert_max_num_queries(len(few)) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert headers(response) == ["Last Name", "Reports To"]
