"""Export of a module's records to CSV and Excel: which columns a user may export, which rows, and each cell as
the detail view shows it.

Rows come only from ``visible_to(user, "export")``, and columns only from the fields the user may see, so an
export never reveals more than the screens do. Cells are neutralised against formula injection: a spreadsheet
would run a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return that hides one) as
a formula. Both formats read the rows in chunks, so a 100,000-row export never sits in memory."""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from secondcrm.access.permissions import access_for

from .advanced_search import AdvancedSearch
from .arrangement import FieldSpec
from .display import custom_field_display, format_value, model_field_raw_display
from .filters import filterset_for
from .registry import Module
from .saved_filters import saved_filter_q, usable_filters
from .tables import column_choices, related_columns

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


class Scope:
    """Which records an export holds."""

    ALL = "all"
    FILTER = "filter"
    SELECTED = "selected"
    CHOICES = ((ALL, "All records"), (FILTER, "The current filter and search"), (SELECTED, "The selected records"))


class Format:
    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"  # laid out by secondcrm.records.pdf_export
    CHOICES = ((CSV, "CSV (UTF-8)"), (XLSX, "Excel (.xlsx)"), (PDF, "PDF"))


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export: its header (the layout's label) and how a record's cell reads."""

    name: str
    label: str
    read: Callable[[object], str]


def is_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """A CSV cell a spreadsheet will show as text: a leading quote stops it being read as a formula."""
    return f"'{text}" if is_formula(text) else text


def export_choices(module: Module, user) -> dict[str, FieldSpec]:
    """The columns ``user`` may export, by name in layout order: the same fields the list's Columns control
    offers (the layout's fields minus hidden ones and those invisible to the user)."""
    return column_choices(module, access_for(user).field_access(module).invisible)


def export_columns(module: Module, specs: Iterable[FieldSpec]) -> list[ExportColumn]:
    return [ExportColumn(spec.name, spec.label, _reader(module, spec)) for spec in specs]


def _reader(module: Module, spec: FieldSpec) -> Callable[[object], str]:
    """The cell of one column, as ``field_display`` shows it, but without a query per cell: custom field
    definitions are known up front and related records come with the rows (select_related)."""
    if spec.is_custom:
        definition = spec.custom
        return lambda record: custom_field_display(definition, record.custom.get(definition.name))
    if spec.name == "assigned_to":
        return lambda record: str(record.assigned_to or "")
    try:
        field = module.model._meta.get_field(spec.name)
    except FieldDoesNotExist:
        return lambda record: format_value(getattr(record, spec.name, None))
    if field.many_to_one:
        return lambda record: str(getattr(record, field.name) or "")
    return lambda record: model_field_raw_display(field, getattr(record, field.attname))


def export_queryset(
    module: Module, user, *, scope: str, query=None, selection: Iterable[int] = (), request=None
) -> QuerySet:
    """The records of an export, only from those ``user`` may export: all of them, those the list's filter,
    advanced search and search (``query``, the list's query string) leave, or the ``selection``."""
    records = module.model.objects.visible_to(user, "export")
    if scope == Scope.SELECTED:
        return records.filter(pk__in=list(selection))
    if scope == Scope.FILTER and query:
        invisible = access_for(user).field_access(module).invisible
        view = query.get("view", "")
        if view.isdigit():  # the saved filter chosen in the list's Filter menu, if the user may use it
            saved = usable_filters(module, user).filter(pk=int(view)).first()
            if saved is not None:
                records = records.filter(saved_filter_q(saved, module, invisible))
        records = records.filter(AdvancedSearch.from_query(module, query, invisible).q)
        filterset = filterset_for(module)(query, queryset=records, request=request)
        if filterset.is_valid():
            return filterset.qs
    return records


def export_rows(
    module: Module, records: QuerySet, columns: list[ExportColumn], chunk_size: int = CHUNK_SIZE
) -> Iterator[list[str]]:
    """Each record's cells, read in chunks of ``chunk_size`` in the module's title order."""
    names = [column.name for column in columns]
    records = records.select_related(*related_columns(module, names))
    records = records.order_by(module.title_field, "pk")
    for record in records.iterator(chunk_size=chunk_size):
        yield [column.read(record) for column in columns]


class _Echo:
    """A file-like object whose ``write`` hands the line back, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: list[ExportColumn], rows: Iterable[list[str]]) -> Iterator[str]:
    """The CSV text line by line: a byte order mark first (so Excel reads UTF-8), headers, then rows."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise(column.label) for column in columns])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def xlsx_file(columns: list[ExportColumn], rows: Iterable[list[str]]):
    """An Excel workbook in a temporary file (rewound), written row by row in openpyxl's write-only mode.
    Every cell is text; one that looks like a formula is stored as a string, never as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.append([_text_cell(sheet, column.label) for column in columns])
    for row in rows:
        sheet.append([_text_cell(sheet, cell) for cell in row])
    target = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it once sent
    workbook.save(target)
    target.seek(0)
    return target


def _text_cell(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"  # openpyxl would store text starting with "=" as a formula
    return cell
