"""Export to PDF: the third format of the Export page. Its pages (title, headers, cells, orientation, page numbers,
the company's logo), its rights, the row limit, and PDF export templates (save, apply, private or shared). The
PDFs are read back with pypdf.

Personas: the manager's Manager profile has the export right; the Staff profile has not, unless a test grants
it; Accounts is Private, so staff see only their own accounts."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from secondcrm.access.models import HiddenField
from secondcrm.company.models import Company
from secondcrm.records.export import ExportColumn
from secondcrm.records.models import PdfExportTemplate
from secondcrm.records.pdf_export import column_widths
from secondcrm.records.registry import registry
from tests.factories import FACTORIES, AccountFactory
from tests.tools.test_export import grant_staff_export

pytestmark = pytest.mark.django_db

EXPORT = reverse("records:export", args=["accounts"])


def pdf_export(
    client,
    *,
    url=EXPORT,
    scope="all",
    columns=("account_name", "phone"),
    title="",
    orientation="portrait",
    show_logo=True,
    save_as="",
    shared=False,
    selection=(),
):
    data = {
        "export": "1",
        "scope": scope,
        "columns": list(columns),
        "format": "pdf",
        "selection": list(selection),
        "pdf-title": title,
        "pdf-orientation": orientation,
        "pdf-save_as": save_as,
    }
    data.update({name: "on" for name, on in (("pdf-show_logo", show_logo), ("pdf-shared", shared)) if on})
    return client.post(url, data)


def pdf_pages(response) -> list:
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return PdfReader(io.BytesIO(response.content)).pages


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in pdf_pages(response))


def png(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, "PNG")
    return buffer.getvalue()


def company_with_logo(**fields) -> Company:
    company = Company(name="Second Software Pte Ltd", city="Singapore", is_default=True, **fields)
    company.logo.save("logo.png", ContentFile(png()), save=False)
    company.save()
    return company


def test_it_prints_the_title_headers_cells_company_and_date(client_as, manager):
    Company.objects.create(name="Second Software Pte Ltd", city="Singapore", postal_code="048619", is_default=True)
    AccountFactory(assigned_user=manager, account_name="Zeta Ltd", phone="+65 6111 0001")
    AccountFactory(assigned_user=manager, account_name="Alpha Pte", phone="+65 6111 0002")

    response = pdf_export(client_as(manager), title="Key Accounts", columns=("account_name", "phone"))

    assert response["Content-Disposition"].startswith('attachment; filename="accounts-')
    assert response["Content-Disposition"].endswith('.pdf"')
    text = pdf_text(response)
    for expected in ("Key Accounts", "Account Name", "Phone", "Zeta Ltd", "+65 6111 0002", "2 accounts"):
        assert expected in text
    assert "Second Software Pte Ltd" in text and "Singapore 048619" in text
    assert f"Exported {timezone.localtime():%-d %b %Y}" in text
    assert "Page 1 of 1" in text
    assert text.index("Alpha Pte") < text.index("Zeta Ltd"), "rows in the module's title order"


def test_an_empty_title_prints_the_modules_name(client_as, manager):
    AccountFactory(assigned_user=manager)

    assert pdf_text(pdf_export(client_as(manager), title="  ")).splitlines()[0] == "Accounts"


def test_landscape_pages_are_wider_than_high(client_as, manager):
    AccountFactory(assigned_user=manager)
    client = client_as(manager)

    portrait = pdf_pages(pdf_export(client, orientation="portrait"))[0].mediabox
    landscape = pdf_pages(pdf_export(client, orientation="landscape"))[0].mediabox

    assert portrait.height > portrait.width
    assert landscape.width > landscape.height
    assert (round(landscape.width), round(landscape.height)) == (round(portrait.height), round(portrait.width))


def test_the_header_row_repeats_on_every_numbered_page(client_as, manager):
    AccountFactory.create_batch(120, assigned_user=manager)

    pages = pdf_pages(pdf_export(client_as(manager), columns=("account_name", "phone", "website")))

    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert re.search(r"Account Name\s*Phone\s*Website", text), f"header row on page {number}"
        assert f"Page {number} of {len(pages)}" in text


def test_the_default_companys_logo_is_embedded_unless_turned_off(client_as, manager):
    company_with_logo()
    Company.objects.create(name="Other Company")
    AccountFactory(assigned_user=manager)
    client = client_as(manager)

    images = pdf_pages(pdf_export(client, show_logo=True))[0].images
    assert len(images) == 1
    assert images[0].image.size == (40, 20)

    assert len(pdf_pages(pdf_export(client, show_logo=False))[0].images) == 0


def test_without_company_details_the_pdf_has_no_letterhead(client_as, manager):
    AccountFactory(assigned_user=manager, account_name="Alpha Pte")

    pages = pdf_pages(pdf_export(client_as(manager), title="Plain"))

    assert len(pages[0].images) == 0
    assert "Plain" in pages[0].extract_text() and "Alpha Pte" in pages[0].extract_text()


def test_formula_like_and_markup_text_is_printed_as_it_is(client_as, manager):
    names = ("=SUM(A1)", "+1 cmd", "@cmd", "<img src='http://127.0.0.1:9/x.png'>", "<b>Bold</b> & Co")
    for name in names:
        AccountFactory(assigned_user=manager, account_name=name)

    response = pdf_export(client_as(manager), columns=("account_name",))

    text = pdf_text(response)
    for name in names:
        assert name in text, "printed as plain text: not neutralised, not read as markup"
    assert "'=SUM" not in text
    assert len(pdf_pages(response)[0].images) == 0, "markup in a record never becomes an image to fetch"


def test_staff_without_the_export_right_get_403(client_as, staff):
    AccountFactory(assigned_user=staff)
    client = client_as(staff)

    assert client.get(EXPORT).status_code == 403
    assert pdf_export(client).status_code == 403


def test_staff_with_the_export_right_print_only_their_own_records(client_as, manager, staff):
    grant_staff_export()
    AccountFactory(assigned_user=staff, account_name="Mine")
    AccountFactory(assigned_user=manager, account_name="Managers")

    text = pdf_text(pdf_export(client_as(staff), columns=("account_name",)))

    assert "Mine" in text and "Managers" not in text


def test_invisible_fields_never_reach_the_pdf(client_as, manager, admin):
    AccountFactory(assigned_user=manager, account_name="Alpha", ticker_symbol="SECRET")
    HiddenField.objects.create(module="accounts", field="ticker_symbol")
    client = client_as(manager)

    response = pdf_export(client, columns=("account_name", "ticker_symbol"))
    assert response.status_code == 422
    assert "SECRET" not in response.content.decode()

    # A template that names it (saved by an admin, shared) brings only the columns this user may see.
    template = PdfExportTemplate.objects.create(
        owner=admin, module="accounts", name="Tickers", shared=True, columns=["account_name", "ticker_symbol"]
    )
    page = client.post(EXPORT, {"apply_template": "1", "pdf-template": template.pk, "format": "pdf"})
    assert page.status_code == 200
    assert page.context["form"].initial["columns"] == ["account_name"]
    assert "SECRET" not in pdf_text(pdf_export(client, columns=page.context["form"].initial["columns"]))


def test_past_the_row_limit_the_page_asks_to_narrow_the_records(client_as, manager, settings):
    settings.PDF_EXPORT_MAX_ROWS = 2
    chosen = AccountFactory.create_batch(3, assigned_user=manager)
    client = client_as(manager)

    response = pdf_export(client)

    assert response.status_code == 422
    page = response.content.decode()
    assert "This export holds 3 records, and a PDF holds at most 2." in page
    assert "Narrow the filter or the search" in page and "export to CSV or Excel" in page
    assert "A PDF holds at most 2 records." in page
    selected = pdf_export(client, scope="selected", selection=[chosen[0].pk, chosen[1].pk])
    assert len(pdf_pages(selected)) == 1


def test_the_choices_are_saved_as_a_template_and_a_second_save_replaces_it(client_as, manager):
    AccountFactory(assigned_user=manager)
    client = client_as(manager)

    pdf_export(client, title="Board Pack", orientation="landscape", show_logo=False, save_as=" Board ", shared=True)
    pdf_export(client, title="Board Pack 2", columns=("phone", "account_name"), save_as="Board")

    template = PdfExportTemplate.objects.get()
    assert (template.owner, template.module, template.name) == (manager, "accounts", "Board")
    assert template.title == "Board Pack 2"
    assert template.columns == ["phone", "account_name"]
    assert template.orientation == "portrait" and template.show_logo is True and template.shared is False
    messages = [str(message) for message in client.get(EXPORT).context["messages"]]
    assert messages == ["Template “Board” saved.", "Template “Board” saved."]


def test_applying_a_template_fills_the_form_and_keeps_the_records(client_as, manager):
    chosen = AccountFactory(assigned_user=manager)
    template = PdfExportTemplate.objects.create(
        owner=manager,
        module="accounts",
        name="Phones",
        title="Phone List",
        columns=["phone", "account_name"],
        orientation="landscape",
        show_logo=False,
    )
    client = client_as(manager)

    page = client.post(
        EXPORT,
        {"apply_template": "1", "pdf-template": template.pk, "scope": "selected", "selection": [chosen.pk]},
    )

    assert page.status_code == 200
    form, pdf_form = page.context["form"], page.context["pdf_form"]
    assert form.initial["columns"] == ["phone", "account_name"]
    assert form.initial["format"] == "pdf" and form.initial["scope"] == "selected"
    assert form.initial["selection"] == [chosen.pk]
    assert pdf_form.initial == {
        "title": "Phone List",
        "template": template.pk,
        "orientation": "landscape",
        "show_logo": False,
    }
    assert 'value="Phone List"' in page.text


def test_templates_are_private_unless_shared(client_as, manager, staff):
    grant_staff_export()
    private = PdfExportTemplate.objects.create(owner=manager, module="accounts", name="Mine", title="Private")
    shared = PdfExportTemplate.objects.create(owner=manager, module="accounts", name="Team", shared=True)
    PdfExportTemplate.objects.create(owner=manager, module="contacts", name="Other Module", shared=True)
    client = client_as(staff)

    choices = [label for _, label in client.get(EXPORT).context["pdf_form"].fields["template"].choices]
    assert choices == ["— no template —", "Team (shared by Manager Persona)"]

    assert client.post(EXPORT, {"apply_template": "1", "pdf-template": private.pk}).status_code == 404
    assert client.post(EXPORT, {"apply_template": "1", "pdf-template": shared.pk}).status_code == 200
    # Only the owner deletes a template; another user's private one is as good as missing.
    assert client.post(EXPORT, {"delete_template": "1", "pdf-template": shared.pk}).status_code == 403
    assert client.post(EXPORT, {"delete_template": "1", "pdf-template": private.pk}).status_code == 404
    assert PdfExportTemplate.objects.filter(pk__in=[private.pk, shared.pk]).count() == 2

    page = client_as(manager).post(EXPORT, {"delete_template": "1", "pdf-template": shared.pk, "format": "pdf"})
    assert page.status_code == 200
    assert "Template “Team” deleted." in page.text
    assert not PdfExportTemplate.objects.filter(pk=shared.pk).exists()


def test_a_template_that_is_no_longer_there_is_a_form_error_not_a_crash(client_as, manager):
    AccountFactory(assigned_user=manager)
    client = client_as(manager)

    response = client.post(
        EXPORT, {"export": "1", "scope": "all", "columns": ["account_name"], "format": "pdf", "pdf-template": "999"}
    )

    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert client.post(EXPORT, {"apply_template": "1", "pdf-template": "nonsense"}).status_code == 404


def test_the_pdf_options_are_ignored_for_csv(client_as, manager):
    AccountFactory(assigned_user=manager)

    response = client_as(manager).post(
        EXPORT,
        {"export": "1", "scope": "all", "columns": ["account_name"], "format": "csv", "pdf-orientation": "sideways"},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_a_wrong_orientation_is_a_form_error(client_as, manager):
    response = pdf_export(client_as(manager), orientation="sideways")

    assert response.status_code == 422
    assert "Select a valid choice. sideways is not one of the available choices." in response.content.decode()


def test_columns_share_the_page_by_the_length_of_their_text_within_bounds():
    columns = [ExportColumn(name, label, str) for name, label in (("code", "No"), ("name", "Name"), ("notes", "Notes"))]
    rows = [["A1", "Alpha Trading", "x" * 500], ["A2", "Beta", ""]]

    widths = [float(width) for width in column_widths(columns, rows)]

    # "No" counts as 4 characters, "Alpha Trading" as 13, the 500-character note as 40.
    assert widths == pytest.approx([100 * 4 / 57, 100 * 13 / 57, 100 * 40 / 57], abs=0.01)


@pytest.mark.parametrize("module", [m for m in registry if m.model in FACTORIES], ids=lambda m: m.name)
def test_every_module_prints_every_column(client_as, admin, module):
    FACTORIES[module.model](assigned_user=admin)
    client = client_as(admin)
    url = reverse("records:export", args=[module.name])
    choices = client.get(url).context["form"].fields["columns"].choices

    response = pdf_export(client, url=url, columns=[name for name, _ in choices], orientation="landscape")

    # So many columns share the page that words wrap inside the cells: compare without the line breaks.
    text = "".join(pdf_text(response).split())
    assert all("".join(label.split()) in text for _, label in choices)
