"""Create, edit, duplicate, quick create and inline edit: one form flow for every module."""

from collections.abc import Sequence

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.generic import TemplateView

from secondcrm.access.permissions import access_for

from ..arrangement import custom_fields
from ..forms import AssignedToField
from ..layout import field_value, form_blocks
from ..models import Record
from ..services import OutOfReach, record_save
from .base import ModuleMixin


def editable_fields(module, user) -> set[str]:
    """Fields the user may change on the module's records: the form's, less those their profiles or the
    organization's field access keep from them."""
    custom = [definition.name for definition in custom_fields(module)]
    access = access_for(user).field_access(module)
    return {name for name in (*module.form._meta.fields, "assigned_to", *custom) if access.writable(name)}


def save_form(request, form) -> Record | None:
    """Validate and save ``form``; on failure the errors are on the form and nothing was saved."""
    if not form.is_valid():
        return None
    try:
        return record_save(form=form, acting_user=request.user)
    except OutOfReach as error:
        form.add_error(None, str(error))
        return None


class RecordFormView(ModuleMixin, TemplateView):
    """The full create/edit page with every field in its block."""

    template_name = "generic/edit.html"
    mode = "edit"  # "add", "edit" or "duplicate"

    def dispatch(self, request, *args, **kwargs):
        if self.mode != "edit":
            self.require("create")
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self) -> Record:
        return self.get_record("edit") if self.mode == "edit" else self.module.model()

    def get_initial(self) -> dict:
        if self.mode == "duplicate":
            source = self.get_record("view")
            initial = model_to_dict(source, fields=self.module.form._meta.fields)
            initial.update(source.custom)
            initial["assigned_to"] = AssignedToField.value_for(source)
            return initial
        if self.mode == "add":
            # Prefill from the query string: "Add Contact" on an account passes ?account=<pk>. A field the
            # user may not write is not prefilled: its disabled input would save the prefilled value.
            writable = editable_fields(self.module, self.request.user)
            return {key: value for key, value in self.request.GET.items() if key in writable}
        return {}

    def get_form(self, only_fields=None):
        data = (self.request.POST, self.request.FILES) if self.request.method == "POST" else (None, None)
        return self.module.form(
            *data,
            instance=self.get_instance(),
            initial=self.get_initial(),
            user=self.request.user,
            only_fields=only_fields,
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        record = save_form(request, form)
        if record is None:
            return self.render_form(form, status=422 if not request.htmx else 200)
        verb = "updated" if self.mode == "edit" else "created"
        messages.success(request, f"{self.module.singular} {record} {verb}.")
        return redirect(record)

    def render_form(self, form, status: int = 200):
        context = self.get_context_data(form=form, blocks=form_blocks(form), mode=self.mode)
        if self.mode == "edit":
            context["record"] = form.instance
        return self.render_to_response(context, status=status)


class QuickCreateView(RecordFormView):
    """The Quick Create dialog: the mandatory fields (and any the module names) in one short form."""

    template_name = "generic/quick_create.html"
    mode = "add"

    def get_form(self, only_fields=None):
        full = self.module.form(user=self.request.user)
        names = [name for name, field in full.fields.items() if field.required]
        names += [name for name in self.module.quick_create_fields if name not in names]
        return super().get_form(only_fields=names)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        record = save_form(request, form)
        if record is None:
            return self.render_form(form)
        messages.success(request, f"{self.module.singular} {record} created.")
        response = HttpResponse(status=204)
        response["HX-Redirect"] = record.get_absolute_url()
        return response if request.htmx else redirect(record)


class InlineEditView(ModuleMixin, TemplateView):
    """Edit one field in place on the detail view (htmx): GET the input, POST the value."""

    template_name = "generic/htmx/inline_edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.field_name = kwargs["field"]
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, record):
        data = self.request.POST if self.request.method == "POST" else None
        return self.module.form(data, instance=record, user=self.request.user, only_fields=[self.field_name])

    def get(self, request, *args, **kwargs):
        record = self.get_record("edit")
        if "cancel" in request.GET:
            return self.render_value(record)
        form = self.get_form(record)
        if self.field_name not in form.fields or form.fields[self.field_name].disabled:
            return HttpResponse("This field cannot be edited here.", status=400)
        return self.render_to_response({"record": record, "form": form, "field": form[self.field_name]})

    def post(self, request, *args, **kwargs):
        record = self.get_record("edit")
        form = self.get_form(record)
        if self.field_name not in form.fields or form.fields[self.field_name].disabled:
            return HttpResponse("This field cannot be edited here.", status=400)
        saved = save_form(request, form)
        if saved is None:
            return self.render_to_response({"record": record, "form": form, "field": form[self.field_name]})
        response = self.render_value(saved, twins=self.twin_ids())
        response["HX-Trigger"] = "recordChanged"
        return response

    def twin_ids(self) -> list[str]:
        """The other places the detail view shows this field (Summary and Details can both show it), so
        that a value saved on one tab does not stay stale on the other."""
        ids = [f"field-{self.field_name}-details"]
        if self.field_name in self.module.summary_fields:
            ids.append(f"field-{self.field_name}")
        return [twin for twin in ids if twin != self.request.htmx.target]

    def render_value(self, record, twins: Sequence[str] = ()):
        record = self.visible("view").get(pk=record.pk)  # fresh, with display values as stored
        value = field_value(record, self.field_name, editable_fields(self.module, self.request.user))
        context = {"record": record, "value": value, "twins": twins}
        return render(self.request, "generic/htmx/field_saved.html", context)
