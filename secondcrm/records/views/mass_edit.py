"""Mass Edit: one value into one field of the rows selected on a list.

Each record is saved through its module's own form narrowed to the chosen field, and the platform's
``record_save``, so field access, picklists, validation, the Updates history and the visibility re-check
apply exactly as on the edit page. All records change in one transaction: one record refusing the value
leaves every record as it was."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.views.generic import TemplateView

from ..models import Record
from ..registry import Module
from ..services import OutOfReach, record_save
from .base import ModuleMixin

# The page's own inputs carry a prefix so that they never meet the name of a field of the module's form.
FIELD = "mass_edit_field"  # the field chosen in the select
SHOWN = "mass_edit_shown"  # the field whose input the page showed: the posted value belongs to it
STEP = "mass_edit_step"  # "choose" shows the chosen field's input, "apply" saves


def mass_editable_fields(module: Module, user) -> dict[str, str]:
    """Name → label of the fields the user may write, in form order. The form has already dropped hidden
    and invisible fields; read-only ones are disabled. File uploads are left out: one upload cannot be
    stored as the file of many records."""
    form = module.form(user=user)
    return {
        name: field.label
        for name, field in form.fields.items()
        if not field.disabled and not isinstance(field, forms.FileField)
    }


class ValueRefused(Exception):
    """A record's form did not accept the value; it carries that form, errors and all."""

    def __init__(self, record: Record, form):
        super().__init__(str(record))
        self.record, self.form = record, form


class MassEditView(ModuleMixin, TemplateView):
    """The Mass Edit page, reached from the list's Actions menu with the selected rows: choose a field,
    enter the value with the field's own input, and update every selected record the user may edit."""

    template_name = "generic/mass_edit.html"

    def get(self, request, *args, **kwargs):
        # The page only makes sense with a selection, which the list posts; an address-bar visit goes back.
        self.require("edit")
        messages.warning(request, "Select the records to edit on the list first.")
        return redirect("records:list", module=self.module.name)

    def post(self, request, *args, **kwargs):
        self.require("edit")
        self.selection = list(dict.fromkeys(int(pk) for pk in request.POST.getlist("selection") if pk.isdigit()))
        if not self.selection:
            messages.warning(request, "Select at least one record first.")
            return redirect("records:list", module=self.module.name)
        self.choices = mass_editable_fields(self.module, request.user)
        name = request.POST.get(FIELD, "")
        if name and name not in self.choices:
            return self.render_page(error="Choose one of the fields offered: you may not change that one.", status=422)
        if not name:
            return self.render_page()
        if request.POST.get(STEP) != "apply" or request.POST.get(SHOWN) != name:
            # Choosing a field (or changing it without pressing Choose) shows its input; nothing is saved yet.
            return self.render_page(form=self.value_form(name), name=name)
        return self.apply(name)

    def value_form(self, name: str, data=None, instance: Record | None = None):
        return self.module.form(data, instance=instance, user=self.request.user, only_fields=[name])

    def apply(self, name: str):
        module, user = self.module, self.request.user
        records = list(self.visible("edit").filter(pk__in=self.selection).order_by("pk"))
        try:
            with transaction.atomic():
                for record in records:
                    form = self.value_form(name, self.request.POST, record)
                    if not form.is_valid():
                        raise ValueRefused(record, form)
                    record_save(form=form, acting_user=user)
        except ValueRefused as refused:
            error = "Please correct the value; nothing was saved."
            if refused.record != records[0]:  # valid for some records: say which one refused it
                error = f"{module.singular} {refused.record} cannot take this value; nothing was saved."
            return self.render_page(form=refused.form, name=name, error=error, status=422)
        except OutOfReach:
            error = (
                f"You could no longer see some of these {module.label.lower()} after this change; nothing was saved."
            )
            return self.render_page(form=self.value_form(name, self.request.POST), name=name, error=error, status=422)
        updated = len(records)
        skipped = len(self.selection) - updated
        noun = module.singular.lower() if updated == 1 else module.label.lower()
        if skipped:
            messages.warning(
                self.request, f"Updated {updated} {noun}; {skipped} could not be changed: you may not edit them."
            )
        else:
            messages.success(self.request, f"Updated {updated} {noun}.")
        return redirect("records:list", module=module.name)

    def render_page(self, form=None, name: str = "", error: str = "", status: int = 200):
        context = self.get_context_data(
            selection=self.selection,
            choices=self.choices.items(),
            chosen=name,
            form=form,
            field=form[name] if form is not None and name in form.fields else None,
            error=error,
            names={"field": FIELD, "shown": SHOWN, "step": STEP},
        )
        return self.render_to_response(context, status=status)
