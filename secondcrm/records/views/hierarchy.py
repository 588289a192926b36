"""The hierarchy of a module with a self-reference: "Member of" for accounts, "Reports To" for contacts."""

from django.http import Http404
from django.views.generic import TemplateView

from .base import ModuleMixin

MAX_DEPTH = 20  # deeper trees are cut off; cycles are refused on save, this guards old data


class HierarchyView(ModuleMixin, TemplateView):
    template_name = "generic/hierarchy.html"

    def get_context_data(self, **kwargs):
        if not self.module.hierarchy_field:
            raise Http404("This module has no hierarchy.")
        context = super().get_context_data(**kwargs)
        record = self.get_record("view")
        context.update(record=record, rows=self.tree_rows(record), field_label=self.parent_label())
        return context

    def parent_label(self) -> str:
        return self.module.model._meta.get_field(self.module.hierarchy_field).verbose_name

    def tree_rows(self, record) -> list[tuple[int, object]]:
        """(depth, record) rows from the top of the tree down, visible records only, one query a level."""
        field = self.module.hierarchy_field
        visible = self.visible("view")
        root, seen = record, {record.pk}
        for _ in range(MAX_DEPTH):
            parent = visible.filter(pk=getattr(root, f"{field}_id")).first()
            if parent is None or parent.pk in seen:
                break
            root = parent
            seen.add(parent.pk)
        level, seen = [root], {root.pk}
        children_of: dict[int, list] = {}
        for _ in range(MAX_DEPTH):
            children = [
                c
                for c in visible.filter(**{f"{field}__in": level}).order_by(self.module.title_field)
                if c.pk not in seen
            ]
            if not children:
                break
            for child in children:
                children_of.setdefault(getattr(child, f"{field}_id"), []).append(child)
                seen.add(child.pk)
            level = children
        return self._flatten(root, children_of, 0, [])

    def _flatten(self, node, children_of, depth, rows):
        rows.append((depth, node))
        for child in children_of.get(node.pk, []):
            self._flatten(child, children_of, depth + 1, rows)
        return rows
