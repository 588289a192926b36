"""Global search and quick search over HTTP: matches grouped by module, only records and fields the user may see,
the module chooser, record numbers, the search box's dropdown and clear answers to queries that cannot run."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account, Contact
from secondcrm.access.models import FieldRight, Profile
from secondcrm.access.shares import ShareAccess, record_share
from secondcrm.records import search
from secondcrm.records.models import CustomField
from tests.factories import AccountFactory, ContactFactory, LeadFactory

pytestmark = pytest.mark.django_db

URL = reverse("records:search")


def section(page: str, module_name: str) -> str:
    """The HTML of one module's result card."""
    start = page.index(f'id="search-{module_name}"')
    end = page.find("</section>", start)
    return page[start:end]


def test_matches_are_grouped_per_module_with_a_count(client_as, staff):
    AccountFactory(assigned_user=staff, account_name="Zephyr Holdings", bill_city="Lisbon")
    AccountFactory(assigned_user=staff, account_name="Zephyr Trading")
    ContactFactory(assigned_user=staff, last_name="Zephyrson", account=None)
    AccountFactory(assigned_user=staff, account_name="Unrelated Ltd")

    page = client_as(staff).get(URL, {"q": "zephyr"}).text

    accounts = section(page, "accounts")
    assert "Zephyr Holdings" in accounts and "Zephyr Trading" in accounts
    assert "Lisbon" in accounts  # a list column next to the title
    assert 'aria-label="2 matches"' in accounts
    contacts = section(page, "contacts")
    assert "Zephyrson" in contacts and 'aria-label="1 match"' in contacts
    assert "Unrelated Ltd" not in page
    assert 'id="search-leads"' not in page  # a module without a match is left out


def test_only_the_first_ten_per_module_are_listed(client_as, staff):
    for n in range(12):
        AccountFactory(assigned_user=staff, account_name=f"Quasar {n:02d}")

    accounts = section(client_as(staff).get(URL, {"q": "quasar"}).text, "accounts")

    assert 'aria-label="12 matches"' in accounts
    assert accounts.count("<tr>") == 1 + 10  # header row and ten matches
    assert "showing the first 10" in accounts


def test_a_staff_user_never_finds_a_managers_private_account(client_as, staff, manager):
    AccountFactory(assigned_user=manager, account_name="Manager Secret Corp")
    AccountFactory(assigned_user=staff, account_name="Staff Secret Corp")

    as_staff = client_as(staff).get(URL, {"q": "secret corp"}).text
    assert "Staff Secret Corp" in as_staff
    assert "Manager Secret Corp" not in as_staff
    assert 'aria-label="1 match"' in section(as_staff, "accounts")
    # The manager's role is above the staff's: they see both.
    assert 'aria-label="2 matches"' in section(client_as(manager).get(URL, {"q": "secret corp"}).text, "accounts")
    quick = client_as(staff).get(URL, {"q": "secret corp", "quick": "1"}).text
    assert "Manager Secret Corp" not in quick


def test_records_shared_with_the_user_or_a_group_of_theirs_are_found(client_as, manager, staff):
    team = Group.objects.create(name="Key Accounts")
    staff.groups.add(team)
    shared = AccountFactory(assigned_user=manager, account_name="Comet Shared Ltd")
    AccountFactory(assigned_user=manager, account_name="Comet Private Ltd")
    contact = ContactFactory(assigned_user=manager, last_name="Cometson", account=None)
    LeadFactory(assigned_user=manager, company="Comet Private Leads")
    record_share(record=shared, user=staff, access=ShareAccess.READ, acting_user=manager)
    record_share(record=contact, group=team, access=ShareAccess.READ, acting_user=manager)
    client = client_as(staff)

    page = client.get(URL, {"q": "comet"}).text

    assert "Comet Shared Ltd" in section(page, "accounts") and 'aria-label="1 match"' in section(page, "accounts")
    assert "Cometson" in section(page, "contacts")
    assert "Comet Private" not in page and 'id="search-leads"' not in page
    quick = client.get(URL, {"q": "comet", "quick": "1"}).text
    assert "Comet Shared Ltd" in quick and "Cometson" in quick and "Comet Private" not in quick


