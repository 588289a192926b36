"""The Export page of any module: choose the records (all, the list's current filter, or the selected rows),
the columns and the format, and download a CSV, Excel or PDF file. For a PDF, a template (title, orientation,
company logo, columns) can be applied to the form, saved from it, or deleted by its owner.

The list's Actions → Export posts the list's selected rows here, with the list's query string in the URL; the
page keeps that query string, so "the current filter" is the one the user was looking at."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from ..export import Format, Scope, csv_lines, export_choices, export_columns, export_queryset, export_rows, xlsx_file
from ..pdf_export import PdfOptionsForm, TooManyRows, own_template, pdf_document, template_save, usable_templates
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

    def build_form(self, data=None, **overrides) -> ExportForm:
        module, user = self.module, self.request.user
        default_columns = chosen_columns(module, user, self.choices)
        selection = SelectionField(required=False).to_python(self.request.POST.getlist("selection"))
        # The list's columns first, in the list's order, then the rest in layout order.
        names = default_columns + [name for name in self.choices if name not in default_columns]
        scope = Scope.SELECTED if selection else (Scope.FILTER if self.list_query else Scope.ALL)
        initial = {"scope": scope, "columns": default_columns, "format": Format.CSV, "selection": selection}
        return ExportForm(
            data, column_labels=[(name, self.choices[name].label) for name in names], initial={**initial, **overrides}
        )

    def build_pdf_form(self, data=None, **initial) -> PdfOptionsForm:
        initial = {"title": self.module.label, **initial}
        return PdfOptionsForm(data, module=self.module, user=self.request.user, initial=initial)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.build_form(), self.build_pdf_form())

    def post(self, request, *args, **kwargs):
        if "apply_template" in request.POST:
            return self.apply_template()
        if "delete_template" in request.POST:
            return self.delete_template()
        if "export" not in request.POST:
            return self.get(request, *args, **kwargs)
        form, pdf_form = self.build_form(request.POST), self.build_pdf_form(request.POST)
        if not form.is_valid() or (form.cleaned_data["format"] == Format.PDF and not pdf_form.is_valid()):
            return self.render_form(form, pdf_form, status=422)
        if form.cleaned_data["format"] == Format.PDF:
            return self.download_pdf(form, pdf_form)
        return self.download(form.cleaned_data)

    def render_form(self, form: ExportForm, pdf_form: PdfOptionsForm, status: int = 200):
        return self.render_to_response(self.get_context_data(form=form, pdf_form=pdf_form), status=status)

    def posted_template_pk(self) -> int:
        """The template chosen in the PDF part of the form; 0, which names none, when it is not a number."""
        value = self.request.POST.get(f"{PdfOptionsForm.prefix}-template", "")
        return int(value) if value.isdigit() else 0

    def reshown_form(self, **overrides) -> ExportForm:
        """The export form again with the records, columns and format as posted, and ``overrides``."""
        post = self.request.POST
        posted = {"scope": post.get("scope"), "format": post.get("format"), "columns": post.getlist("columns")}
        return self.build_form(**{**{name: value for name, value in posted.items() if value}, **overrides})

    def apply_template(self):
        """The form again with the template's title, orientation, logo and columns (those of them the user may
        see) filled in."""
        template = get_object_or_404(usable_templates(self.module, self.request.user), pk=self.posted_template_pk())
        columns = [name for name in template.columns if name in self.choices]
        form = self.reshown_form(format=Format.PDF, **({"columns": columns} if columns else {}))
        return self.render_form(form, self.build_pdf_form(**PdfOptionsForm.initial_from(template)))

    def delete_template(self):
        template = own_template(self.module, self.request.user, self.posted_template_pk())
        template.delete()
        messages.success(self.request, f"Template “{template.name}” deleted.")
        return self.render_form(self.reshown_form(format=Format.PDF), self.build_pdf_form())

    def records_and_columns(self, data: dict):
        """The records and columns of a valid export form, the same for every format."""
        module = self.module
        records = export_queryset(
            module,
            self.request.user,
            scope=data["scope"],
            query=self.list_query,
            selection=data["selection"],
            request=self.request,
        )
        return records, export_columns(module, [self.choices[name] for name in dict.fromkeys(data["columns"])])

    def download_pdf(self, form: ExportForm, pdf_form: PdfOptionsForm):
        """The PDF; saves the choices as a template first when a name is given. Past the row limit, the form
        again with the reason (422)."""
        layout, name = pdf_form.layout(), pdf_form.cleaned_data["save_as"]
        records, columns = self.records_and_columns(form.cleaned_data)
        if name:
            shared = pdf_form.cleaned_data["shared"]
            saved = template_save(
                module=self.module,
                owner=self.request.user,
                name=name,
                shared=shared,
                layout=layout,
                columns=[column.name for column in columns],
            )
            messages.success(self.request, f"Template “{saved.name}” saved.")
        try:
            content = pdf_document(self.module, records, columns, layout, self.request.user)
        except TooManyRows as refused:
            form.add_error(None, str(refused))
            return self.render_form(form, pdf_form, status=422)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{self.filename(Format.PDF)}"'
        return response

    def filename(self, extension: str) -> str:
        return f"{self.module.name}-{timezone.localdate().isoformat()}.{extension}"

    def download(self, data: dict):
        records, columns = self.records_and_columns(data)
        rows = export_rows(self.module, records, columns)
        filename = self.filename(data["format"])
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
