"""List filters: "Search for <text> in <column>", the alphabetical filter, and declared column filters."""

import django_filters
from django import forms
from django.db.models import Q

from .display import field_label
from .registry import Module

ALPHABET = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def search_condition(module: Module, value: str, columns: list[str] | None = None) -> Q:
    """Records whose ``columns`` (the module's search fields when not given) contain ``value``."""
    columns = [c for c in columns or () if c in module.search_fields] or module.search_fields
    condition = Q()
    for column in columns:
        condition |= Q(**{f"{column}__icontains": value.strip()})
    return condition


class RecordFilterSet(django_filters.FilterSet):
    """Base of every module's filter set; ``module`` is set on each generated subclass."""

    module: Module

    search_value = django_filters.CharFilter(method="filter_search", label="Search for")
    search_in = django_filters.ChoiceFilter(method="filter_noop", label="in", empty_label="All columns")
    letter = django_filters.ChoiceFilter(
        method="filter_letter", choices=[(c, c) for c in ALPHABET], widget=forms.HiddenInput
    )
    tag = django_filters.CharFilter(field_name="tags__name", label="Tag", widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self.module.model
        self.filters["search_in"].extra["choices"] = [
            (name, field_label(model._meta.get_field(name))) for name in self.module.search_fields
        ]
        for name in self.module.filter_fields:
            self.filters[name].field.widget.attrs.setdefault("class", "form-select form-select-sm")

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_search

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        column = self.form.cleaned_data.get("search_in")
        return queryset.filter(search_condition(self.module, value, [column] if column else None))

    def filter_letter(self, queryset, name, value):
        return queryset.filter(**{f"{self.module.title_field}__istartswith": value})


def filterset_for(module: Module) -> type[RecordFilterSet]:
    if module._filterset is None:
        meta = type("Meta", (), {"model": module.model, "fields": list(module.filter_fields)})
        module._filterset = type(
            f"{module.model.__name__}FilterSet", (RecordFilterSet,), {"Meta": meta, "module": module}
        )
    return module._filterset
