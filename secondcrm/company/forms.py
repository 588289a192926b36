from django import forms
from django.core.files.uploadedfile import UploadedFile

from .logos import checked_logo
from .models import Company

INPUT = {"class": "form-control"}


class CompanyForm(forms.ModelForm):
    """Company Details: name, address, contact numbers, tax id, logo and whether it is the default company.
    ``make_default`` is not the model's field: ``company_save`` hands the default over from the current one."""

    make_default = forms.BooleanField(
        label="Default Company",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text="Documents that name no company, such as PDF exports, show the default company.",
    )

    class Meta:
        model = Company
        fields = [
            "name",
            "address",
            "city",
            "state",
            "postal_code",
            "country",
            "phone",
            "fax",
            "website",
            "vat_id",
            "logo",
        ]
        widgets = {
            **{name: forms.TextInput(attrs=INPUT) for name in ("name", "city", "state", "postal_code", "country")},
            **{name: forms.TextInput(attrs=INPUT) for name in ("phone", "fax", "vat_id")},
            "address": forms.Textarea(attrs={**INPUT, "rows": 3}),
            "website": forms.URLInput(attrs=INPUT),
            "logo": forms.ClearableFileInput(attrs={**INPUT, "accept": "image/png,image/jpeg"}),
        }
        help_texts = {
            "logo": "A PNG or JPEG image of at most 1 MB, printed at the top of documents.",
        }
        error_messages = {
            "logo": {"invalid_image": "The logo must be a PNG or JPEG image; this file is not one, or is damaged."}
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        # A new upload is checked; the stored logo (or False, when "Clear" is ticked) passes as it is.
        return checked_logo(logo) if isinstance(logo, UploadedFile) else logo

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["make_default"].initial = self.instance.is_default

    def clean_make_default(self) -> bool:
        make_default = self.cleaned_data["make_default"]
        if self.instance.is_default and not make_default:
            raise forms.ValidationError(
                "There is always one default company: to change it, tick Default Company on another company."
            )
        return make_default
