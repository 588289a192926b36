from django import forms

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
        if prefix and number and self.module.model.all_objects.filter(number=f"{prefix}{number}").exists():
            raise forms.ValidationError(
                f"{prefix}{number} is already used by a record; choose a higher next number or another prefix."
            )
        return cleaned
