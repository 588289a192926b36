"""Settings > Audit Trail: every recorded user action, newest first, filterable, with links to the records
that still exist."""

from collections import defaultdict

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from secondcrm.access.models import AuditEntry
from secondcrm.records.registry import registry

from ..mixins import AdminRequiredMixin
from .forms import AuditFilterForm

PAGE_SIZE = 50


class AuditTrailView(AdminRequiredMixin, TemplateView):
    """The list with its filters; bad filter input shows its errors (422) instead of an unfiltered list."""

    template_name = "settings_admin/audit/trail.html"

    def get(self, request, *args, **kwargs):
        form = AuditFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, page=None), status=422)
        entries = form.filter(AuditEntry.objects.all()) if form.is_bound else AuditEntry.objects.all()
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        keep = request.GET.copy()
        keep.pop("page", None)
        context = self.get_context_data(
            form=form,
            page=page,
            rows=with_record_links(page.object_list),
            extra=f"&{keep.urlencode()}" if keep else "",
        )
        return self.render_to_response(context)


def with_record_links(entries) -> list[tuple[AuditEntry, str, str]]:
    """(entry, module label, URL of its record or "") for each entry: a link only to a record that still
    exists outside the Recycle Bin, found with one query per module on the page."""
    entries = list(entries)
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.record_id and entry.module in registry:
            wanted[entry.module].add(entry.record_id)
    existing = {
        name: {
            pk: record.get_absolute_url()
            for pk, record in registry.get(name).model.objects.only("pk").in_bulk(ids).items()
        }
        for name, ids in wanted.items()
    }
    return [
        (
            entry,
            registry.get(entry.module).label if entry.module in registry else entry.module,
            existing.get(entry.module, {}).get(entry.record_id, ""),
        )
        for entry in entries
    ]
