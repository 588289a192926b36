"""The cells of a list page's table (``secondcrm.records.tables``): a selection checkbox for the mass actions, the
title linked to the record, email and web addresses as links, dates in the locale's short format and times in the
user's time zone, choices by their label, a dash for an empty value; values are escaped. A table's values (as an
export would read them) carry no HTML."""

import datetime

import pytest

from accounts.models import Account
from leads.models import Lead
from secondcrm.documents.models import Document
from secondcrm.records.registry import registry
from secondcrm.records.tables import table_for
from tests.factories import AccountFactory, DocumentFactory, LeadFactory, PotentialFactory

pytestmark = pytest.mark.django_db


def test_it_renders_each_kind_of_cell(client_as, staff):
    lead = LeadFactory(assigned_user=staff, last_name="Tom & Jerry", company="<b>Bold</b> Ltd", phone="")

    page = client_as(staff).get("/leads/")

    assert (
        f'<td ><input type="checkbox" name="selection" value="{lead.pk}" aria-label="Select row" form="mass-action" />'
        "</td>" in page.text
    )
    assert f'<td ><a href="/leads/{lead.pk}/">Tom &amp; Jerry</a></td>' in page.text
    assert "<td >&lt;b&gt;Bold&lt;/b&gt; Ltd</td>" in page.text
    assert f'<td ><a href="mailto:{lead.email}">{lead.email}</a></td>' in page.text
    assert "<td >—</td>" in page.text  # no phone
    assert "<td >Hot</td>" in page.text and "<td >Staff Persona</td>" in page.text  # Lead Status, Assigned To


def test_a_web_address_links_to_itself(client_as, staff):
    AccountFactory(assigned_user=staff, website="https://acme.example/?a=1&b=2")

    page = client_as(staff).get("/accounts/")

    assert '<td ><a href="https://acme.example/?a=1&amp;b=2">https://acme.example/?a=1&amp;b=2</a></td>' in page.text


def test_a_date_shows_in_the_short_format_and_a_time_in_the_users_time_zone(client_as, staff):
    PotentialFactory(assigned_user=staff, expected_close_date=datetime.date(2030, 1, 31))
    document = DocumentFactory(assigned_user=staff)
    Document.objects.filter(pk=document.pk).update(modified_at=datetime.datetime(2030, 2, 1, 3, 0, tzinfo=datetime.UTC))
    staff.time_zone = "America/New_York"
    staff.save()
    client = client_as(staff)

    assert "<td >01/31/2030</td>" in client.get("/potentials/").text
    assert "<td >01/31/2030 10 p.m.</td>" in client.get("/documents/").text


def test_the_rows_keep_their_odd_and_even_classes(client_as, staff):
    for _ in range(3):
        LeadFactory(assigned_user=staff)

    page = client_as(staff).get("/leads/")

    assert page.text.count('<tr class="even">') == 2 and page.text.count('<tr class="odd">') == 1
    assert [row.record for row in page.context["table"].paginated_rows] == list(Lead.objects.order_by("last_name"))


def test_a_tables_values_carry_no_html(staff):
    AccountFactory(assigned_user=staff, account_name="Acme", website="https://acme.example")
    table = table_for(registry.get("accounts"))(Account.objects.all())

    header, row = table.as_values()

    assert row[header.index("Account Name")] == "Acme"
    assert row[header.index("Website")] == "https://acme.example"
