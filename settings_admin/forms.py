import re

from django import forms
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast, Substr

from secondcrm.records.models import ModuleNumbering


class ModuleNumberingForm(forms.ModelForm):
    """Prefix and next number of one module; the next number must not give a number already in use."""

    class Meta:
        model = ModuleNumbering
        fields = ["prefix", "next_number"]
        widgets = {
            "prefix": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "next_number": forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": 1}),
        }

    def __init__(self, *args, module, **kwargs):
        self.module = module
        super().__init__(*args, **kwargs)

    def clean_prefix(self):
        prefix = self.cleaned_data["prefix"].strip()
        if not prefix.replace("-", "").replace("_", "").isalnum():
            raise forms.ValidationError("Use letters, digits, - and _ only.")
        return prefix

    def clean(self):
        cleaned = super().clean()
        prefix, number = cleaned.get("prefix"), cleaned.get("next_number")
        if not prefix or not number:
            return cleaned
        # Not only the next number: any number in use above it would be reached later, and that create would fail.
        highest = highest_number_in_use(self.module.model, prefix)
        if highest is not None and highest >= number:
            raise forms.ValidationError(
                f"{prefix}{highest} is already used by a record; choose a number above {highest} or another prefix."
            )
        if self.module.model.all_objects.filter(number=f"{prefix}{number}").exists():
            raise forms.ValidationError(
                f"{prefix}{number} is already used by a record; choose a higher next number or another prefix."
            )
        return cleaned


def highest_number_in_use(model, prefix: str) -> int | None:
    """The highest N of the numbers "<prefix>N" that ``model``'s records (deleted ones too) hold."""
    digits = model.all_objects.filter(number__regex=rf"^{re.escape(prefix)}[0-9]{{1,18}}$").annotate(
        sequence_number=Cast(Substr("number", len(prefix) + 1), BigIntegerField())
    )
    return digits.aggregate(highest=Max("sequence_number"))["highest"]
