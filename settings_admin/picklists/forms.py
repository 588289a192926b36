"""Forms of Settings > Picklist Editor: which picklist and role to show, a value to add or rename, the value
that replaces a deleted one, and the values a role may pick."""

from django import forms

from secondcrm.access.models import Role
from secondcrm.picklists.choices import Picklist, picklist_modules, picklists
from secondcrm.picklists.models import PicklistValue
from secondcrm.picklists.services import clean_value
from secondcrm.records.registry import registry

INDENT = "\u2003"  # an em space: keeps its width inside <option>, where leading spaces are dropped
ALL_ROLES = ""


class PicklistChooserForm(forms.Form):
    """Module, then field, then role ("All Roles" to manage the values themselves). A field that is not one
    of the chosen module's picklists (the module was just changed) falls back to the module's first one."""

    module = forms.ChoiceField(label="Module", widget=forms.Select(attrs={"class": "form-select"}))
    field = forms.ChoiceField(label="Field", widget=forms.Select(attrs={"class": "form-select"}))
    role = forms.ChoiceField(label="Role", required=False, widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, data):
        modules = picklist_modules()
        self.fields_of = {}
        data = data.copy()
        names = [m.name for m in modules]
        data["module"] = data.get("module") or (names[0] if names else "")
        if data["module"] in names:
            self.fields_of = {p.name: p for p in picklists(data["module"])}
            if data.get("field") not in self.fields_of:
                data["field"] = next(iter(self.fields_of), "")
        super().__init__(data)
        self.fields["module"].choices = [(m.name, m.label) for m in modules]
        self.fields["field"].choices = [(p.name, p.label) for p in self.fields_of.values()]
        self.fields["role"].choices = [(ALL_ROLES, "All Roles")] + [
            (str(role.pk), f"{INDENT * role.depth}{role.name}") for role in Role.objects.all()
        ]
        self.fields["module"].error_messages["invalid_choice"] = "Choose one of the modules listed."
        self.fields["field"].error_messages["invalid_choice"] = "Choose one of the module's picklists."
        self.fields["role"].error_messages["invalid_choice"] = "That role no longer exists; choose another."

    @property
    def chosen_picklist(self) -> Picklist | None:
        return self.fields_of.get(self.cleaned_data["field"]) if self.is_valid() else None

    @property
    def chosen_role(self) -> Role | None:
        if not self.is_valid() or self.cleaned_data["role"] == ALL_ROLES:
            return None
        return Role.objects.filter(pk=int(self.cleaned_data["role"])).first()

    @property
    def chosen_module(self):
        return registry.get(self.cleaned_data["module"]) if self.is_valid() else None


class PicklistValueForm(forms.Form):
    """A value to add to a picklist, or the new name of one (``value``)."""

    value = forms.CharField(
        label="New value",
        max_length=PicklistValue._meta.get_field("value").max_length,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        error_messages={"required": "Enter a value."},
    )

    def __init__(self, *args, picklist: Picklist, value: PicklistValue | None = None, **kwargs):
        self.picklist, self.renamed = picklist, value
        if value is not None:
            kwargs.setdefault("initial", {"value": value.value})
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs["maxlength"] = picklist.max_length
        if value is not None:
            self.fields["value"].label = "New name"

    def clean_value(self) -> str:
        return clean_value(self.picklist, self.cleaned_data["value"], exclude=self.renamed)


class PicklistDeleteForm(forms.Form):
    """The value that records holding the deleted one will hold instead: another value of the picklist."""

    replacement = forms.ModelChoiceField(
        label="Replace it with",
        queryset=PicklistValue.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": "Choose the value that replaces it in records.",
            "invalid_choice": "Choose one of the remaining values of this picklist.",
        },
    )

    def __init__(self, *args, value: PicklistValue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = PicklistValue.objects.filter(
            module=value.module, field=value.field
        ).exclude(pk=value.pk)


class PicklistRoleValuesForm(forms.Form):
    """The values of a picklist that one role's users may pick."""

    values = forms.ModelMultipleChoiceField(
        label="Values this role may pick",
        queryset=PicklistValue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Some of these values no longer exist; the list has been reloaded.",
            "invalid_pk_value": "Some of these values no longer exist; the list has been reloaded.",
        },
    )

    def __init__(self, *args, picklist: Picklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["values"].queryset = PicklistValue.objects.filter(module=picklist.module.name, field=picklist.name)
