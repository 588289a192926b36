"""Advanced search: the page (module, all/any, condition rows over the module's fields), its results as the module's
list narrowed by the conditions in the query string (chips, paging, export, Save as filter), and what a crafted
query string cannot do. Everything goes over HTTP; the list's rows are read from the rendered table.

Personas: Accounts is Private, so staff see only their own accounts; the manager sees their branch and may
export."""

import csv
import io
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse

from secondcrm.access.models import HiddenField, ModuleRight, Profile
from secondcrm.records.advanced_search import decode, encode, search_query
from secondcrm.records.models import CustomField, SavedFilter
from tests.factories import AccountFactory, ContactFactory
from tests.tools.conditions import condition_rows

pytestmark = pytest.mark.django_db

SEARCH = reverse("records:advanced_search")
LIST = reverse("records:list", args=["accounts"])


def search_data(module="accounts", *, conditions=(), match="all", action="search", rows=3):
    data = {
        "module": module,
        "match": match,
        "action": action,
    }
    return data | condition_rows(conditions, rows)


def search(client, **kwargs) -> str:
    """Run an advanced search from its page; returns the results' URL (the module's list)."""
    response = client.post(SEARCH, search_data(**kwargs))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def listed(client, url, **params) -> set[str]:
    """The account names of the list at ``url``; ``params`` join its query string."""
    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
    response = client.get(url)
    assert response.status_code == 200
    return {row.record.account_name for row in response.context["table"].paginated_rows}


def test_all_conditions_on_standard_and_custom_fields(client_as, manager):
    CustomField.objects.create(module="accounts", name="cf_score", label="Score", field_type=CustomField.Type.DECIMAL)
    client = client_as(manager)
    AccountFactory(assigned_user=manager, account_name="Acme Big", employees=500, custom={"cf_score": "12.5"})
    AccountFactory(assigned_user=manager, account_name="Acme Low", employees=500, custom={"cf_score": "3"})
    AccountFactory(assigned_user=manager, account_name="Acme Small", employees=5, custom={"cf_score": "20"})
    AccountFactory(assigned_user=manager, account_name="Other Big", employees=900, custom={"cf_score": "50"})

    url = search(
        client,
        conditions=[
            ("account_name", "starts_with", "acme"),
            ("employees", "greater_than", "100"),
            ("cf_score", "greater_than", "10"),
        ],
    )

    path, query = url.split("?")
    assert path == LIST
    assert parse_qs(query) == {
        "c": ["account_name.starts_with.acme", "employees.greater_than.100", "cf_score.greater_than.10"]
    }
    assert listed(client, url) == {"Acme Big"}
    assert not SavedFilter.objects.exists()  # a search is not saved until the user asks


def test_any_condition_matches_either(client_as, manager):
    CustomField.objects.create(module="accounts", name="cf_region", label="Region", field_type=CustomField.Type.TEXT)
    client = client_as(manager)
    AccountFactory(assigned_user=manager, account_name="Alpha", ticker_symbol="", custom={"cf_region": "South"})
    AccountFactory(assigned_user=manager, account_name="Beta", ticker_symbol="BET", custom={"cf_region": "North"})
    AccountFactory(assigned_user=manager, account_name="Gamma", ticker_symbol="GAM", custom={"cf_region": "East"})

    url = search(client, match="any", conditions=[("cf_region", "equals", "north"), ("ticker_symbol", "is_empty", "")])

    assert "match=any" in url and "c=ticker_symbol.is_empty." in url
    assert listed(client, url) == {"Alpha", "Beta"}


def test_values_keep_their_dots_and_odd_characters():
    condition = {"field": "website", "operator": "contains", "value": "acme.example/a?b=1&c=2.5"}

    assert decode(encode(condition)) == condition
    assert parse_qs(search_query([condition], "all"))["c"] == ["website.contains.acme.example/a?b=1&c=2.5"]
    assert decode("employees.is_empty") == {"field": "employees", "operator": "is_empty", "value": ""}


