"""How a field's value reads on screen: one place for detail views, history and exports."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst

from .models import CustomField

EMPTY = ""


def format_value(value) -> str:
    """A stored value as text for the screen: dates in the user's time zone, amounts grouped."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        # Amounts show two decimals, more when the value has them (a Decimal field's 12.3456); never cut off.
        places = max(2, -value.as_tuple().exponent) if value.is_finite() else 2
        return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def field_label(field: models.Field) -> str:
    return capfirst(str(field.verbose_name))


def model_field_raw_display(field: models.Field, raw) -> str:
    """Display of a stored (attname) value of ``field``: resolves choices and foreign keys."""
    if raw is None or raw == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if field.is_relation and field.many_to_one:
        related = field.related_model._base_manager.filter(pk=raw).first()
        return str(related) if related is not None else f"#{raw}"
    return format_value(raw)


def custom_field_display(definition: CustomField, raw) -> str:
    """Custom values are stored as JSON (dates as ISO text, amounts as strings); show them typed."""
    if raw in (None, "", []):
        return EMPTY
    T = CustomField.Type
    try:
        if definition.field_type == T.DATE:
            return format_value(date.fromisoformat(raw))
        if definition.field_type == T.DATETIME:
            return format_value(datetime.fromisoformat(raw))
        if definition.field_type == T.NUMBER:
            return formats.number_format(int(raw), use_l10n=True, force_grouping=True)
        if definition.field_type in (T.DECIMAL, T.CURRENCY):
            return format_value(Decimal(raw))
        if definition.field_type == T.PERCENT:
            return f"{format_value(Decimal(raw))} %"
    except (TypeError, ValueError, ArithmeticError):
        pass  # a value stored before the field's type changed: show it as it is
    return format_value(raw)


def field_display(record, name: str) -> str:
    """The text shown for field ``name`` of ``record`` (a model field or a custom field name)."""
    try:
        field = record._meta.get_field(name)
    except FieldDoesNotExist:
        definition = CustomField.objects.filter(module=record.module.name, name=name).first()
        return custom_field_display(definition, record.custom.get(name)) if definition else EMPTY
    if field.many_to_one and field.is_cached(record):  # fetched with the record: no query for its name
        related = getattr(record, field.name)
        return str(related) if related is not None else EMPTY
    return model_field_raw_display(field, getattr(record, field.attname))
