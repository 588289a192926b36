"""Forms of Settings > Profiles: "New Profile" (a name and the profile to start from) and the profile editor
(flags, the module-by-rights matrix, and per module the access to each field)."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import FieldDoesNotExist

from secondcrm.access.models import FieldRight, Profile
from secondcrm.access.models.profiles import MODULE_ACTIONS, MODULE_TOOLS, ModuleRight
from secondcrm.access.permissions import mandatory_fields
from secondcrm.records.display import field_label
from secondcrm.records.models import CustomField
from secondcrm.records.registry import Module, registry

from .services import effective_rights

RIGHT_LABELS = {
    right: ModuleRight._meta.get_field(f"can_{right}").verbose_name for right in MODULE_ACTIONS + MODULE_TOOLS
}


class NewProfileForm(forms.Form):
    """A new profile starts as a copy of an existing one; the admin then changes what differs."""

    name = forms.CharField(
        label="Profile Name", max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    description = forms.CharField(
        label="Description", max_length=255, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    copy_from = forms.ModelChoiceField(
        label="Copy rights from",
        queryset=Profile.objects.all(),
        empty_label="Choose a profile…",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "Choose the profile whose rights the new one starts with."},
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter a name for the profile.")
        if Profile.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(f"There is already a profile named {name}.")
        return name


@dataclass
class FieldRow:
    """One field of a module in the field-permission editor."""

    name: str
    label: str
    block: str
    mandatory: bool
    select: forms.BoundField


@dataclass
class ModuleRow:
    """One module of the profile editor: its rights checkboxes and its fields."""

    module: Module
    rights: list[tuple[str, forms.BoundField]]
    fields: list[FieldRow]

    @property
    def restricted(self) -> int:
        return sum(1 for row in self.fields if (row.select.value() or FieldRight.Access.READ_WRITE) != "read_write")


def module_fields(module: Module) -> list[tuple[str, str, str]]:
    """(name, label, block title) of every field the module shows: its blocks' fields, then custom fields."""
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for block in module.blocks:
        for name in block.fields:
            if name in seen:
                continue
            seen.add(name)
            if name == "assigned_to":
                label = "Assigned To"
            else:
                try:
                    label = field_label(module.model._meta.get_field(name))
                except FieldDoesNotExist:
                    label = name.replace("_", " ").title()
            rows.append((name, label, block.title))
    for definition in CustomField.objects.filter(module=module.name):
        if definition.name not in seen:
            seen.add(definition.name)
            rows.append((definition.name, definition.label, definition.block))
    return rows


def right_key(module: str, right: str) -> str:
    return f"right-{module}-{right}"


def field_key(module: str, field: str) -> str:
    return f"field-{module}-{field}"


class ProfileForm(forms.ModelForm):
    """Everything a profile decides. Built per request from the registry, so a new module or custom field
    appears in the editor without code here. ``module_rights()`` and ``field_rights()`` give the cleaned
    matrix to the ``profile_save`` service."""

    class Meta:
        model = Profile
        fields = ["name", "description", "view_all", "edit_all"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control"}),
            "description": forms.TextInput(attrs={"class": "form-control"}),
            "view_all": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "edit_all": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }
        help_texts = {
            "view_all": "Read every record of the modules this profile may view, whoever owns it.",
            "edit_all": "Also edit and delete them (includes View all).",
        }

    def __init__(self, *args, instance: Profile, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        rights = effective_rights(instance)
        stored = {(r.module, r.field): r.access for r in instance.field_rights.all()}
        self.mandatory = {module.name: mandatory_fields(module) for module in registry}
        self.field_names: dict[str, list[str]] = {}
        self._labels: dict[str, list[tuple[str, str, str]]] = {}
        for module in registry:
            for right in RIGHT_LABELS:
                self.fields[right_key(module.name, right)] = forms.BooleanField(
                    label=f"{RIGHT_LABELS[right]} {module.label}",
                    required=False,
                    initial=right in rights.get(module.name, set()),
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input", "data-right": right}),
                )
            self.field_names[module.name] = []
            self._labels[module.name] = module_fields(module)
            for name, label, _block in self._labels[module.name]:
                mandatory = name in self.mandatory[module.name]
                attrs = {"class": "form-select form-select-sm"}
                if mandatory:
                    # Shown, never sent by a browser; a crafted value is refused in clean().
                    attrs["disabled"] = True
                self.fields[field_key(module.name, name)] = forms.ChoiceField(
                    label=f"{label} ({module.label})",
                    choices=FieldRight.Access.choices,
                    required=False,
                    initial=FieldRight.Access.READ_WRITE
                    if mandatory
                    else stored.get((module.name, name), "read_write"),
                    widget=forms.Select(attrs=attrs),
                )
                self.field_names[module.name].append(name)

    def matrix(self) -> list[ModuleRow]:
        """The editor's rows, one per module, for the template."""
        rows = []
        for module in registry:
            rights = [(right, self[right_key(module.name, right)]) for right in RIGHT_LABELS]
            fields = [
                FieldRow(name, label, block, name in self.mandatory[module.name], self[field_key(module.name, name)])
                for name, label, block in self._labels[module.name]
            ]
            rows.append(ModuleRow(module, rights, fields))
        return rows

    def clean(self):
        cleaned = super().clean()
        for module in registry:
            for name in self.field_names[module.name]:
                key = field_key(module.name, name)
                value = cleaned.get(key) or FieldRight.Access.READ_WRITE
                if name in self.mandatory[module.name] and value != FieldRight.Access.READ_WRITE:
                    label = self.fields[key].label
                    self.add_error(key, f"{label} is a mandatory field: it is always Read/Write.")
        return cleaned

    def module_rights(self) -> dict[str, set[str]]:
        """Granted rights per module; without View, the other rights are dropped (see profile_save)."""
        return {
            module.name: {right for right in RIGHT_LABELS if self.cleaned_data.get(right_key(module.name, right))}
            for module in registry
        }

    def field_rights(self) -> dict[str, dict[str, str]]:
        return {
            module.name: {
                name: self.cleaned_data.get(field_key(module.name, name)) or FieldRight.Access.READ_WRITE
                for name in self.field_names[module.name]
            }
            for module in registry
        }
