"""The list view of any module, and the mass actions on its selected rows."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from secondcrm.access.permissions import access_for

from ..filters import ALPHABET, filterset_for
from ..services import record_delete
from ..tables import table_for
from .base import ModuleMixin

PAGE_SIZES = (20, 50, 100)


class RecordListView(ModuleMixin, TemplateView):
    template_name = "generic/list.html"

    def get(self, request, *args, **kwargs):
        self.require("view")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        module = self.module
        queryset = self.visible("view").select_related("assigned_user", "assigned_group")
        filterset = filterset_for(module)(self.request.GET or None, queryset=queryset, request=self.request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        invisible = access_for(self.request.user).field_access(module).invisible
        sort = self.request.GET.get("sort") or module.title_field
        if sort.lstrip("-") in invisible:  # sorting by a hidden column would reveal its order
            sort = module.title_field
        table = table_for(module)(rows, order_by=sort, exclude=tuple(invisible))
        per_page = _page_size(self.request.GET.get("per_page"))
        RequestConfig(self.request, paginate={"per_page": per_page}).configure(table)
        context.update(
            table=table,
            filterset=filterset,
            alphabet=ALPHABET,
            page_sizes=PAGE_SIZES,
            per_page=per_page,
            letter=self.request.GET.get("letter", ""),
        )
        return context


def _page_size(value: str | None) -> int:
    try:
        size = int(value or PAGE_SIZES[0])
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


class MassDeleteView(ModuleMixin):
    """Delete the selected rows (to the Recycle Bin): only those the user may delete."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        ids = [int(pk) for pk in request.POST.getlist("selection") if pk.isdigit()]
        if not ids:
            messages.warning(request, "Select at least one record first.")
            return redirect("records:list", module=self.module.name)
        deletable = list(self.visible("delete").filter(pk__in=ids))
        for record in deletable:
            record_delete(record=record, acting_user=request.user)
        skipped = len(ids) - len(deletable)
        messages.success(request, f"Moved {len(deletable)} {self.module.label.lower()} to the Recycle Bin.")
        if skipped:
            messages.warning(request, f"{skipped} selected records could not be deleted: you may not delete them.")
        return redirect("records:list", module=self.module.name)
