"""Field blocks for the detail view and the edit form, from the module's declaration plus custom fields."""

from dataclasses import dataclass
from urllib.parse import quote_plus

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .arrangement import BlockSpec, FieldSpec, field_specs, module_layout, standard_label
from .display import custom_field_display, field_display
from .models import Record
from .registry import Module
from .tables import related_columns

# The users (and owning group) every detail view names: Assigned To, Created by, Modified by.
DETAIL_USERS = ("assigned_user", "assigned_group", "created_by", "modified_by")


@dataclass
class FieldValue:
    name: str
    label: str
    text: str
    url: str = ""
    external: bool = False
    editable: bool = True


@dataclass
class DetailBlock:
    title: str
    values: list[FieldValue]
    map_url: str = ""


def form_blocks(form) -> list[tuple[str, list]]:
    """The form's bound fields grouped as the detail view groups them; every field appears exactly once."""
    placed: set[str] = set()
    result = []
    for block in module_layout(form.module):
        fields = [form[spec.name] for spec in block.fields if spec.name in form.fields and spec.name not in placed]
        placed.update(f.name for f in fields)
        if fields:
            result.append((block.title, fields))
    leftovers = [form[name] for name in form.fields if name not in placed]
    if leftovers:
        if result:
            result[0][1].extend(leftovers)
        else:
            result.append(("Details", leftovers))
    return result


def field_value(record: Record, name: str, editable_fields: set[str]) -> FieldValue:
    """One field of ``record`` by name, as the detail view shows it: what the inline editor puts back after a
    save."""
    spec = field_specs(record.module).get(name)
    if spec is None:  # a form field the layout does not place
        spec = FieldSpec(name=name, label=standard_label(record.module, name), block="", position=0)
    return _spec_value(record, spec, editable_fields)


def _spec_value(record: Record, spec: FieldSpec, editable_fields: set[str]) -> FieldValue:
    """The label the layout gives field ``spec`` of ``record``, its text and its link (if any)."""
    name = spec.name
    value = FieldValue(name, spec.label, "", editable=name in editable_fields)
    if spec.is_custom:
        value.text = custom_field_display(spec.custom, record.custom.get(name))
        return value
    if name == "assigned_to":
        value.text = str(record.assigned_to or "")
        return value
    try:
        field = record._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    value.text = field_display(record, name)
    raw = getattr(record, field.attname)
    if raw in (None, ""):
        return value
    if hasattr(record, "field_url") and record.field_url(name):
        value.url = record.field_url(name)
    elif isinstance(field, models.EmailField):
        value.url = f"mailto:{raw}"
    elif isinstance(field, models.URLField):
        value.url, value.external = raw, True
    elif field.many_to_one and issubclass(field.related_model, Record):
        # Fetched with the record when its query selects it (shown_references); one in the Recycle Bin has no page.
        related = getattr(record, field.name)
        value.url = "" if related.is_deleted else related.get_absolute_url()
    return value


def shown_references(module: Module, layout: list[BlockSpec]) -> list[str]:
    """The foreign keys whose records a detail view names: the record's owner, creator and last modifier, and the
    reference fields of ``layout``. For the record's query to fetch them with it (select_related), where each
    filled one would cost a query for its name and another for its link."""
    names = [spec.name for block in layout for spec in block.fields]
    return list(dict.fromkeys([*DETAIL_USERS, *related_columns(module, names)]))


def _map_url(values: list[FieldValue]) -> str:
    address = ", ".join(v.text for v in values if v.text)
    return f"https://www.openstreetmap.org/search?query={quote_plus(address)}" if address else ""


def detail_blocks(
    record: Record, layout: list[BlockSpec], editable_fields: set[str], invisible=frozenset()
) -> list[DetailBlock]:
    """The record's fields in the blocks of ``layout``, less the ``invisible`` ones; a block left empty is left
    out."""
    result = []
    for block in layout:
        values = [_spec_value(record, spec, editable_fields) for spec in block.fields if spec.name not in invisible]
        if values:
            result.append(DetailBlock(block.title, values, _map_url(values) if block.is_address else ""))
    return result


def summary_values(
    record: Record, layout: list[BlockSpec], editable_fields: set[str], invisible=frozenset()
) -> list[FieldValue]:
    """The module's summary fields that ``layout`` shows, less the ``invisible`` ones."""
    specs = {spec.name: spec for block in layout for spec in block.fields}
    names = [name for name in record.module.summary_fields if name in specs and name not in invisible]
    return [_spec_value(record, specs[name], editable_fields) for name in names]
