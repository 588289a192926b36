"""Export of a module's records to CSV and Excel: the Export page, its rights, which rows and columns it writes,
and cells neutralised against formula injection. Everything goes over HTTP and the files are parsed back.

Personas: the manager's Manager profile has the export right; the Staff profile has not, unless a test grants
it; Accounts is Private, so staff see only their own accounts."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secondcrm.access.models import HiddenField, ModuleRight, Profile
from secondcrm.records.models import CustomField, SavedFilter
from secondcrm.records.registry import registry
from tests.factories import FACTORIES, AccountFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("records:export", args=["accounts"])
LIST = reverse("records:list", args=["accounts"])


def export(client, *, url=EXPORT, scope="all", columns=("account_name", "phone"), format="csv", selection=()):
    data = {"export": "1", "scope": scope, "columns": list(columns), "format": format, "selection": list(selection)}
    return client.post(url, data)


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def grant_staff_export() -> None:
    ModuleRight.objects.create(
        profile=Profile.objects.get(preset=Profile.Preset.STAFF),
        module="accounts",
        can_view=True,
        can_create=True,
        can_edit=True,
        can_export=True,
    )


def test_it_exports_csv_with_layout_labels_and_displayed_values(client_as, manager):
    AccountFactory(assigned_user=manager, account_name="Zeta Ltd", phone="+65 1", annual_revenue="1234567.50")
    AccountFactory(assigned_user=manager, account_name="Alpha Pte", phone="+65 2", annual_revenue=None)

    response = export(client_as(manager), columns=("account_name", "annual_revenue", "assigned_to"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="accounts-')
    assert response["Content-Disposition"].endswith('.csv"')
    rows = csv_rows(response)
    assert rows[0] == ["Account Name", "Annual Revenue", "Assigned To"]
    assert rows[1][0] == "Alpha Pte" and rows[1][1] == ""
    assert rows[2][0] == "Zeta Ltd" and rows[2][1] == "1,234,567.50"
    assert rows[2][2] == str(manager)


def test_it_exports_xlsx(client_as, manager):
    AccountFactory(assigned_user=manager, account_name="Alpha Pte", phone="+65 2")

    response = export(client_as(manager), format="xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert ".xlsx" in response["Content-Disposition"]
    assert xlsx_rows(response) == [["Account Name", "Phone"], ["Alpha Pte", "+65 2"]]


def test_a_renamed_field_is_headed_by_its_new_label(client_as, manager):
    from secondcrm.records.models import FieldPlacement

    FieldPlacement.objects.create(
        module="accounts", field="phone", block="Account Information", position=7, label="Switchboard"
    )
    AccountFactory(assigned_user=manager)

    assert csv_rows(export(client_as(manager)))[0] == ["Account Name", "Switchboard"]


def test_formulas_are_neutralised_in_csv_and_written_as_text_in_excel(client_as, manager):
    for name in ("=SUM(A1)", "+1", "-1", "@cmd", "\tTab", "Plain"):
        AccountFactory(assigned_user=manager, account_name=name)
    client = client_as(manager)

    cells = sorted(row[0] for row in csv_rows(export(client, columns=("account_name",)))[1:])
    assert cells == sorted(["'=SUM(A1)", "'+1", "'-1", "'@cmd", "'\tTab", "Plain"])

    response = export(client, columns=("account_name",), format="xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    formulas = [cell for (cell,) in sheet.iter_rows(min_row=2) if cell.value == "=SUM(A1)"]
    assert len(formulas) == 1 and formulas[0].data_type == "s", "stored as text, never as a formula"
    assert sorted(cell.value for (cell,) in sheet.iter_rows(min_row=2)) == sorted(
        ["=SUM(A1)", "+1", "-1", "@cmd", "\tTab", "Plain"]
    )


def test_custom_field_columns_are_offered_and_exported(client_as, manager):
    CustomField.objects.create(module="accounts", name="cf_region", label="Region", field_type=CustomField.Type.TEXT)
    CustomField.objects.create(
        module="accounts", name="cf_renewal", label="Renewal Date", field_type=CustomField.Type.DATE
    )
    AccountFactory(assigned_user=manager, account_name="Alpha", custom={"cf_region": "North", "cf_renewal": None})
    client = client_as(manager)

    page = client.get(EXPORT)
    assert ("cf_region", "Region") in page.context["form"].fields["columns"].choices

    rows = csv_rows(export(client, columns=("account_name", "cf_region", "cf_renewal")))
    assert rows == [["Account Name", "Region", "Renewal Date"], ["Alpha", "North", ""]]


def test_staff_under_private_export_only_their_own_accounts(client_as, manager, staff):
    grant_staff_export()
    AccountFactory(assigned_user=staff, account_name="Mine")
    AccountFactory(assigned_user=manager, account_name="Managers")

    rows = csv_rows(export(client_as(staff), columns=("account_name",)))

    assert rows == [["Account Name"], ["Mine"]]


def test_staff_without_the_export_right_get_403_and_no_export_action(client_as, staff):
    AccountFactory(assigned_user=staff, account_name="Mine")
    client = client_as(staff)

    assert client.get(EXPORT).status_code == 403
    assert export(client).status_code == 403
    assert EXPORT not in client.get(LIST).text


def test_the_list_offers_export_to_those_who_may(client_as, manager):
    assert f'formaction="{EXPORT}"' in client_as(manager).get(LIST).text


def test_management_may_export_but_not_without_the_view_right(client_as, management, manager):
    AccountFactory(assigned_user=manager, account_name="Visible")
    assert csv_rows(export(client_as(management), columns=("account_name",)))[1:] == [["Visible"]]

    ModuleRight.objects.create(
        profile=Profile.objects.get(preset=Profile.Preset.MANAGEMENT), module="accounts", can_export=True
    )
    assert client_as(management).get(EXPORT).status_code == 403


def test_invisible_fields_are_not_offered_and_refused_when_posted(client_as, manager):
    HiddenField.objects.create(module="accounts", field="ticker_symbol")
    AccountFactory(assigned_user=manager, ticker_symbol="SECRET")
    client = client_as(manager)

    page = client.get(EXPORT)
    assert "ticker_symbol" not in dict(page.context["form"].fields["columns"].choices)
    assert 'value="ticker_symbol"' not in page.text

    response = export(client, columns=("account_name", "ticker_symbol"))
    assert response.status_code == 422
    assert not response.streaming
    assert "SECRET" not in response.content.decode()
    assert "ticker_symbol is not one of the available choices" in response.content.decode()


def test_only_the_selected_rows_are_exported(client_as, manager):
    chosen = AccountFactory(assigned_user=manager, account_name="Chosen")
    AccountFactory(assigned_user=manager, account_name="Left Out")
    client = client_as(manager)

    # The list's Actions → Export posts the selection: the page comes back with it chosen.
    page = client.post(EXPORT, {"selection": [str(chosen.pk)]})
    assert page.status_code == 200
    assert page.context["form"].initial["scope"] == "selected"
    assert f'value="{chosen.pk}"' in page.text

    rows = csv_rows(export(client, scope="selected", columns=("account_name",), selection=[chosen.pk]))
    assert rows == [["Account Name"], ["Chosen"]]


def test_selected_rows_outside_the_users_reach_are_not_exported(client_as, manager, staff_east):
    theirs = AccountFactory(assigned_user=staff_east, account_name="East Only")
    mine = AccountFactory(assigned_user=manager, account_name="Mine")
    response = export(client_as(manager), scope="selected", columns=("account_name",), selection=[theirs.pk, mine.pk])

    rows = csv_rows(response)

    assert rows == [["Account Name"], ["Mine"]]


def test_exporting_the_selection_without_a_selection_is_a_form_error(client_as, manager):
    response = export(client_as(manager), scope="selected")

    assert response.status_code == 422
    assert "No records are selected" in response.content.decode()


def test_the_current_filter_and_search_are_respected(client_as, manager):
    AccountFactory(assigned_user=manager, account_name="Acme North", account_type="Customer")
    AccountFactory(assigned_user=manager, account_name="Acme South", account_type="Partner")
    AccountFactory(assigned_user=manager, account_name="Other", account_type="Customer")
    client = client_as(manager)
    url = f"{EXPORT}?search_value=Acme&search_in=account_name&page=2"

    page = client.get(url)
    assert page.context["form"].initial["scope"] == "filter"
    assert 'action="' + EXPORT + "?search_value=Acme" in page.text

    rows = csv_rows(export(client, url=url, scope="filter", columns=("account_name",)))
    assert rows == [["Account Name"], ["Acme North"], ["Acme South"]]

    rows = csv_rows(export(client, url=url, scope="all", columns=("account_name",)))
    assert [row[0] for row in rows[1:]] == ["Acme North", "Acme South", "Other"]


def test_the_page_defaults_to_the_lists_columns(client_as, manager):
    page = client_as(manager).get(EXPORT)

    assert page.status_code == 200
    assert page.context["form"].initial["columns"] == [
        "account_name",
        "bill_city",
        "website",
        "phone",
        "account_type",
        "assigned_to",
    ]
    assert '<label class="form-check-label" for="id_format_1">Excel (.xlsx)</label>' in page.text


def test_no_columns_is_a_form_error(client_as, manager):
    response = export(client_as(manager), columns=())

    assert response.status_code == 422
    assert "Choose at least one column." in response.content.decode()


@pytest.mark.parametrize("module", [m for m in registry if m.model in FACTORIES], ids=lambda m: m.name)
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_every_module_exports_every_column(client_as, admin, module, format):
    FACTORIES[module.model](assigned_user=admin)
    client = client_as(admin)
    url = reverse("records:export", args=[module.name])
    columns = [name for name, _ in client.get(url).context["form"].fields["columns"].choices]

    response = export(client, url=url, columns=columns, format=format)

    assert response.status_code == 200
    rows = csv_rows(response) if format == "csv" else xlsx_rows(response)
    assert len(rows) == 2 and len(rows[0]) == len(columns)


def test_the_number_of_queries_does_not_grow_with_the_rows(client_as, manager):
    parent = AccountFactory(assigned_user=manager, account_name="Parent")
    AccountFactory.create_batch(2, assigned_user=manager, parent=parent)
    columns = ("account_name", "parent", "assigned_to", "account_type")

    def queries_of_an_export() -> tuple[int, list]:
        with CaptureQueriesContext(connection) as queries:
            rows = csv_rows(export(client_as(manager), columns=columns))
        return len(queries), rows

    few, _ = queries_of_an_export()
    AccountFactory.create_batch(30, assigned_user=manager, parent=parent)
    many, rows = queries_of_an_export()

    assert many == few
    assert len(rows) == 34 and rows[1][1] == "Parent"


def test_the_saved_filter_chosen_in_the_list_is_the_current_filter(client_as, manager, staff):
    AccountFactory(assigned_user=manager, account_name="Acme North", account_type="Customer")
    AccountFactory(assigned_user=manager, account_name="Acme South", account_type="Partner")
    partners = SavedFilter.objects.create(
        owner=manager,
        module="accounts",
        name="Partners",
        match="all",
        conditions=[{"field": "account_type", "operator": "equals", "value": "Partner"}],
    )
    client = client_as(manager)
    rows = csv_rows(export(client, url=f"{EXPORT}?view={partners.pk}", scope="filter", columns=("account_name",)))
    assert rows == [["Account Name"], ["Acme South"]]

    # Someone else's private filter is not applied: the export falls back to every exportable record.
    other = SavedFilter.objects.create(owner=staff, module="accounts", name="Mine", conditions=partners.conditions)
    rows = csv_rows(export(client, url=f"{EXPORT}?view={other.pk}", scope="filter", columns=("account_name",)))
    assert [row[0] for row in rows[1:]] == ["Acme North", "Acme South"]
