"""Saved filters (the manual's custom views) as query conditions.

A saved filter names fields of its module (standard ones by name, custom ones by their key in ``Record.custom``).
Which fields it may name depends on the user: a field invisible to them is refused when the filter is saved, and
skipped when it is applied (the filter may be shared, or the field made invisible later), so that a filter can
never reveal a value its user may not see. Fields since removed are skipped as well.

Custom values are JSON (decimals and dates as text), so comparisons on them cast the text to the field's type,
only where the text has the right shape: an odd value from an old import never breaks the list."""

import datetime
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import reduce

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IContains,
    IExact,
    IsNull,
    IStartsWith,
    LessThan,
)
from django.utils import timezone

from .filters import custom_value_condition
from .models import CustomField, SavedFilter
from .registry import Module
from .tables import column_choices


class Operator(models.TextChoices):
    EQUALS = "equals", "equals"
    NOT_EQUALS = "not_equals", "not equals"
    CONTAINS = "contains", "contains"
    STARTS_WITH = "starts_with", "starts with"
    IS_EMPTY = "is_empty", "is empty"
    GREATER_THAN = "greater_than", "greater than"
    LESS_THAN = "less_than", "less than"


_ORDERED = (Operator.EQUALS, Operator.NOT_EQUALS, Operator.GREATER_THAN, Operator.LESS_THAN, Operator.IS_EMPTY)
# The operators each kind of field understands.
KIND_OPERATORS = {
    "text": (Operator.EQUALS, Operator.NOT_EQUALS, Operator.CONTAINS, Operator.STARTS_WITH, Operator.IS_EMPTY),
    "number": _ORDERED,
    "date": _ORDERED,
    "datetime": _ORDERED,
    "boolean": (Operator.EQUALS, Operator.NOT_EQUALS),
    "multi": (Operator.CONTAINS, Operator.IS_EMPTY),
}
CUSTOM_KINDS = {
    CustomField.Type.NUMBER: "number",
    CustomField.Type.DECIMAL: "number",
    CustomField.Type.CURRENCY: "number",
    CustomField.Type.PERCENT: "number",
    CustomField.Type.DATE: "date",
    CustomField.Type.DATETIME: "datetime",
    CustomField.Type.CHECKBOX: "boolean",
    CustomField.Type.MULTIPICKLIST: "multi",
}
# The shape custom JSON text must have before it is cast (PostgreSQL regular expressions).
CUSTOM_SHAPES = {
    "number": (r"^\s*-?[0-9]+(\.[0-9]+)?\s*$", models.DecimalField(max_digits=30, decimal_places=6)),
    "date": (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", models.DateField()),
    "datetime": (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}", models.DateTimeField()),
}
DATE_FIELDS = ("created_at", "modified_at")
# The most conditions a saved filter or an advanced search holds.
MAX_CONDITIONS = 10
YES, NO = ("yes", "1", "true", "on"), ("no", "0", "false", "off")


@dataclass(frozen=True)
class Filterable:
    """A field a saved filter may name: its label, its kind (text, number, date, datetime, boolean, multi) and,
    for a custom field, its definition."""

    name: str
    label: str
    kind: str
    custom: CustomField | None = None

    @property
    def operators(self) -> tuple[Operator, ...]:
        return KIND_OPERATORS[self.kind]

    def expression(self):
        """The field's value in SQL, typed: a column, or the custom JSON value as text or cast to its type."""
        if self.custom is None:
            return models.F(self.name)
        text = KT(f"custom__{self.name}")
        if self.kind not in CUSTOM_SHAPES:
            return text
        shape, output = CUSTOM_SHAPES[self.kind]
        return models.Case(
            models.When(Q(**{f"custom__{self.name}__regex": shape}), then=Cast(text, output)), output_field=output
        )


def filterable_fields(module: Module, invisible=frozenset()) -> dict[str, Filterable]:
    """The fields of ``module`` a saved filter may name for a user to whom ``invisible`` fields are invisible:
    the fields of the layout that are not hidden (as in the Columns control), and the record's times. Fields
    that point at other records (such as Assigned To) are not offered."""
    found: dict[str, Filterable] = {}
    names = {name: spec.label for name, spec in column_choices(module, invisible).items()}
    for name in DATE_FIELDS:
        if name not in invisible:
            names.setdefault(name, module.model._meta.get_field(name).verbose_name)
    for name, label in names.items():
        kind, custom = _kind(module, name)
        if kind:
            found[name] = Filterable(name=name, label=str(label), kind=kind, custom=custom)
    return found


def _kind(module: Module, name: str) -> tuple[str | None, CustomField | None]:
    try:
        field = module.model._meta.get_field(name)
    except FieldDoesNotExist:
        custom = CustomField.objects.filter(module=module.name, name=name).first()
        if custom is None:
            return None, None
        return CUSTOM_KINDS.get(custom.field_type, "text"), custom
    if field.is_relation or not field.concrete:
        return None, None
    if isinstance(field, models.BooleanField):
        return "boolean", None
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return "number", None
    if isinstance(field, models.DateTimeField):
        return "datetime", None
    if isinstance(field, models.DateField):
        return "date", None
    if isinstance(field, models.CharField | models.TextField):
        return "text", None
    return None, None


def date_fields(fields: dict[str, Filterable]) -> dict[str, Filterable]:
    """The fields a standard date range may apply to."""
    return {name: field for name, field in fields.items() if field.kind in ("date", "datetime")}


def parse_value(field: Filterable, value: str):
    """``value`` as the field's type; ValueError with a message for the user when it is not one."""
    value = (value or "").strip()
    if field.kind == "number":
        try:
            return Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{field.label} needs a number, such as 1250 or 12.5.") from None
    if field.kind in ("date", "datetime"):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{field.label} needs a date as yyyy-mm-dd.") from None
    if field.kind == "boolean":
        if value.lower() in YES:
            return True
        if value.lower() in NO:
            return False
        raise ValueError(f"{field.label} needs yes or no.")
    if not value:
        raise ValueError("Enter a value, or choose the operator “is empty”.")
    return value


def date_bounds(date_range: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first day of ``date_range`` and the day after its last, as seen on ``today``."""
    day = datetime.timedelta(days=1)
    month_start = today.replace(day=1)
    monday = today - today.weekday() * day
    match date_range:
        case SavedFilter.DateRange.TODAY:
            return today, today + day
        case SavedFilter.DateRange.YESTERDAY:
            return today - day, today
        case SavedFilter.DateRange.THIS_WEEK:
            return monday, monday + 7 * day
        case SavedFilter.DateRange.LAST_WEEK:
            return monday - 7 * day, monday
        case SavedFilter.DateRange.THIS_MONTH:
            return month_start, (month_start + 32 * day).replace(day=1)
        case SavedFilter.DateRange.LAST_MONTH:
            return (month_start - day).replace(day=1), month_start
        case SavedFilter.DateRange.THIS_YEAR:
            return today.replace(month=1, day=1), today.replace(year=today.year + 1, month=1, day=1)
        case SavedFilter.DateRange.LAST_30_DAYS:
            return today - 29 * day, today + day
    raise ValueError(f"Unknown date range {date_range!r}")


def _bound(field: Filterable, day: datetime.date):
    """A day as the field compares it: the day itself, or its first moment in the current time zone."""
    if field.kind == "datetime":
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return day


def _between(field: Filterable, start: datetime.date, end: datetime.date) -> Q:
    value = field.expression()
    return Q(GreaterThanOrEqual(value, _bound(field, start))) & Q(LessThan(value, _bound(field, end)))


def _empty(field: Filterable) -> Q:
    value = KT(f"custom__{field.name}") if field.custom else field.expression()
    empty = Q(IsNull(value, True))
    if field.kind in ("text", "multi"):
        empty |= Q(Exact(value, "")) if field.kind == "text" else Q(**{f"custom__{field.name}": []})
    return empty


def condition_q(module: Module, field: Filterable, op: str, raw: str) -> Q:
    """The records for which ``field op raw`` holds. ValueError when ``raw`` is not a value of the field's type
    or ``op`` does not apply to the field."""
    if op not in field.operators:
        raise ValueError(f"“{Operator(op).label if op in Operator.values else op}” does not apply to {field.label}.")
    if op == Operator.IS_EMPTY:
        return _empty(field)
    value = parse_value(field, raw)
    if field.kind == "multi":
        return custom_value_condition(module.model, field.custom, value)
    if field.kind == "boolean":
        if field.custom is not None:
            checked = Q(**{f"custom__{field.name}": True})
            holds = checked if value else ~checked | Q(IsNull(KT(f"custom__{field.name}"), True))
        else:
            holds = Q(**{field.name: value})
        return holds if op == Operator.EQUALS else ~holds
    expression = field.expression()
    if field.kind in ("date", "datetime"):
        # A date compares whole days, also against a date and time.
        day = datetime.timedelta(days=1)
        holds = {
            Operator.EQUALS: lambda: _between(field, value, value + day),
            Operator.GREATER_THAN: lambda: Q(GreaterThanOrEqual(expression, _bound(field, value + day))),
            Operator.LESS_THAN: lambda: Q(LessThan(expression, _bound(field, value))),
            Operator.NOT_EQUALS: lambda: ~_between(field, value, value + day) | Q(IsNull(expression, True)),
        }
        return holds[op]()
    lookups = {
        Operator.EQUALS: IExact if field.kind == "text" else Exact,
        Operator.CONTAINS: IContains,
        Operator.STARTS_WITH: IStartsWith,
        Operator.GREATER_THAN: GreaterThan,
        Operator.LESS_THAN: LessThan,
    }
    if op == Operator.NOT_EQUALS:
        equal = IExact if field.kind == "text" else Exact
        return ~Q(equal(expression, value)) | Q(IsNull(expression, True))
    return Q(lookups[op](expression, value))


@dataclass(frozen=True)
class Condition:
    """A condition that applies for its user: ``field operator value``, and the records for which it holds."""

    field: Filterable
    operator: Operator
    value: str
    q: Q

    def __str__(self) -> str:
        said = f"{self.field.label} {self.operator.label}"
        return said if self.operator == Operator.IS_EMPTY else f"{said} “{self.value}”"

    def as_dict(self) -> dict[str, str]:
        """As a saved filter stores it."""
        return {"field": self.field.name, "operator": self.operator.value, "value": self.value}


def applicable_conditions(module: Module, conditions: Iterable, fields: dict[str, Filterable]) -> list[Condition]:
    """Those of ``conditions`` (dicts of field, operator and value, as a saved filter stores them) that apply:
    conditions on fields not among ``fields`` (invisible to the user, or removed), with operators that do not
    apply, or with values that do not parse are left out."""
    found = []
    for condition in conditions:
        if not isinstance(condition, dict) or condition.get("field") not in fields:
            continue
        field, op, value = fields[condition["field"]], condition.get("operator"), condition.get("value") or ""
        try:
            found.append(Condition(field, Operator(op), value, condition_q(module, field, op, value)))
        except (ValueError, TypeError):
            continue
    return found


def matching(conditions: list[Condition], match: str) -> Q:
    """The records for which all ``conditions`` hold, or any of them when ``match`` is "any"; every record when
    there are none."""
    join = operator.or_ if match == SavedFilter.Match.ANY else operator.and_
    return reduce(join, (condition.q for condition in conditions)) if conditions else Q()


def saved_filter_q(saved: SavedFilter, module: Module, invisible=frozenset()) -> Q:
    """The condition of ``saved`` for a user to whom ``invisible`` fields are invisible: its conditions joined by
    all/any, and its date range. Conditions that do not apply for this user are left out."""
    fields = filterable_fields(module, invisible)
    result = matching(applicable_conditions(module, saved.conditions or (), fields), saved.match)
    dated = date_fields(fields).get(saved.date_field)
    if dated and saved.date_range in SavedFilter.DateRange.values:
        result &= _between(dated, *date_bounds(saved.date_range, timezone.localdate()))
    return result


def saved_filter_columns(saved: SavedFilter, module: Module, choices: dict) -> list[str]:
    """The columns ``saved`` shows among ``choices`` (those the user may see), the title first; none when the
    filter keeps the user's own column choice."""
    names = [name for name in dict.fromkeys(saved.columns or ()) if isinstance(name, str) and name in choices]
    if names and module.title_field in choices and module.title_field not in names:
        names.insert(0, module.title_field)
    return names


def usable_filters(module: Module, user):
    """The filters of ``module`` the user may choose in the list: their own and the shared ones."""
    return SavedFilter.objects.filter(module=module.name).filter(Q(owner=user) | Q(shared=True))
