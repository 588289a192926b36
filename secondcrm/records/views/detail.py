"""The detail view: summary, full details in blocks, related lists, and the platform's panels."""

from functools import cached_property

from django.views.generic import TemplateView

from secondcrm.access.permissions import access_for

from ..arrangement import BlockSpec, module_layout
from ..display import field_display, field_label
from ..layout import detail_blocks, shown_references, summary_values
from ..registry import registry
from ..tables import related_columns
from .base import ModuleMixin
from .edit import editable_fields

# A related list shows this many of its records, and says how many there are when there are more.
RELATED_ROWS = 100


class RecordDetailView(ModuleMixin, TemplateView):
    template_name = "generic/detail.html"

    @cached_property
    def layout(self) -> list[BlockSpec]:
        return module_layout(self.module)

    def visible(self, action: str = "view"):
        # The records the page names (owner, creator, references) come with the record, not with queries of their own.
        return super().visible(action).select_related(*shown_references(self.module, self.layout))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.get_record("view", rights=("edit", "delete"))
        user = self.request.user
        editable = editable_fields(self.module, user) if record.may_edit else set()
        access = access_for(user)
        invisible = access.field_access(self.module).invisible
        context.update(
            record=record,
            title=str(record),
            summary=summary_values(record, self.layout, editable, invisible),
            blocks=detail_blocks(record, self.layout, editable, invisible),
            related_lists=[
                related_list_context(record, related, user)
                for related in self.module.related
                if access.can(related.related_model.module.name, "view")
            ],
            panels=[(panel, panel.context(record, self.request)) for panel in registry.panels],
            can_edit=record.may_edit,
            can_delete=record.may_delete,
            tags=sorted(record.tags.names(), key=str.lower),
        )
        return context


def related_list_context(record, related, user) -> dict:
    """Rows of a related list, read through the related module's visibility."""
    model = related.related_model
    access = access_for(user).field_access(model.module)
    columns = [name for name in related.columns if access.visible(name)]
    records = (
        model.objects.visible_to(user, "view")
        .filter(**{related.field: record})
        .select_related(*related_columns(model.module, columns))  # a linked record's name without a query a row
        .order_by(model.module.title_field)
    )
    rows = list(records[:RELATED_ROWS])
    return {
        "related": related,
        "module": model.module,
        "columns": [field_label(model._meta.get_field(name)) for name in columns],
        "rows": [(row, [field_display(row, name) for name in columns]) for row in rows],
        # Counted only when the list is cut short: a list that fits is its own count.
        "count": records.count() if len(rows) == RELATED_ROWS else len(rows),
        "add_query": f"{related.field}={record.pk}",
    }
