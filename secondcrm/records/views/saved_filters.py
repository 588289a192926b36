"""Create, edit and delete a saved filter (custom view) of a module's list.

Anyone who may view the module may save filters for themselves and share them; only the owner or an admin may
change or delete one. A filter the user may not choose (another user's private one) answers 404, like one that
does not exist; a shared filter of another user answers 403 to edit or delete."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from secondcrm.access.permissions import access_for

from ..advanced_search import AdvancedSearch
from ..models import SavedFilter
from ..saved_filters import MAX_CONDITIONS, Filterable, Operator, condition_q, date_fields, filterable_fields
from ..tables import column_choices
from .base import ModuleMixin

CONDITION_ROWS = 3
SELECT = {"class": "form-select form-select-sm"}
INPUT = {"class": "form-control form-control-sm"}


class SavedFilterForm(forms.ModelForm):
    """Name, sharing, standard date filter, all/any and the columns; the conditions come in a formset."""

    columns = forms.MultipleChoiceField(
        label="Columns",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="Leave all unticked to keep each user's own columns.",
    )
    date_field = forms.ChoiceField(label="Date field", required=False, widget=forms.Select(attrs=SELECT))

    class Meta:
        model = SavedFilter
        fields = ["name", "shared", "date_field", "date_range", "match", "columns"]
        widgets = {
            "name": forms.TextInput(attrs=INPUT),
            "shared": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "date_range": forms.Select(attrs=SELECT),
            "match": forms.Select(attrs=SELECT),
        }
        labels = {"date_range": "Date range", "match": "Match"}

    def __init__(self, *args, module, fields: dict[str, Filterable], choices: dict, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.module, self.owner = module, owner
        self.fields["columns"].choices = [(name, spec.label) for name, spec in choices.items()]
        self.fields["date_field"].choices = [("", "No date filter")] + [
            (name, field.label) for name, field in date_fields(fields).items()
        ]
        self.fields["date_range"].choices = [("", "Any time"), *SavedFilter.DateRange.choices]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = SavedFilter.objects.filter(owner=self.owner, module=self.module.name, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("You already have a filter of this name.")
        return name

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("date_field")) != bool(cleaned.get("date_range")):
            raise forms.ValidationError("Choose both a date field and a date range, or neither.")
        return cleaned


class ConditionForm(forms.Form):
    """One advanced condition: field, operator, value. A row left without a field is ignored."""

    field = forms.ChoiceField(label="Field", required=False, widget=forms.Select(attrs=SELECT))
    operator = forms.ChoiceField(
        label="Operator", choices=Operator.choices, required=False, widget=forms.Select(attrs=SELECT)
    )
    value = forms.CharField(label="Value", required=False, max_length=255, widget=forms.TextInput(attrs=INPUT))

    def __init__(self, *args, module, fields: dict[str, Filterable], **kwargs):
        super().__init__(*args, **kwargs)
        self.module, self.filterable = module, fields
        self.fields["field"].choices = [("", "---------")] + [(name, f.label) for name, f in fields.items()]

    def clean(self):
        cleaned = super().clean()
        name, op = cleaned.get("field"), cleaned.get("operator")
        if not name:
            if cleaned.get("value"):
                self.add_error("field", "Choose the field this value is for.")
            return cleaned
        try:
            condition_q(self.module, self.filterable[name], op, cleaned.get("value", ""))
        except ValueError as error:
            self.add_error("value" if op in self.filterable[name].operators else "operator", str(error))
        return cleaned

    @property
    def condition(self) -> dict | None:
        if not self.cleaned_data.get("field"):
            return None
        return {key: self.cleaned_data.get(key, "") for key in ("field", "operator", "value")}


def condition_formset(module, fields, *, data=None, initial=()):
    """The advanced conditions: the saved ones and empty rows up to three (one at least)."""
    extra = max(1, CONDITION_ROWS - len(initial))
    formset = forms.formset_factory(
        ConditionForm, extra=extra, max_num=MAX_CONDITIONS, validate_max=True, absolute_max=MAX_CONDITIONS
    )
    return formset(data, initial=list(initial), prefix="conditions", form_kwargs={"module": module, "fields": fields})


class SavedFilterFormView(ModuleMixin, TemplateView):
    """Add (``mode="add"``) or edit a saved filter; 422 with the form's errors when it does not validate."""

    template_name = "generic/saved_filter_form.html"
    mode = "add"

    def dispatch(self, request, *args, **kwargs):
        self.require("view")
        self.saved = editable_filter(self.module, request.user, kwargs["pk"]) if self.mode == "edit" else None
        self.invisible = access_for(request.user).field_access(self.module).invisible
        self.filterable = filterable_fields(self.module, self.invisible)
        self.choices = column_choices(self.module, self.invisible)
        return super().dispatch(request, *args, **kwargs)

    def forms(self, data=None):
        instance = self.saved or SavedFilter(owner=self.request.user, module=self.module.name)
        owner = instance.owner
        if self.saved:
            initial = [c for c in self.saved.conditions if c.get("field") in self.filterable]
        else:  # "Save as filter" on an advanced search's results: its conditions and match, prefilled
            search = AdvancedSearch.from_query(self.module, self.request.GET, self.invisible)
            instance.match, initial = search.match, search.rows
        form = SavedFilterForm(
            data, instance=instance, module=self.module, fields=self.filterable, choices=self.choices, owner=owner
        )
        return form, condition_formset(self.module, self.filterable, data=data, initial=initial)

    def get(self, request, *args, **kwargs):
        form, conditions = self.forms()
        return self.render_to_response(self.get_context_data(form=form, conditions=conditions))

    def post(self, request, *args, **kwargs):
        form, conditions = self.forms(request.POST)
        if not (form.is_valid() and conditions.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, conditions=conditions), status=422)
        saved = form.save(commit=False)
        saved.conditions = [f.condition for f in conditions if f.condition]
        saved.save()
        messages.success(request, f"Filter “{saved.name}” saved.")
        return redirect(f"{reverse('records:list', args=[self.module.name])}?view={saved.pk}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(saved_filter=self.saved, title="Edit Filter" if self.saved else "Create Filter")
        return context


class SavedFilterDeleteView(ModuleMixin):
    """Delete a saved filter (owner or admin), back to the list without a filter."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.require("view")
        saved = editable_filter(self.module, request.user, kwargs["pk"])
        saved.delete()
        messages.success(request, f"Filter “{saved.name}” deleted.")
        return redirect("records:list", module=self.module.name)


def editable_filter(module, user, pk: int) -> SavedFilter:
    """The filter ``pk`` of ``module`` if ``user`` may change it: 404 when they may not even choose it (an admin
    may reach every filter), 403 when it is another user's shared filter."""
    found = SavedFilter.objects.filter(module=module.name)
    if not user.is_superuser:
        found = found.filter(Q(owner=user) | Q(shared=True))
    saved = get_object_or_404(found, pk=pk)
    if saved.owner_id != user.pk and not user.is_superuser:
        raise PermissionDenied("Only the owner of this filter or an admin may change it.")
    return saved
