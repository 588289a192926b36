"""Forms of the Potentials module: the potential itself (the platform's form with clearer errors), a contact
role, the pipeline board's filters and its no-JavaScript "Move" control."""

from django import forms
from django.contrib.auth import get_user_model

from accounts.models import Contact
from secondcrm.records.forms import RecordForm
from secondcrm.records.widgets import RecordPicker

from .models import Potential, PotentialContactRole

POTENTIAL_FIELDS = (
    "potential_name",
    "account",
    "contact",
    "amount",
    "currency",
    "expected_close_date",
    "sales_stage",
    "probability",
    "lead_source",
    "potential_type",
    "next_step",
    "description",
)
DATE_FORMAT_ERROR = "Enter the date as YYYY-MM-DD, for example 2030-12-31."


class PotentialForm(RecordForm):
    """The platform's record form; only the messages are the module's own, so that a user who leaves out the
    account or types a date the wrong way learns what to do (range checks are the model's validators)."""

    class Meta(RecordForm.Meta):
        model = Potential
        fields = POTENTIAL_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "account" in self.fields:
            self.fields["account"].error_messages["required"] = "Every potential belongs to an account: choose one."
        if "expected_close_date" in self.fields:
            self.fields["expected_close_date"].error_messages["invalid"] = DATE_FORMAT_ERROR
        if "probability" in self.fields and not self.instance.pk:
            self.fields["probability"].help_text = "Leave empty to take the sales stage's probability."
        elif "probability" in self.fields:
            self.fields["probability"].help_text = "Follows the sales stage when it changes, unless you change it too."


class ContactRoleForm(forms.ModelForm):
    """Add Contact Role on a potential: a contact the user may see, and the part they play."""

    # Prefixed: the detail page also has inline-edit inputs named after the potential's own Contact field.
    prefix = "contact_role"

    class Meta:
        model = PotentialContactRole
        fields = ("contact", "role")

    def __init__(self, *args, potential: Potential, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.potential = potential
        contact = self.fields["contact"]
        contact.widget = RecordPicker(module=Contact.module, attrs={"class": "form-select form-select-sm"})
        contact.queryset = Contact.objects.visible_to(user, "view")
        contact.error_messages["invalid_choice"] = "Choose a contact you can see."
        self.fields["role"].widget.attrs["class"] = "form-select form-select-sm"

    def clean_contact(self):
        contact = self.cleaned_data["contact"]
        if self.potential.contact_roles.filter(contact=contact).exists():
            raise forms.ValidationError(f"{contact} already has a role on this potential.")
        return contact


class PipelineFilterForm(forms.Form):
    """The board's filters: whose potentials, and closing when."""

    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        label="Assigned To",
        empty_label="All users",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    close_from = forms.DateField(
        required=False,
        label="Expected close from",
        error_messages={"invalid": DATE_FORMAT_ERROR},
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"),
    )
    close_to = forms.DateField(
        required=False,
        label="to",
        error_messages={"invalid": DATE_FORMAT_ERROR},
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("close_from"), cleaned.get("close_to")
        if start and end and start > end:
            self.add_error("close_to", "The end of the range is before its start.")
        return cleaned

    def filters(self) -> dict:
        """The filters that are valid: a mistyped date is reported and left out, the others still apply."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value and name not in self.errors}


class StageMoveForm(forms.Form):
    """One card's move: which potential, to which stage (checked against the user's stages by the service)."""

    potential = forms.IntegerField(min_value=1)
    stage = forms.CharField(max_length=Potential._meta.get_field("sales_stage").max_length)
