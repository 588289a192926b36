"""The Export page of any module: choose the records (all, the list's current filter, or the selected rows),
the columns and the format, and download a CSV or Excel file.

The list's Actions → Export posts the list's selected rows here, with the list's query string in the URL; the
page keeps that query string, so "the current filter" is the one the user was looking at."""

from django import forms
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from ..export import Format, Scope, csv_lines, export_choices, export_columns, export_queryset, export_rows, xlsx_file
from ..tables import chosen_columns
from .base import ModuleMixin

# Query parameters of the list that do not narrow its records.
LIST_ONLY_PARAMETERS = ("page", "per_page", "sort")


class SelectionField(forms.Field):
    """The ids of the rows ticked in the list; anything that is not an id is ignored."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        return list(dict.fromkeys(int(item) for item in (value or ()) if str(item).isdigit()))


class ExportForm(forms.Form):
    """What to export: records, columns (only those the user may see) and format."""

    scope = forms.ChoiceField(label="Records", choices=Scope.CHOICES, widget=forms.RadioSelect)
    columns = forms.MultipleChoiceField(
        label="Columns", widget=forms.CheckboxSelectMultiple, error_messages={"required": "Choose at least one column."}
    )
    format = forms.ChoiceField(label="Format", choices=Format.CHOICES, widget=forms.RadioSelect, initial=Format.CSV)
    selection = SelectionField(required=False)

    def __init__(self, *args, column_labels: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"].choices = column_labels

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == Scope.SELECTED and not cleaned.get("selection"):
            self.add_error("scope", "No records are selected: tick the rows in the list first, or export all.")
        return cleaned


class ExportView(ModuleMixin, TemplateView):
    """GET shows the form; a POST from the list (no ``export`` button) shows it with the list's selection; a
    POST with ``export`` downloads the file, or shows the form's errors (422)."""

    template_name = "generic/export.html"

    def dispatch(self, request, *args, **kwargs):
        # Sign-in is enforced by LoginRequiredMiddleware before any view runs.
        self.require("view")
        self.require("export")
        self.choices = export_choices(self.module, request.user)
        return super().dispatch(request, *args, **kwargs)

    @property
    def list_query(self):
        query = self.request.GET.copy()
        for name in LIST_ONLY_PARAMETERS:
            query.pop(name, None)
        return query

    def build_form(self, data=None) -> ExportForm:
        module, user = self.module, self.request.user
        default_columns = chosen_columns(module, user, self.choices)
        selection = SelectionField(required=False).to_python(self.request.POST.getlist("selection"))
        # The list's columns first, in the list's order, then the rest in layout order.
        names = default_columns + [name for name in self.choices if name not in default_columns]
        scope = Scope.SELECTED if selection else (Scope.FILTER if self.list_query else Scope.ALL)
        return ExportForm(
            data,
            column_labels=[(name, self.choices[name].label) for name in names],
            initial={"scope": scope, "columns": default_columns, "format": Format.CSV, "selection": selection},
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.build_form()))

    def post(self, request, *args, **kwargs):
        if "export" not in request.POST:
            return self.get(request, *args, **kwargs)
        form = self.build_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        return self.download(form.cleaned_data)

    def download(self, data: dict):
        module, user = self.module, self.request.user
        records = export_queryset(
            module,
            user,
            scope=data["scope"],
            query=self.list_query,
            selection=data["selection"],
            request=self.request,
        )
        columns = export_columns(module, [self.choices[name] for name in dict.fromkeys(data["columns"])])
        rows = export_rows(module, records, columns)
        filename = f"{module.name}-{timezone.localdate().isoformat()}.{data['format']}"
        if data["format"] == Format.XLSX:
            return FileResponse(
                xlsx_file(columns, rows),
                as_attachment=True,
                filename=filename,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response = StreamingHttpResponse(csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["list_query"] = self.request.GET.urlencode()
        return context
