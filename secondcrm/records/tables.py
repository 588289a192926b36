"""List view tables, generated from each module's ``list_fields``."""

import django_tables2 as tables

from .registry import Module


class RecordTable(tables.Table):
    """Row selection first, the record's title links to its detail view."""

    selection = tables.CheckBoxColumn(
        accessor="pk",
        orderable=False,
        attrs={
            "th__input": {"aria-label": "Select all", "data-select-all": ""},
            "td__input": {"aria-label": "Select row", "form": "mass-action"},
        },
    )

    class Meta:
        attrs = {"class": "table table-hover table-sm align-middle record-list"}
        order_by_field = "sort"
        empty_text = "No records found."


_tables: dict[str, type[RecordTable]] = {}


def table_for(module: Module) -> type[RecordTable]:
    """A table class with the module's list columns; the title column links to the record."""
    if module.name not in _tables:
        _tables[module.name] = _build_table(module)
    return _tables[module.name]


def _build_table(module: Module) -> type[RecordTable]:
    columns = {}
    for name in module.list_fields:
        if name == module.title_field:
            columns[name] = tables.Column(linkify=True)
        elif name == "assigned_to":
            columns[name] = tables.Column(
                "Assigned To", accessor="assigned_to", order_by=("assigned_user__username", "assigned_group__name")
            )
    model_fields = tuple(name for name in module.list_fields if name not in columns)
    meta = type(
        "Meta",
        (RecordTable.Meta,),
        {
            "model": module.model,
            "fields": model_fields,
            "sequence": ("selection", *module.list_fields),
        },
    )
    return type(f"{module.model.__name__}Table", (RecordTable,), {"Meta": meta, **columns})
