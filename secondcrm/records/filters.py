"""List filters: "Search for <text> in <column>", the alphabetical filter, and declared column filters."""

import django_filters
from django import forms
from django.db.models import Q

from secondcrm.access.permissions import access_for

from .display import field_label
from .registry import Module

ALPHABET = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def search_condition(module: Module, value: str, columns: list[str] | None = None, invisible=frozenset()) -> Q:
    """Records whose ``columns`` (the module's search fields when not given) contain ``value``; never a
    column in ``invisible``, or a search could reveal a value its user may not see."""
    searchable = [c for c in module.search_fields if c not in invisible]
    columns = [c for c in columns or () if c in searchable] or searchable
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
        self.invisible = access_for(self.request.user).field_access(self.module).invisible
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

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_search

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        column = self.form.cleaned_data.get("search_in")
        return queryset.filter(search_condition(self.module, value, [column] if column else None, self.invisible))

    def filter_letter(self, queryset, name, value):
        return queryset.filter(**{f"{self.module.title_field}__istartswith": value})


def filterset_for(module: Module) -> type[RecordFilterSet]:
    if module._filterset is None:
        meta = type("Meta", (), {"model": module.model, "fields": list(module.filter_fields)})
        module._filterset = type(
            f"{module.model.__name__}FilterSet", (RecordFilterSet,), {"Meta": meta, "module": module}
        )
    return module._filterset
