"""Field blocks for the detail view and the edit form, from the module's declaration plus custom fields."""

from dataclasses import dataclass
from urllib.parse import quote_plus

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .display import custom_field_display, field_display, field_label
from .models import CustomField, Record
from .registry import Module

CUSTOM_BLOCK = "Custom Information"


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


def _custom_by_block(module: Module) -> dict[str, list[CustomField]]:
    blocks: dict[str, list[CustomField]] = {}
    for definition in CustomField.objects.filter(module=module.name):
        blocks.setdefault(definition.block, []).append(definition)
    return blocks


def _block_titles(module: Module, custom: dict) -> list[str]:
    titles = [block.title for block in module.blocks]
    return titles + [title for title in custom if title not in titles]


def form_blocks(form) -> list[tuple[str, list]]:
    """The form's bound fields grouped as the detail view groups them; every field appears exactly once."""
    module = form.module
    custom = _custom_by_block(module)
    declared = {block.title: block.fields for block in module.blocks}
    placed: set[str] = set()
    result = []
    for title in _block_titles(module, custom):
        names = [*declared.get(title, ()), *(d.name for d in custom.get(title, []))]
        fields = [form[name] for name in names if name in form.fields and name not in placed]
        placed.update(f.name for f in fields)
        if fields:
            result.append((title, fields))
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
    module = record.module
    custom = _custom_by_block(module)
    declared = {block.title: block for block in module.blocks}
    result = []
    for title in _block_titles(module, custom):
        block = declared.get(title)
        names = [*(block.fields if block else ()), *(d.name for d in custom.get(title, []))]
        values = [field_value(record, name, editable_fields) for name in names if name not in invisible]
        if values:
            result.append(DetailBlock(title, values, _map_url(values) if block and block.is_address else ""))
    return result


def summary_values(record: Record, editable_fields: set[str], invisible=frozenset()) -> list[FieldValue]:
    names = record.module.summary_fields
    return [field_value(record, name, editable_fields) for name in names if name not in invisible]
