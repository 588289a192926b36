"""List filters: "Search for <text> in <column>", the alphabetical filter, declared column filters, and a filter
for each custom picklist, multi-select picklist and checkbox field (custom text fields join the search)."""

from collections.abc import Iterable, Sequence

import django_filters
from django import forms
from django.db import connections
from django.db.models import BooleanField, CharField, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Least
from django.db.models.lookups import IContains

from secondcrm.access.permissions import access_for
from secondcrm.picklists.filters import apply_picklist_filters

from .arrangement import custom_fields
from .display import field_label
from .models import CustomField
from .registry import Module

ALPHABET = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Custom fields with a filter of their own (exact match), and those "Search for ... in" offers.
FILTERED_TYPES = (CustomField.Type.PICKLIST, CustomField.Type.MULTIPICKLIST, CustomField.Type.CHECKBOX)
SEARCHED_TYPES = (
    CustomField.Type.TEXT,
    CustomField.Type.TEXTAREA,
    CustomField.Type.EMAIL,
    CustomField.Type.PHONE,
    CustomField.Type.URL,
)
CHECKBOX_CHOICES = [("yes", "Yes"), ("no", "No")]


def search_condition(
    module: Module,
    value: str,
    columns: list[str] | None = None,
    invisible=frozenset(),
    custom: Iterable[str] = (),
    using: str = "default",
) -> Q:
    """Records whose ``columns`` (the module's search fields and the ``custom`` text fields when not given)
    contain ``value``; never a column in ``invisible``, or a search could reveal a value its user may not see.
    On PostgreSQL each condition is answered by a trigram index (``migration_ops.search_indexes``)."""
    value = value.strip()
    custom = [c for c in custom if c not in invisible]
    condition, in_custom = Q(), Q()
    for column in searched_columns(module, columns, invisible, custom):
        if column in custom:
            in_custom |= Q(**{f"custom__{column}__icontains": value})
        else:
            condition |= Q(**{f"{column}__icontains": value})
    if in_custom:
        condition |= custom_text_condition(value, using) & in_custom
    return condition


def searched_columns(
    module: Module, columns: list[str] | None = None, invisible=frozenset(), custom: Iterable[str] = ()
) -> list[str]:
    """The columns a search looks in: those of ``columns`` it may search, else every searchable one (the
    module's search fields and the ``custom`` text fields), never an ``invisible`` one."""
    searchable = [c for c in module.search_fields if c not in invisible]
    custom = [c for c in custom if c not in invisible]
    return [c for c in columns or () if c in searchable or c in custom] or searchable + custom


def custom_text_condition(value: str, using: str = "default") -> Q:
    """What every record with a custom value containing ``value`` satisfies: its custom values, as JSON text,
    contain it. On PostgreSQL the trigram index on that text answers it, so searching custom fields narrows the
    records by index before their values are read (no expression index per custom field is needed). Not when
    ``value`` holds a character JSON text escapes (it would not appear as typed), nor on SQLite, which has no
    such index and keeps non-ASCII characters escaped in its JSON text: there every record qualifies."""
    if connections[using].vendor != "postgresql" or '"' in value or "\\" in value or not value.isprintable():
        return Q()
    return Q(IContains(Cast("custom", TextField()), value))


def custom_value_condition(model, definition: CustomField, value, using: str = "default") -> Q:
    """Records whose custom field holds ``value`` (one of a multi-select's values). On PostgreSQL as JSON
    containment (``custom @> '{"cf_region": "North"}'``), which the GIN index on ``custom`` answers; SQLite has
    no containment, so there the key is compared (or its array searched) directly."""
    name = definition.name
    array = definition.field_type == CustomField.Type.MULTIPICKLIST
    connection = connections[using]
    if connection.vendor == "postgresql":
        return Q(custom__contains={name: [value] if array else value})
    if not array:
        return Q(**{f"custom__{name}": value})
    table = connection.ops.quote_name(model._meta.db_table)
    holds = RawSQL(
        f"EXISTS (SELECT 1 FROM json_each({table}.custom, %s) WHERE json_each.value = %s)",
        (f'$."{name}"', value),
        output_field=BooleanField(),
    )
    return Q(holds)


def custom_checkbox_condition(model, definition: CustomField, checked: bool, using: str = "default") -> Q:
    """Checked records, or the others: a record saved before the field existed has no value and counts as
    not checked."""
    if checked:
        return custom_value_condition(model, definition, True, using)
    return Q(**{f"custom__{definition.name}": False}) | Q(**{f"custom__{definition.name}__isnull": True})


