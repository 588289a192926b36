"""Export to PDF: the third format of the Export page. The same rows and columns as the CSV and Excel exports
(``export.export_rows``: only records the user may export, only columns they may see), laid out by a PDF
export template (title, portrait or landscape, the default company's logo) as an HTML page that WeasyPrint
prints: the table's header row repeats on every page, and every page is numbered "Page x of y".

A PDF is laid out whole in the request, which takes seconds per thousand rows, so it holds at most
``settings.PDF_EXPORT_MAX_ROWS`` rows; CSV and Excel stream any number. WeasyPrint fetches nothing from the
network or the disk: the logo comes embedded as a ``data:`` URL, and the fetcher refuses every other URL, so
text in a record (which the template escapes anyway) can never make the server request a page."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone

from secondcrm.company.logos import logo_data_uri
from secondcrm.company.models import Company

from .export import ExportColumn, export_rows
from .models import PdfExportTemplate
from .registry import Module

Orientation = PdfExportTemplate.Orientation
# Column widths follow the longest text of each column among the first rows, within these bounds (characters):
# a short code does not get a quarter of the page, a long description does not push the others into slivers.
WIDTH_SAMPLE_ROWS = 200
NARROWEST, WIDEST = 4, 40
INPUT = {"class": "form-control form-control-sm"}
CHECKBOX = forms.CheckboxInput(attrs={"class": "form-check-input"})


class TooManyRows(Exception):
    """More records than a PDF holds (``PDF_EXPORT_MAX_ROWS``); the message says what to do instead."""

    def __init__(self, count: int, limit: int):
        super().__init__(
            f"This export holds {count:,} records, and a PDF holds at most {limit:,}. Narrow the filter or the search "
            "(or select rows in the list), or export to CSV or Excel, which hold any number."
        )


@dataclass(frozen=True)
class PdfLayout:
    """How the pages look: the title printed at the top, the page orientation, and whether the company logo
    heads the first page."""

    title: str
    orientation: str
    show_logo: bool


def usable_templates(module: Module, user) -> QuerySet[PdfExportTemplate]:
    """The PDF export templates of ``module`` the user may choose: their own and the shared ones."""
    return PdfExportTemplate.objects.filter(module=module.name).filter(Q(owner=user) | Q(shared=True))


def own_template(module: Module, user, pk) -> PdfExportTemplate:
    """The template ``pk`` if ``user`` may change it: 404 when they may not even choose it, 403 when it is
    another user's shared template."""
    template = get_object_or_404(usable_templates(module, user), pk=pk)
    if template.owner_id != user.pk:
        raise PermissionDenied("Only the owner of this template may change it.")
    return template


def template_save(
    *, module: Module, owner, name: str, shared: bool, layout: PdfLayout, columns: list[str]
) -> PdfExportTemplate:
    """Save the Export page's choice as ``owner``'s template ``name``, replacing their template of that name."""
    template, _ = PdfExportTemplate.objects.update_or_create(
        owner=owner,
        module=module.name,
        name=name,
        defaults={
            "shared": shared,
            "title": layout.title,
            "orientation": layout.orientation,
            "show_logo": layout.show_logo,
            "columns": columns,
        },
    )
    return template


class PdfOptionsForm(forms.Form):
    """The PDF part of the Export page: a template to apply, or the title, orientation and logo set by hand,
    and optionally a name to save them (with the chosen columns) as a template. Its fields are prefixed
    ``pdf-``, beside the Export form's records, columns and format."""

    prefix = "pdf"

    template = forms.ModelChoiceField(
        label="Template",
        queryset=PdfExportTemplate.objects.none(),
        required=False,
        empty_label="— no template —",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    title = forms.CharField(label="Title", max_length=200, required=False, widget=forms.TextInput(attrs=INPUT))
    orientation = forms.ChoiceField(
        label="Orientation", choices=Orientation.choices, initial=Orientation.PORTRAIT, widget=forms.RadioSelect
    )
    show_logo = forms.BooleanField(label="Show the company logo", required=False, initial=True, widget=CHECKBOX)
    save_as = forms.CharField(
        label="Save as template",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs=INPUT),
        help_text="A name to keep these choices and columns for next time; your template of that name is replaced.",
    )
    shared = forms.BooleanField(label="Share the template with other users", required=False, widget=CHECKBOX)

    def __init__(self, *args, module: Module, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.module = module
        self.fields["template"].queryset = usable_templates(module, user).select_related("owner")
        self.fields["template"].label_from_instance = _template_label(user)

    @property
    def max_rows(self) -> int:
        return settings.PDF_EXPORT_MAX_ROWS

    def layout(self) -> PdfLayout:
        data = self.cleaned_data
        return PdfLayout(
            title=data["title"] or self.module.label,
            orientation=data["orientation"],
            show_logo=data["show_logo"],
        )

    @staticmethod
    def initial_from(template: PdfExportTemplate) -> dict:
        return {
            "template": template.pk,
            "title": template.title,
            "orientation": template.orientation,
            "show_logo": template.show_logo,
        }


def _template_label(user):
    def label(template: PdfExportTemplate) -> str:
        return template.name if template.owner_id == user.pk else f"{template.name} (shared by {template.owner})"

    return label


def column_widths(columns: list[ExportColumn], rows: list[list[str]]) -> list[str]:
    """Each column's share of the page width in percent (as CSS text), from its longest header or cell text."""
    longest = [len(column.label) for column in columns]
    for row in rows[:WIDTH_SAMPLE_ROWS]:
        longest = [max(length, len(cell)) for length, cell in zip(longest, row, strict=True)]
    weights = [min(max(length, NARROWEST), WIDEST) for length in longest]
    return [f"{100 * weight / sum(weights):.2f}" for weight in weights]


def pdf_document(module: Module, records: QuerySet, columns: list[ExportColumn], layout: PdfLayout, user) -> bytes:
    """The PDF of ``records`` (already narrowed to those ``user`` may export) with ``columns``, exported by
    ``user`` now. Raises TooManyRows past ``PDF_EXPORT_MAX_ROWS``."""
    limit = settings.PDF_EXPORT_MAX_ROWS
    count = records.count()
    if count > limit:
        raise TooManyRows(count, limit)
    company = Company.objects.default()
    rows = list(export_rows(module, records, columns))
    html = render_to_string(
        "export/pdf.html",
        {
            "layout": layout,
            "columns": columns,
            "widths": column_widths(columns, rows),
            "rows": rows,
            "count": count,
            "module": module,
            "company": company,
            "logo": logo_data_uri(company.logo) if company and layout.show_logo else "",
            "exported_at": timezone.now(),
            "exported_by": user,
        },
    )
    # Imported here: WeasyPrint loads Pango's system libraries, which nothing but a PDF needs.
    from weasyprint import HTML, URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
