"""List view tables: the columns a user chose (or the module's ``list_fields``), standard and custom fields alike.

A column is offered for every field of the module's layout the user may see: hidden standard fields and fields
invisible to the user are never offered nor shown. Headers carry the layout's labels, so a renamed field shows
its new name. The table class is built per request, because custom fields and labels change at run time."""

from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import Any

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import template_localtime
from django_tables2.columns import library
from django_tables2.rows import BoundRow
from django_tables2.utils import signature

from .arrangement import FieldSpec, module_layout, standard_label
from .display import custom_field_display
from .models import CustomField, ListColumns
from .registry import Module


class SelectionColumn(tables.CheckBoxColumn):
    """A checkbox per row, valued with the record's key, that submits with the mass-action form; the header's
    selects all. Written out with one ``format_html`` call, where CheckBoxColumn works out the same attributes
    again for every row."""

    def render(self, value, bound_column):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" aria-label="Select row" form="mass-action" />',
            bound_column.name,
            value,
        )


class TitleColumn(tables.Column):
    """The record's title, linked to the record. Written out with one ``format_html`` call, where ``linkify`` goes
    through django-tables2's general link machinery for every row."""

    def render(self, value, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def value(self, value):
        return value


class LinkedValueColumn(tables.Column):
    """A value linked to itself behind a URL scheme: an email address behind ``mailto:``, a web address as it is.
    Written out with one ``format_html`` call, where django-tables2's EmailColumn and URLColumn go through its
    general link machinery for every row."""

    def __init__(self, *, scheme: str = "", **kwargs):
        super().__init__(**kwargs)
        self.scheme = scheme

    def render(self, value):
        return format_html('<a href="{}{}">{}</a>', self.scheme, value, value)

    def value(self, value):
        return value


class DateColumn(tables.Column):
    """A date, or a date and time in the user's time zone, in one of the locale's formats (``SHORT_DATE_FORMAT``...).
    Formatted in Python, where django-tables2's DateColumn and DateTimeColumn compile a template for every cell."""

    def __init__(self, *, format: str, **kwargs):
        super().__init__(**kwargs)
        self.format = format

    def render(self, value):
        return date_format(template_localtime(value), self.format)


class RecordRow(BoundRow):
    """A row of a ``RecordTable``, its cells rendered with what the table works out once per column."""

    def td_cells(self) -> Iterator[tuple[str, Any]]:
        """Each cell's ``<td>`` attributes (as HTML) and content."""
        td_attrs = self.table.td_attrs
        for column in self.table.columns:
            yield td_attrs[column.name], self.get_cell(column.name)

    def _call_render(self, bound_column, value=None):
        # django-tables2 (pinned at 3.0.1) renders every cell through this private method, which inspects the
        # column's render signature each time: a third of the cost of the cell.
        arguments = self._optional_cell_arguments(bound_column, value)
        names, catch_all = self.table.render_arguments[bound_column.name]
        content = bound_column.render(**(arguments if catch_all else {name: arguments[name] for name in names}))
        return bound_column.link(content, **arguments) if bound_column.link else content


class RecordTable(tables.Table):
    """Row selection first, the record's title links to its detail view.

    A list page shows hundreds of cells, and for each django-tables2 works out again its ``<td>`` attributes and its
    column's render arguments. They are the same on every row (no column here computes them from the record), so a
    RecordTable works them out once per column and its rows, ``RecordRow``s rendered by ``generic/table.html``,
    take them from there."""

    selection = SelectionColumn(accessor="pk", attrs={"th__input": {"aria-label": "Select all", "data-select-all": ""}})

    class Meta:
        attrs = {"class": "table table-hover table-sm align-middle record-list"}
        order_by_field = "sort"
        empty_text = "No records found."
        template_name = "generic/table.html"

    @property
    def paginated_rows(self) -> list[RecordRow]:
        # django-tables2 has no setting for its row class: the page's records are wrapped here, where its template
        # takes the rows from. A RecordTable pins no rows.
        return [RecordRow(record, table=self) for record in super().paginated_rows.data]

    @cached_property
    def td_attrs(self) -> dict[str, str]:
        """Each column's ``<td>`` attributes as HTML, by column name."""
        return {column.name: column.attrs["td"].as_html() for column in self.columns}

    @cached_property
    def render_arguments(self) -> dict[str, tuple[tuple[str, ...], str | None]]:
        """Each column's render arguments by column name: the names it takes, and its ``**`` catch-all's (None when
        it has none)."""
        return {column.name: signature(column.render) for column in self.columns}


class CustomFieldColumn(tables.Column):
    """A custom field's value, read from the record's ``custom`` JSON and shown typed. Sorting orders by the
    JSON value under the field's key (``custom -> 'cf_region'``), which PostgreSQL and SQLite both support."""

    empty_values = (None, "", [])

    def __init__(self, definition: CustomField, **kwargs):
        self.definition = definition
        key = f"custom__{definition.name}"
        super().__init__(accessor=key, order_by=(key,), **kwargs)

    def render(self, value):
        return custom_field_display(self.definition, value)

    def value(self, value):
        return custom_field_display(self.definition, value)


class CappedPaginator(Paginator):
    """A list's pages, its rows counted up to a cap: ``COUNT_CAP`` rows, or as far as ``PAGES_AHEAD`` pages past the
    requested one. Counting every row a user may see reads all of them, a fifth of a second at a million leads on
    every page shown; a capped count reads at most that many. When there are more, the pager ends at the last
    counted page, and that page's own pager counts further on: every page stays reachable."""

    COUNT_CAP = 1000
    PAGES_AHEAD = 5

    def __init__(self, object_list, per_page, counted: QuerySet, **kwargs):
        self.counted = counted  # the rows as a queryset: counted without their order or related records
        self.count_to = self.COUNT_CAP
        super().__init__(object_list, per_page, **kwargs)

    def validate_number(self, number):
        # The first page number asked for (the page shown) sets how far to count; the pager's later questions
        # (the next page, the last one) are answered from that count.
        if "count" not in self.__dict__:
            try:
                wanted = int(number)
            except (TypeError, ValueError):
                pass  # Paginator says why
            else:
                self.count_to = max(self.COUNT_CAP, (wanted + self.PAGES_AHEAD) * self.per_page)
        return super().validate_number(number)

    @cached_property
    def count(self) -> int:
        """How many rows there are, up to one past ``count_to``."""
        return self.counted.order_by().values("pk")[: self.count_to + 1].count()

    @property
    def more(self) -> bool:
        """Whether rows remain past those counted."""
        return self.count > self.count_to


def column_choices(module: Module, invisible: Iterable[str] = ()) -> dict[str, FieldSpec]:
    """The columns a user may pick, by name, in layout order: the fields of the module's layout that are not
    hidden, then list columns the layout does not hold (such as Modified Time); never an ``invisible`` one."""
    invisible = frozenset(invisible)
    placed: set[str] = set()
    choices: dict[str, FieldSpec] = {}
    for block in module_layout(module, include_hidden=True):
        for spec in block.fields:
            placed.add(spec.name)
            if not spec.hidden and spec.name not in invisible:
                choices[spec.name] = spec
    for name in module.list_fields:
        if name not in placed and name not in invisible:
            choices[name] = FieldSpec(name=name, label=standard_label(module, name), block="", position=0)
    return choices


def default_columns(module: Module, choices: dict[str, FieldSpec]) -> list[str]:
    """The module's declared list columns the user may see."""
    return [name for name in module.list_fields if name in choices]


def chosen_columns(module: Module, user, choices: dict[str, FieldSpec]) -> list[str]:
    """The user's stored column choice for ``module``, without names that are no longer ``choices``; the
    default when there is none left. The title column is always there: it is the link to each record."""
    stored = ListColumns.objects.filter(user=user, module=module.name).values_list("columns", flat=True).first()
    names = [name for name in dict.fromkeys(stored or ()) if isinstance(name, str) and name in choices]
    names = names or default_columns(module, choices)
    if module.title_field in choices and module.title_field not in names:
        names.insert(0, module.title_field)
    return names


def table_for(module: Module, columns: list[FieldSpec] | None = None) -> type[RecordTable]:
    """A table class with ``columns`` (the module's list columns when not given), headed by their labels; the
    title column links to the record."""
    if columns is None:
        choices = column_choices(module)
        columns = [choices[name] for name in default_columns(module, choices)]
    declared = {spec.name: _column(module, spec) for spec in columns}
    meta = type("Meta", (RecordTable.Meta,), {"sequence": ("selection", *declared)})
    return type(f"{module.model.__name__}Table", (RecordTable,), {"Meta": meta, **declared})


def _column(module: Module, spec: FieldSpec) -> tables.Column:
    if spec.is_custom:
        column = CustomFieldColumn(spec.custom)
    elif spec.name == "assigned_to":
        column = tables.Column(accessor="assigned_to", order_by=("assigned_user__username", "assigned_group__name"))
    else:
        try:
            field = module.model._meta.get_field(spec.name)
        except FieldDoesNotExist:
            column = tables.Column(accessor=spec.name, orderable=False)
        else:
            column = _field_column(field, spec.name)
        if spec.name == module.title_field:
            column = TitleColumn(accessor=spec.name)
    column.verbose_name = spec.label
    return column


def _field_column(field: models.Field, accessor: str) -> tables.Column:
    """django-tables2's column for ``field``, but ours for the field types whose django-tables2 column costs most per
    cell. A DateTimeField is a DateField."""
    if isinstance(field, models.EmailField):
        return LinkedValueColumn(accessor=accessor, scheme="mailto:")
    if isinstance(field, models.URLField):
        return LinkedValueColumn(accessor=accessor)
    if isinstance(field, models.DateTimeField):
        return DateColumn(accessor=accessor, format="SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return DateColumn(accessor=accessor, format="SHORT_DATE_FORMAT")
    return library.column_for_field(field, accessor=accessor)


def related_columns(module: Module, names: Iterable[str]) -> list[str]:
    """What the columns among ``names`` that show another record need fetched with the rows (select_related):
    the referenced record, or for Assigned To the owning user and group."""
    related = []
    for name in names:
        if name == "assigned_to":
            related += ["assigned_user", "assigned_group"]
            continue
        try:
            field = module.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_one:
            related.append(name)
    return related
