"""The Advanced Search page: conditions on the fields of one module, whose results are that module's list.

The condition rows are the saved filters' (same fields, operators and messages). A valid search redirects to the
list with its conditions in the query string (``secondcrm.records.advanced_search``), where paging, sorting,
columns, mass actions and Export apply to the result. Choosing another module swaps the rows for ones over its
fields, keeping the conditions on fields it has too; "Add condition" adds a row, up to ten. Both re-render the
rows (htmx), or the whole page without JavaScript."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from secondcrm.access.permissions import access_for

from ..advanced_search import AdvancedSearch, search_query
from ..models import SavedFilter
from ..registry import Module, registry
from ..saved_filters import MAX_CONDITIONS, filterable_fields
from ..search import searchable_modules
from .saved_filters import SELECT, condition_formset

ROW_FIELDS = ("field", "operator", "value")


class AdvancedSearchForm(forms.Form):
    """The module to search and how its conditions join; the conditions come in a formset."""

    module = forms.ChoiceField(label="Search in", widget=forms.Select(attrs=SELECT))
    match = forms.ChoiceField(label="Match", choices=SavedFilter.Match.choices, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, modules: list[Module], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [(module.name, module.label) for module in modules]


class AdvancedSearchView(TemplateView):
    """GET shows the form, for ``?module=`` (prefilled from an advanced search's ``c`` and ``match``, as the
    list's "Edit search" link sends them); POST searches (a redirect to the results, or 422 with the errors), or,
    with ``action`` "refresh" or "add", re-renders the rows for the chosen module or with one more row."""

    template_name = "generic/advanced_search.html"
    rows_template_name = "generic/htmx/advanced_search_conditions.html"

    def dispatch(self, request, *args, **kwargs):
        self.modules = searchable_modules(request.user)
        return super().dispatch(request, *args, **kwargs)

    def chosen_module(self, name: str | None) -> Module:
        """The module named ``name``, or the first the user may view when none is: 404 when no module has that
        name, 403 when the user may not view it."""
        if name and name not in registry:
            raise Http404("No such module.")
        module = registry.get(name) if name else next(iter(self.modules), None)
        if module is None or module.name not in {m.name for m in self.modules}:
            raise PermissionDenied(f"You may not view {module.label.lower() if module else 'any module'}.")
        return module

    def get(self, request, *args, **kwargs):
        module = self.chosen_module(request.GET.get("module"))
        search = AdvancedSearch.from_query(module, request.GET, self.invisible(module))
        form = AdvancedSearchForm(modules=self.modules, initial={"module": module.name, "match": search.match})
        return self.show(module, form, search.rows)

    def post(self, request, *args, **kwargs):
        module = self.chosen_module(request.POST.get("module"))
        fields = filterable_fields(module, self.invisible(module))
        action = request.POST.get("action")
        if action in ("refresh", "add"):
            rows = self.posted_rows(module, fields)
            if action == "refresh":  # another module: keep the conditions on fields it has too
                rows = [row for row in rows if row["field"] in fields]
            initial = {"module": module.name, "match": request.POST.get("match")}
            return self.show(module, AdvancedSearchForm(modules=self.modules, initial=initial), rows, fields)
        form = AdvancedSearchForm(request.POST, modules=self.modules)
        conditions = condition_formset(module, fields, data=request.POST)
        problem = ""
        if form.is_valid() and conditions.is_valid():
            rows = [row.condition for row in conditions if row.condition]
            if rows:
                query = search_query(rows, form.cleaned_data["match"])
                return redirect(f"{reverse('records:list', args=[module.name])}?{query}")
            problem = "Choose a field for at least one condition."
        context = self.get_context_data(module=module, form=form, conditions=conditions, problem=problem)
        return self.render_to_response(context, status=422)

    def invisible(self, module: Module) -> frozenset:
        return access_for(self.request.user).field_access(module).invisible

    def posted_rows(self, module: Module, fields) -> list[dict]:
        """The condition rows as posted, unchecked: the search is not run, only shown again."""
        posted = condition_formset(module, fields, data=self.request.POST)
        return [{name: row[name].value() or "" for name in ROW_FIELDS} for row in posted]

    def show(self, module: Module, form: AdvancedSearchForm, rows: list[dict], fields=None):
        fields = fields if fields is not None else filterable_fields(module, self.invisible(module))
        conditions = condition_formset(module, fields, initial=rows)
        return self.render_to_response(self.get_context_data(module=module, form=form, conditions=conditions))

    def get_template_names(self) -> list[str]:
        return [self.rows_template_name if self.request.headers.get("HX-Request") else self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = context["conditions"].total_form_count() < MAX_CONDITIONS
        return context