def test_results_show_removable_chips_and_keep_the_search_in_the_list_controls(client_as, manager):
    client = client_as(manager)
    AccountFactory(assigned_user=manager, account_name="Acme North", bill_city="Oslo")
    AccountFactory(assigned_user=manager, account_name="Acme South", bill_city="Perth")
    AccountFactory(assigned_user=manager, account_name="Zeta North", bill_city="Oslo")
    url = search(client, conditions=[("account_name", "starts_with", "acme"), ("bill_city", "equals", "Oslo")])

    page = client.get(url)
    html = page.content.decode()

    assert "Account Name starts with “acme”" in html and "Billing City equals “Oslo”" in html
    (_, without_name), (_, without_city) = page.context["advanced_search"].chips
    assert listed(client, f"{LIST}?{without_name}") == {"Acme North", "Zeta North"}
    assert listed(client, f"{LIST}?{without_city}") == {"Acme North", "Acme South"}
    # The list's own search and alphabetical filter narrow the result further, keeping the conditions.
    assert 'name="c" value="account_name.starts_with.acme"' in html
    assert listed(client, url, search_value="south") == set()
    assert listed(client, url, letter="Z") == set()
    assert f"{SEARCH}?module=accounts&amp;c=account_name.starts_with.acme&amp;c=bill_city.equals.Oslo" in html


def test_paging_and_sorting_keep_the_conditions(client_as, manager):
    client = client_as(manager)
    for number in range(25):
        AccountFactory(assigned_user=manager, account_name=f"Acme {number:02d}")
    AccountFactory(assigned_user=manager, account_name="Other")
    url = search(client, conditions=[("account_name", "starts_with", "acme")])

    first = client.get(f"{url}&sort=-account_name")
    second = client.get(f"{url}&sort=-account_name&page=2")

    assert first.context["table"].page.paginator.count == 25
    page_links = [href for href in _hrefs(first.content.decode()) if "page=2" in href]
    assert page_links and all("c=account_name.starts_with.acme" in href for href in page_links)
    names = [row.record.account_name for row in second.context["table"].paginated_rows]
    assert names == [f"Acme {number:02d}" for number in range(4, -1, -1)]


def _hrefs(html: str) -> list[str]:
    return [part.split('"', 1)[0].replace("&amp;", "&") for part in html.split('href="')[1:]]


def test_export_of_the_current_search_holds_exactly_the_matching_rows(client_as, manager, staff):
    AccountFactory(assigned_user=manager, account_name="Acme One", employees=50)
    AccountFactory(assigned_user=staff, account_name="Acme Two", employees=70)
    AccountFactory(assigned_user=manager, account_name="Acme Tiny", employees=2)
    AccountFactory(assigned_user=manager, account_name="Other", employees=50)
    client = client_as(manager)
    url = search(client, conditions=[("account_name", "contains", "acme"), ("employees", "greater_than", "10")])
    export = f"{reverse('records:export', args=['accounts'])}?{urlsplit(url).query}"

    form = client.get(export)
    response = client.post(export, {"export": "1", "scope": "filter", "columns": ["account_name"], "format": "csv"})

    assert form.context["form"]["scope"].value() == "filter"
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(content))) == [["Account Name"], ["Acme One"], ["Acme Two"]]


def test_staff_never_see_others_private_records_in_results(client_as, manager, staff, staff_east):
    AccountFactory(assigned_user=manager, account_name="Acme Manager")
    AccountFactory(assigned_user=staff, account_name="Acme Staff")
    AccountFactory(assigned_user=staff_east, account_name="Acme East")
    url = search(client_as(staff), conditions=[("account_name", "contains", "acme")])

    assert listed(client_as(staff), url) == {"Acme Staff"}
    assert listed(client_as(staff_east), url) == {"Acme East"}
    assert listed(client_as(manager), url) == {"Acme Manager", "Acme Staff"}