def picklist_choices(module: Module, definition: CustomField, user) -> list[tuple[str, str]]:
    """The values of a custom picklist ``user`` may choose from: their role's values from the picklist engine,
    or every value of the field where that engine is not installed."""
    try:
        from secondcrm.picklists.choices import choices_for
    except ModuleNotFoundError as missing:
        if missing.name not in ("secondcrm.picklists", "secondcrm.picklists.choices"):
            raise
        return [(value, value) for value in definition.choices]
    return [
        (choice[0], choice[1]) if isinstance(choice, list | tuple) else (choice, choice)
        for choice in choices_for(module, definition.name, user)
    ]


class RecordFilterSet(django_filters.FilterSet):
    """Base of every module's filter set; ``module`` is set on each generated subclass."""

    module: Module

    search_value = django_filters.CharFilter(method="filter_search", label="Search for")
    search_in = django_filters.ChoiceFilter(method="filter_noop", label="in", empty_label="All columns")
    letter = django_filters.ChoiceFilter(
        method="filter_letter", choices=[(c, c) for c in ALPHABET], widget=forms.HiddenInput
    )
    tag = django_filters.CharFilter(field_name="tags__name", label="Tag", widget=forms.HiddenInput)
    # The columns "Search for" looked in, once the rows are filtered; none when nothing was searched.
    searched: Sequence[str] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self.module.model
        self.invisible = access_for(self.request.user).field_access(self.module).invisible
        apply_picklist_filters(self)  # standard picklists: a select of the values the user may pick
        self.filters["search_in"].extra["choices"] = [
            (name, field_label(model._meta.get_field(name)))
            for name in self.module.search_fields
            if name not in self.invisible
        ]
        for name in self.module.filter_fields:
            if name in self.invisible:
                del self.filters[name]
            else:
                self.filters[name].field.widget.attrs.setdefault("class", "form-select form-select-sm")
        self._add_custom_filters()

    def _add_custom_filters(self) -> None:
        """A filter for each custom picklist, multi-select picklist and checkbox field the user may see, and
        the custom text fields in "Search for ... in"; a field invisible to the user gets neither."""
        definitions = [d for d in custom_fields(self.module) if d.name not in self.invisible]
        searched = [d for d in definitions if d.field_type in SEARCHED_TYPES]
        self.custom_searched = [d.name for d in searched]
        self.filters["search_in"].extra["choices"] += [(d.name, d.label) for d in searched]
        self.custom_filtered = {}
        for definition in definitions:
            if definition.field_type not in FILTERED_TYPES or definition.name in self.filters:
                continue
            if definition.field_type == CustomField.Type.CHECKBOX:
                choices = CHECKBOX_CHOICES
            else:
                choices = picklist_choices(self.module, definition, self.request.user)
            custom_filter = django_filters.ChoiceFilter(
                field_name=definition.name, method="filter_custom", label=definition.label, choices=choices
            )
            custom_filter.model, custom_filter.parent = self.queryset.model, self
            custom_filter.field.widget.attrs["class"] = "form-select form-select-sm"
            self.filters[definition.name] = custom_filter
            self.custom_filtered[definition.name] = definition

    @property
    def column_filters(self) -> list[str]:
        """The filters shown in the list's filter row: the module's declared ones, then the custom ones."""
        return [name for name in self.module.filter_fields if name in self.filters] + list(self.custom_filtered)

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_search

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        column = self.form.cleaned_data.get("search_in")
        columns = [column] if column else None
        self.searched = searched_columns(self.module, columns, self.invisible, self.custom_searched)
        condition = search_condition(self.module, value, columns, self.invisible, custom=self.custom_searched)
        return queryset.filter(condition)

    def filter_custom(self, queryset, name, value):
        definition = self.custom_filtered[name]
        if definition.field_type == CustomField.Type.CHECKBOX:
            condition = custom_checkbox_condition(queryset.model, definition, value == "yes", queryset.db)
        else:
            condition = custom_value_condition(queryset.model, definition, value, queryset.db)
        return queryset.filter(condition)

    def filter_letter(self, queryset, name, value):
        """Records whose title starts with the letter, in either case. The lower bound tells PostgreSQL where in the
        title's index the letter's records start (the lesser of the letter's two cases, as the column's collation
        orders them), so a list sorted by title walks from there rather than through every earlier letter."""
        title = self.module.title_field
        first = Least(Value(value.upper()), Value(value.lower()), output_field=CharField())
        return queryset.filter(**{f"{title}__istartswith": value, f"{title}__gte": first})


def filterset_for(module: Module) -> type[RecordFilterSet]:
    if module._filterset is None:
        meta = type("Meta", (), {"model": module.model, "fields": list(module.filter_fields)})
        module._filterset = type(
            f"{module.model.__name__}FilterSet", (RecordFilterSet,), {"Meta": meta, "module": module}
        )
    return module._filterset