def _guardian_queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, {"q": query}).status_code == 200
    return sum("guardian_" in q["sql"] for q in captured)


def test_shared_records_are_read_only_in_the_modules_something_is_shared_in(client_as, manager, staff):
    AccountFactory(assigned_user=staff, account_name="Nova Own Ltd")
    shared = AccountFactory(assigned_user=manager, account_name="Nova Shared Ltd")
    client = client_as(staff)
    # One query tells that nothing is shared with the user, in any module...
    assert _guardian_queries(client, "nova") == 1

    record_share(record=shared, user=staff, access=ShareAccess.READ, acting_user=manager)

    # ...or that accounts are: their ids are read, and those of no other module.
    assert _guardian_queries(client, "nova") == 2
    assert "Nova Shared Ltd" in section(client.get(URL, {"q": "nova"}).text, "accounts")


def test_an_invisible_field_is_not_searched(client_as, staff):
    AccountFactory(assigned_user=staff, account_name="Hidden Phone Ltd", phone="+65 6999 4242")
    CustomField.objects.create(module="accounts", name="cf_code", label="Code", field_type=CustomField.Type.TEXT)
    AccountFactory(assigned_user=staff, account_name="Coded Ltd", custom={"cf_code": "XK-7731"})
    client = client_as(staff)
    assert "Hidden Phone Ltd" in client.get(URL, {"q": "6999 4242"}).text
    assert "Coded Ltd" in client.get(URL, {"q": "xk-7731"}).text  # custom text fields are searched too

    staff_profile = Profile.objects.get(preset=Profile.Preset.STAFF)
    for field in ("phone", "cf_code"):
        FieldRight.objects.create(
            profile=staff_profile, module="accounts", field=field, access=FieldRight.Access.INVISIBLE
        )

    assert "Hidden Phone Ltd" not in client.get(URL, {"q": "6999 4242"}).text
    assert "Hidden Phone Ltd" not in client.get(URL, {"q": "6999 4242", "quick": "1"}).text
    assert "Coded Ltd" not in client.get(URL, {"q": "xk-7731"}).text
    found = client.get(URL, {"q": "hidden phone"}).text
    assert "Hidden Phone Ltd" in found
    assert "+65 6999 4242" not in found  # nor shown as a column


def test_the_module_chooser_limits_the_modules(client_as, staff):
    AccountFactory(assigned_user=staff, account_name="Orbital Accounts")
    LeadFactory(assigned_user=staff, company="Orbital Leads")
    client = client_as(staff)

    only_leads = client.get(URL, {"q": "orbital", "modules": ["leads"]}).text
    assert "Orbital Leads" in only_leads
    assert "Orbital Accounts" not in only_leads
    assert 'value="leads" id="search-module-leads" checked' in only_leads
    assert 'value="accounts" id="search-module-accounts">' in only_leads

    everywhere = client.get(URL, {"q": "orbital"}).text
    assert "Orbital Leads" in everywhere and "Orbital Accounts" in everywhere
    # A module the user may not view, or that does not exist, is never searched nor offered.
    assert "Orbital Accounts" not in client.get(URL, {"q": "orbital", "modules": ["leads", "nothing"]}).text


def test_the_record_number_matches_exactly_in_any_case(client_as, staff):
    account = AccountFactory(assigned_user=staff, account_name="Numbered Ltd")
    AccountFactory(assigned_user=staff, account_name="Other Numbered Ltd")
    client = client_as(staff)

    page = client.get(URL, {"q": account.number.lower()}).text
    assert "Numbered Ltd" in page
    assert "Other Numbered Ltd" not in page
    assert account.get_absolute_url() in page
    # Exact: a part of a number is not a match.
    assert "Numbered Ltd" not in client.get(URL, {"q": account.number[:-1] + "x"}).text


