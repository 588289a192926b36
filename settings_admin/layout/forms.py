"""Forms of the Layout Editor: a block's title, a custom field's definition, a standard field's label.

They give the admin clear errors before anything is saved; the services check the same rules again (with the
same functions), so a caller other than these pages cannot break them."""

from django import forms
from django.core.exceptions import ValidationError

from secondcrm.records.arrangement import FieldSpec
from secondcrm.records.models import CustomField
from secondcrm.records.registry import Module

from .services import (
    PICKLIST_TYPES,
    block_title_clash,
    clean_text,
    default_text,
    default_value,
    label_clash,
    picklist_values,
)

DEFAULT_HELP = (
    "Filled in on new records. Dates as YYYY-MM-DD; a checkbox takes yes or no; a multi-select picklist takes "
    "values separated by commas."
)


def _text(label: str, max_length: int, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, widget=forms.TextInput(attrs={"class": "form-control"}), **kwargs
    )


class BlockForm(forms.Form):
    """The title of a new block, or the new title of a block added earlier."""

    title = _text("Block Title", 100)

    def __init__(self, *args, module: Module, current: str = "", **kwargs):
        self.module, self.current = module, current
        kwargs.setdefault("initial", {"title": current})
        super().__init__(*args, **kwargs)

    def clean_title(self) -> str:
        title = clean_text(self.cleaned_data["title"])
        if not title:
            raise ValidationError("Enter a title for the block.")
        if problem := block_title_clash(self.module, title, ignore=self.current):
            raise ValidationError(problem)
        return title


class CustomFieldForm(forms.Form):
    """What can change on a custom field once it exists: label, mandatory, default value and help text."""

    label = _text("Label", 100)
    mandatory = forms.BooleanField(
        label="Mandatory",
        required=False,
        help_text="A record cannot be saved without a value.",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    default = _text("Default Value", 500, required=False, help_text=DEFAULT_HELP)
    help_text = _text("Help Text", 255, required=False, help_text="Shown below the field on the form.")

    def __init__(self, *args, module: Module, definition: CustomField | None = None, **kwargs):
        self.module, self.definition = module, definition
        if definition is not None:
            kwargs.setdefault(
                "initial",
                {
                    "label": definition.label,
                    "mandatory": definition.mandatory,
                    "default": default_text(definition),
                    "help_text": definition.help_text,
                },
            )
        super().__init__(*args, **kwargs)

    def clean_label(self) -> str:
        label = clean_text(self.cleaned_data["label"])
        if not label:
            raise ValidationError("Enter a label for the field.")
        if problem := label_clash(self.module, label, ignore=self.definition.name if self.definition else ""):
            raise ValidationError(problem)
        return label

    def field_for_default(self) -> tuple[CustomField | None, list[str] | None]:
        """The field whose own form field checks the default, and its picklist values if not saved yet."""
        return self.definition, None

    def clean(self):
        cleaned = super().clean()
        definition, values = self.field_for_default()
        if definition is not None and "default" in cleaned:
            try:
                default_value(definition, cleaned["default"], values=values)
            except ValidationError as error:
                self.add_error("default", error)
        return cleaned


class CustomFieldAddForm(CustomFieldForm):
    """A new custom field: its block and type besides what ``CustomFieldForm`` asks, and a picklist's values."""

    block = forms.ChoiceField(label="Block", widget=forms.Select(attrs={"class": "form-select"}))
    field_type = forms.ChoiceField(
        label="Field Type",
        choices=CustomField.Type.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text="The type cannot be changed later.",
    )
    values = forms.CharField(
        label="Picklist Values",
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        help_text="For a picklist or multi-select picklist: one value per line.",
    )
    field_order = ["block", "label", "field_type", "mandatory", "default", "help_text", "values"]

    def __init__(self, *args, module: Module, blocks: list[str], **kwargs):
        super().__init__(*args, module=module, **kwargs)
        self.fields["block"].choices = [(title, title) for title in blocks]

    def clean_values(self) -> list[str]:
        if self.cleaned_data.get("field_type") not in PICKLIST_TYPES:
            return []  # typed before the admin chose another type: nothing to keep
        values = picklist_values(self.cleaned_data["values"])
        if not values:
            raise ValidationError("Enter at least one value, one per line.")
        return values

    def field_for_default(self) -> tuple[CustomField | None, list[str] | None]:
        field_type = self.cleaned_data.get("field_type")
        if not field_type:
            return None, None
        values = self.cleaned_data.get("values")
        if field_type in PICKLIST_TYPES and values is None:
            return None, None  # the values have their own error; the default cannot be checked against them
        definition = CustomField(
            module=self.module.name,
            label=self.cleaned_data.get("label") or "Default",
            field_type=field_type,
            choices=values or [],
        )
        return definition, values


class FieldLabelForm(forms.Form):
    """Another label for a standard field; empty brings the standard label back."""

    label = _text("Label", 100, required=False)

    def __init__(self, *args, module: Module, spec: FieldSpec, **kwargs):
        self.module, self.spec = module, spec
        kwargs.setdefault("initial", {"label": spec.label})
        super().__init__(*args, **kwargs)
        self.fields["label"].help_text = f"Leave empty to go back to the standard label, {spec.standard_label}."

    def clean_label(self) -> str:
        label = clean_text(self.cleaned_data["label"])
        if label == self.spec.standard_label:
            return label
        if label and (problem := label_clash(self.module, label, ignore=self.spec.name)):
            raise ValidationError(problem)
        return label
