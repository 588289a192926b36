"""The list view of any module, its Columns control, and the mass actions on its selected rows."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from secondcrm.access.permissions import access_for
from secondcrm.imports.fields import may_import

from ..advanced_search import AdvancedSearch
from ..filters import ALPHABET, filterset_for
from ..models import ListColumns, SavedFilter
from ..saved_filters import saved_filter_columns, saved_filter_q, usable_filters
from ..services import record_delete
from ..sorting import list_rows
from ..tables import CappedPaginator, chosen_columns, column_choices, related_columns, table_for
from .base import ModuleMixin

PAGE_SIZES = (20, 50, 100)


class RecordListView(ModuleMixin, TemplateView):
    template_name = "generic/list.html"

    def get(self, request, *args, **kwargs):
        self.require("view")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        module, user = self.module, self.request.user
        invisible = access_for(user).field_access(module).invisible
        choices = column_choices(module, invisible)
        own_columns = chosen_columns(module, user, choices)
        saved = self._saved_filter()  # ?view=<pk>: a saved filter's condition, and its columns if it has any
        columns = (saved and saved_filter_columns(saved, module, choices)) or own_columns
        queryset = self.visible("view").select_related(*related_columns(module, columns))
        if saved:
            queryset = queryset.filter(saved_filter_q(saved, module, invisible))
        search = AdvancedSearch.from_query(module, self.request.GET, invisible)  # ?c=<field>.<operator>.<value>
        queryset = queryset.filter(search.q)
        filterset = filterset_for(module)(self.request.GET or None, queryset=queryset, request=self.request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        sort = self.request.GET.get("sort") or module.title_field
        if sort.lstrip("-") not in columns:  # only shown columns sort: an invisible one's order would reveal values
            sort = module.title_field
        table = table_for(module, [choices[name] for name in columns])(
            list_rows(rows, sort, filterset.searched), order_by=sort
        )
        per_page = _page_size(self.request.GET.get("per_page"))
        paginate = {"per_page": per_page, "paginator_class": CappedPaginator, "counted": rows}
        RequestConfig(self.request, paginate=paginate).configure(table)
        context.update(
            table=table,
            filterset=filterset,
            alphabet=ALPHABET,
            page_sizes=PAGE_SIZES,
            per_page=per_page,
            letter=self.request.GET.get("letter", ""),
            # The Columns control: the chosen columns first, in their order, then the others in layout order.
            column_options=[choices[name] for name in own_columns]
            + [s for n, s in choices.items() if n not in own_columns],
            chosen_columns=own_columns,
            saved_filters=usable_filters(module, user),
            current_view=saved,
            advanced_search=search,
            can_export=access_for(user).can(module.name, "export"),
            can_import=may_import(module, user),
            can_mass_edit=access_for(user).can(module.name, "edit"),
            can_merge=access_for(user).can(module.name, "merge"),
        )
        return context

    def _saved_filter(self) -> SavedFilter | None:
        """The saved filter chosen in the Filter menu: the user's own or a shared one; any other is 404."""
        view = self.request.GET.get("view")
        if not view:
            return None
        if not view.isdigit():
            raise Http404("No such filter.")
        return get_object_or_404(usable_filters(self.module, self.request.user), pk=int(view))


class ListColumnsView(ModuleMixin):
    """Save the columns the user ticked in the list's Columns control, or go back to the module's default.
    Names that are not offered to this user (unknown, removed, hidden or invisible fields) are ignored."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.require("view")
        module = self.module
        back = redirect("records:list", module=module.name)
        query = request.GET.copy()
        query.pop("page", None)
        if query:
            back["Location"] += f"?{query.urlencode()}"
        if request.POST.get("action") == "reset":
            ListColumns.objects.filter(user=request.user, module=module.name).delete()
            messages.success(request, "Columns reset to the default.")
            return back
        choices = column_choices(module, access_for(request.user).field_access(module).invisible)
        names = [name for name in dict.fromkeys(request.POST.getlist("columns")) if name in choices]
        if not names:
            messages.error(request, "Choose at least one column.")
            return back
        ListColumns.objects.update_or_create(user=request.user, module=module.name, defaults={"columns": names})
        messages.success(request, "Columns saved.")
        return back


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