def test_a_condition_on_an_invisible_field_is_refused_and_ignored(client_as, staff):
    AccountFactory(assigned_user=staff, account_name="Secret Co", ticker_symbol="SEC")
    AccountFactory(assigned_user=staff, account_name="Plain Co", ticker_symbol="")
    HiddenField.objects.create(module="accounts", field="ticker_symbol")
    client = client_as(staff)

    response = client.post(SEARCH, search_data(conditions=[("ticker_symbol", "equals", "SEC")]))
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert "ticker_symbol" not in [name for name, _ in response.context["conditions"][0].fields["field"].choices]

    # A crafted link: the condition is left out, so whether it matched never shows.
    page = client.get(LIST, {"c": ["ticker_symbol.equals.SEC", "account_name.contains.co"]})
    assert {row.record.account_name for row in page.context["table"].paginated_rows} == {"Secret Co", "Plain Co"}
    html = page.content.decode()
    assert "1 condition of the search was left out" in html and "Ticker Symbol" not in html
    assert [str(condition) for condition in page.context["advanced_search"].conditions] == [
        "Account Name contains “co”"
    ]


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (("employees", "contains", "5"), "does not apply to Employees"),
        (("employees", "greater_than", "many"), "Employees needs a number"),
        (("created_at", "less_than", "31/12/2026"), "needs a date as yyyy-mm-dd"),
        (("account_name", "equals", ""), "Enter a value"),
        (("", "", "orphan value"), "Choose the field this value is for"),
        (("no_such_field", "equals", "x"), "Select a valid choice"),
    ],
)
def test_bad_conditions_show_the_saved_filter_messages_and_keep_the_input(client_as, manager, condition, message):
    response = client_as(manager).post(
        SEARCH, search_data(match="any", conditions=[("account_name", "contains", "kept"), condition])
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert 'value="kept"' in html and response.context["form"]["match"].value() == "any"


def test_a_search_needs_a_condition(client_as, manager):
    response = client_as(manager).post(SEARCH, search_data())

    assert response.status_code == 422
    assert "Choose a field for at least one condition." in response.content.decode()


def test_modules_the_user_may_not_view_are_refused(client_as, manager):
    ModuleRight.objects.update_or_create(
        profile=Profile.objects.get(preset=Profile.Preset.MANAGER), module="accounts", defaults={"can_view": False}
    )
    client = client_as(manager)

    page = client.get(SEARCH)
    assert page.status_code == 200
    offered = [name for name, _ in page.context["form"].fields["module"].choices]
    assert "accounts" not in offered and "contacts" in offered
    assert client.get(SEARCH, {"module": "accounts"}).status_code == 403
    assert client.post(SEARCH, search_data(conditions=[("account_name", "contains", "a")])).status_code == 403
    assert client.get(SEARCH, {"module": "nonsense"}).status_code == 404
    assert client.get(LIST, {"c": "account_name.contains.a"}).status_code == 403


@pytest.mark.parametrize(
    "conditions",
    [
        ["garbage"],
        ["..."],
        ["employees.greater_than.many"],
        ["account_name.no_such_operator.x"],
        ["employees.contains.5"],
        ["created_at.equals.2026-02-30"],
        ["custom.equals.x", "pk.equals.1", "assigned_user.equals.1"],
    ],
)
def test_conditions_that_do_not_parse_are_ignored(client_as, manager, conditions):
    AccountFactory(assigned_user=manager, account_name="Acme")

    page = client_as(manager).get(LIST, {"c": conditions, "match": "any"})

    assert page.status_code == 200
    assert {row.record.account_name for row in page.context["table"].paginated_rows} == {"Acme"}
    assert not page.context["advanced_search"] and page.context["advanced_search"].ignored == len(conditions)


def test_only_ten_conditions_apply(client_as, manager):
    AccountFactory(assigned_user=manager, account_name="Acme")

    page = client_as(manager).get(LIST, {"c": ["account_name.contains.a"] * 10 + ["account_name.equals.nothing"]})

    assert len(page.context["advanced_search"].conditions) == 10 and page.context["advanced_search"].ignored == 1
    assert {row.record.account_name for row in page.context["table"].paginated_rows} == {"Acme"}


def test_save_as_filter_opens_the_filter_form_prefilled(client_as, manager):
    client = client_as(manager)
    AccountFactory(assigned_user=manager, account_name="Acme", employees=500)
    AccountFactory(assigned_user=manager, account_name="Beta", employees=5)
    url = search(client, match="any", conditions=[("account_name", "equals", "acme"), ("employees", "less_than", "10")])
    add = reverse("records:saved_filter_add", args=["accounts"])
    link = f"{add}?{urlsplit(url).query}"
    assert link.replace("&", "&amp;") in client.get(url).content.decode()

    form = client.get(link)

    assert form.context["form"]["match"].value() == "any"
    rows = form.context["conditions"]
    assert [(row["field"].value(), row["operator"].value(), row["value"].value()) for row in rows][:3] == [
        ("account_name", "equals", "acme"),
        ("employees", "less_than", "10"),
        (None, None, None),
    ]
    data = {
        "name": "Acme or small",
        "match": "any",
        "conditions-TOTAL_FORMS": "3",
        "conditions-INITIAL_FORMS": "2",
        "conditions-MIN_NUM_FORMS": "0",
        "conditions-MAX_NUM_FORMS": "10",
    }
    for index, row in enumerate(rows):
        data |= {f"conditions-{index}-{name}": row[name].value() or "" for name in ("field", "operator", "value")}
    saved_response = client.post(link, data)
    saved = SavedFilter.objects.get()
    assert saved_response["Location"] == f"{LIST}?view={saved.pk}"
    assert saved.match == "any" and len(saved.conditions) == 2
    assert listed(client, LIST, view=saved.pk) == listed(client, url) == {"Acme", "Beta"}


def test_edit_search_opens_the_page_prefilled(client_as, manager):
    page = client_as(manager).get(SEARCH, {"module": "accounts", "match": "any", "c": "employees.greater_than.10"})

    assert page.context["form"]["module"].value() == "accounts" and page.context["form"]["match"].value() == "any"
    first = page.context["conditions"][0]
    assert (first["field"].value(), first["operator"].value(), first["value"].value()) == (
        "employees",
        "greater_than",
        "10",
    )


def test_choosing_another_module_swaps_the_condition_rows(client_as, manager):
    client = client_as(manager)
    data = search_data(
        "contacts",
        action="refresh",
        match="any",
        conditions=[("account_name", "contains", "acme"), ("created_at", "greater_than", "2026-01-01")],
    )

    swapped = client.post(SEARCH, data, headers={"HX-Request": "true"})
    whole = client.post(SEARCH, data)

    assert swapped.status_code == whole.status_code == 200
    assert swapped.templates[0].name == "generic/htmx/advanced_search_conditions.html"
    assert "<h1" not in swapped.content.decode() and "<h1" in whole.content.decode()
    fields = [name for name, _ in swapped.context["conditions"][0].fields["field"].choices]
    assert "last_name" in fields and "account_name" not in fields
    # The condition on a field Contacts has too is kept; the one on an Accounts field is dropped.
    first = swapped.context["conditions"][0]
    assert (first["field"].value(), first["value"].value()) == ("created_at", "2026-01-01")
    assert whole.context["form"]["match"].value() == "any"


def test_add_condition_adds_a_row_up_to_ten(client_as, manager):
    client = client_as(manager)
    conditions = [("account_name", "contains", "acme")]

    more = client.post(SEARCH, search_data(action="add", conditions=conditions), headers={"HX-Request": "true"})
    full = client.post(SEARCH, search_data(action="add", conditions=conditions, rows=10))

    assert more.context["conditions"].total_form_count() == 4
    assert more.context["conditions"][0]["value"].value() == "acme"
    assert full.context["conditions"].total_form_count() == 10
    assert "Add condition" in more.content.decode() and "Add condition" not in full.content.decode()


def test_search_of_contacts_by_a_custom_date(client_as, manager):
    CustomField.objects.create(module="contacts", name="cf_met", label="Met On", field_type=CustomField.Type.DATE)
    client = client_as(manager)
    ContactFactory(assigned_user=manager, last_name="Early", custom={"cf_met": "2020-05-01"})
    ContactFactory(assigned_user=manager, last_name="Late", custom={"cf_met": "2024-05-01"})
    ContactFactory(assigned_user=manager, last_name="Never", custom={})

    url = search(client, module="contacts", conditions=[("cf_met", "greater_than", "2021-01-01")])

    page = client.get(url)
    assert url.startswith(reverse("records:list", args=["contacts"]))
    assert {row.record.last_name for row in page.context["table"].paginated_rows} == {"Late"}


def test_the_search_pages_link_to_advanced_search(client_as, manager):
    client = client_as(manager)

    assert f'href="{SEARCH}"' in client.get(reverse("records:search"), {"q": "acme"}).content.decode()
    assert f'href="{SEARCH}?module=accounts"' in client.get(LIST).content.decode()