def test_quick_search_answers_the_first_five_with_their_module(client_as, staff):
    for n in range(4):
        AccountFactory(assigned_user=staff, account_name=f"Nebula Account {n}")
    for n in range(3):
        ContactFactory(assigned_user=staff, last_name=f"Nebula Contact {n}", account=None)

    response = client_as(staff).get(URL, {"q": "nebula", "quick": "1"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    fragment = response.text
    assert "<html" not in fragment
    assert fragment.count('role="option"') == 5
    assert "Account ·" in fragment and "Contact ·" in fragment  # each match names its module
    assert f"{URL}?q=nebula" in fragment


def test_quick_search_lists_the_newest_over_every_module_also_past_the_count_limit(client_as, staff, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    now = timezone.now()
    # More accounts match than are counted, not more contacts; their modified times alternate, an account's first.
    for n in range(5):
        account = AccountFactory(assigned_user=staff, account_name=f"Vega Account {n}")
        Account.objects.filter(pk=account.pk).update(modified_at=now - timedelta(minutes=2 * n))
    for n in range(3):
        contact = ContactFactory(assigned_user=staff, first_name="", last_name=f"Vega Contact {n}", account=None)
        Contact.objects.filter(pk=contact.pk).update(modified_at=now - timedelta(minutes=2 * n + 1))

    fragment = client_as(staff).get(URL, {"q": "vega", "quick": "1"}).text

    titles = [line.strip() for line in fragment.splitlines() if "Vega" in line]
    expected = ["Account 0", "Contact 0", "Account 1", "Contact 1", "Account 2"]
    assert titles == [f'<span class="d-block text-truncate">Vega {title}</span>' for title in expected]


def test_quick_search_is_empty_for_a_short_query(client_as, staff):
    AccountFactory(assigned_user=staff, account_name="Xy Corp")
    response = client_as(staff).get(URL, {"q": "x", "quick": "1"})
    assert response.status_code == 200
    assert response.text.strip() == ""


@pytest.mark.parametrize("query", ["", "   ", "a"])
def test_an_empty_or_too_short_query_gets_a_clear_message(client_as, staff, query):
    response = client_as(staff).get(URL, {"q": query})
    assert response.status_code == 200
    assert "Type at least 2 characters to search." in response.text


def test_a_too_long_query_gets_a_clear_message(client_as, staff):
    response = client_as(staff).get(URL, {"q": "a" * 201})
    assert response.status_code == 200
    assert "Search for at most 200 characters." in response.text


def test_the_query_is_escaped_in_the_page(client_as, staff):
    query = '<script>alert("x")</script>'
    client = client_as(staff)
    page = client.get(URL, {"q": query}).text
    assert query not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert query not in client.get(URL, {"q": query, "quick": "1"}).text


def test_the_search_box_is_in_the_top_menu_and_signed_out_users_are_sent_to_sign_in(client, client_as, staff):
    home = client_as(staff).get(reverse("home")).text
    assert 'for="global-search">Search</label>' in home
    assert 'hx-trigger="keyup changed delay:300ms' in home
    response = client.get(URL, {"q": "acme"})
    assert response.status_code == 302


def test_counting_stops_past_the_count_limit(client_as, staff, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    for n in range(5):
        AccountFactory(assigned_user=staff, account_name=f"Pulsar {n}")
    AccountFactory(assigned_user=staff, account_name="Pulsar Exactly")
    ContactFactory(assigned_user=staff, last_name="Pulsarsen", account=None)

    page = client_as(staff).get(URL, {"q": "pulsar"}).text

    assert 'aria-label="3+ matches">3+</span>' in section(page, "accounts")
    assert section(page, "accounts").count("<tr>") == 1 + 6  # every match is still listed, the newest first
    assert 'aria-label="1 match">1</span>' in section(page, "contacts")


@pytest.mark.parametrize(
    "value, query", [('Say "hello" first', '"hello"'), ("C:\\Shared\\Plans", "\\shared"), ("Zoë Münster", "münster")]
)
def test_custom_text_with_characters_json_escapes_is_found(client_as, staff, value, query):
    CustomField.objects.create(module="accounts", name="cf_note", label="Note", field_type=CustomField.Type.TEXT)
    AccountFactory(assigned_user=staff, account_name="Noted Ltd", custom={"cf_note": value})
    AccountFactory(assigned_user=staff, account_name="Unnoted Ltd", custom={"cf_note": "nothing here"})

    page = client_as(staff).get(URL, {"q": query}).text

    assert "Noted Ltd" in page and "Unnoted Ltd" not in page
