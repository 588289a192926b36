"""Field blocks for the detail view and the edit form, from the module's declaration plus custom fields."""

from dataclasses import dataclass
from urllib.parse import quote_plus

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .arrangement import FieldSpec, field_specs, module_layout
from .display import custom_field_display, field_display, field_label
from .models import CustomField, Record


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
    """The label, text and link (if any) of one field of ``record``."""
    if name == "assigned_to":
        return FieldValue(name, "Assigned To", str(record.assigned_to or ""), editable=name in editable_fields)
    try:
        field = record._meta.get_field(name)
    except FieldDoesNotExist:
        definition = CustomField.objects.filter(module=record.module.name, name=name).first()
        label = definition.label if definition else name
        text = custom_field_display(definition, record.custom.get(name)) if definition else ""
        return FieldValue(name, label, text, editable=name in editable_fields)
    value = FieldValue(name, field_label(field), field_display(record, name), editable=name in editable_fields)
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
        related = field.related_model.objects.filter(pk=raw).first()
        value.url = related.get_absolute_url() if related else ""
    return value


def _map_url(values: list[FieldValue]) -> str:
    address = ", ".join(v.text for v in values if v.text)
    return f"https://www.openstreetmap.org/search?query={quote_plus(address)}" if address else ""


def detail_blocks(record: Record, editable_fields: set[str], invisible=frozenset()) -> list[DetailBlock]:
    """The record's fields in their blocks, less the ``invisible`` ones; a block left empty is left out."""
    result = []
    for block in module_layout(record.module):
        values = [
            _labelled(field_value(record, spec.name, editable_fields), spec)
            for spec in block.fields
            if spec.name not in invisible
        ]
        if values:
            result.append(DetailBlock(block.title, values, _map_url(values) if block.is_address else ""))
    return result


def summary_values(record: Record, editable_fields: set[str], invisible=frozenset()) -> list[FieldValue]:
    specs = field_specs(record.module)
    names = [
        name
        for name in record.module.summary_fields
        if name in specs and not specs[name].hidden and name not in invisible
    ]
    return [_labelled(field_value(record, name, editable_fields), specs[name]) for name in names]


def _labelled(value: FieldValue, spec: FieldSpec) -> FieldValue:
    """The value under the label the admin gave the field in the layout editor."""
    value.label = spec.label
    return value
