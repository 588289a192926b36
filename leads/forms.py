"""The Convert Lead dialog: which records to make (Account, Contact, Potential), the few values people usually
check or type there, and who the new records are assigned to. Everything else comes from the mapping."""

from django import forms

from secondcrm.access.permissions import access_for
from secondcrm.picklists.choices import choices_for
from secondcrm.records.forms import AssignedToField
from secondcrm.records.registry import registry

from .mapping import mapped_values
from .models import Lead

# Dialog field → (target module, field of that module's records).
SECTIONS = {
    "account": ("accounts", ("account_name",)),
    "contact": ("contacts", ("first_name", "last_name", "email")),
    "potential": ("potentials", ("potential_name", "amount", "sales_stage", "expected_close_date")),
}
# Mandatory when their section is ticked.
SECTION_REQUIRED = {
    "account": ("account_name",),
    "contact": ("last_name",),
    "potential": ("potential_name", "sales_stage", "expected_close_date"),
}


class ConvertLeadForm(forms.Form):
    """The dialog. ``clean`` checks the choice of records; the service checks rights and saves."""

    create_account = forms.BooleanField(label="Account", required=False)
    account_name = forms.CharField(label="Account Name", max_length=200, required=False)
    create_contact = forms.BooleanField(label="Contact", required=False)
    first_name = forms.CharField(label="First Name", max_length=80, required=False)
    last_name = forms.CharField(label="Last Name", max_length=80, required=False)
    email = forms.EmailField(label="Email", required=False)
    create_potential = forms.BooleanField(label="Potential", required=False)
    potential_name = forms.CharField(label="Potential Name", max_length=200, required=False)
    amount = forms.DecimalField(label="Amount", max_digits=14, decimal_places=2, min_value=0, required=False)
    sales_stage = forms.ChoiceField(label="Sales Stage", required=False)
    expected_close_date = forms.DateField(
        label="Expected Close Date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the expected close date as a date, e.g. 2030-12-31."},
    )
    assigned_to = AssignedToField()

    def __init__(self, *args, lead: Lead, user, existing_account=None, **kwargs):
        kwargs.setdefault("prefix", "convert")
        super().__init__(*args, **kwargs)
        self.lead, self.user, self.existing_account = lead, user, existing_account
        access = access_for(user)
        self.fields["assigned_to"].load_choices()
        self.fields["sales_stage"].choices = [("", "--None--")] + [
            (value, value) for value in choices_for("potentials", "sales_stage", user)
        ]
        self.initial.update(self._prefill())
        # Sections the user may not use: their box is off and cannot be ticked (the service checks again).
        self.refusals: dict[str, str] = {}
        for section, (module_name, names) in SECTIONS.items():
            box = self.fields[f"create_{section}"]
            if module_name not in registry:
                self.refusals[section] = "This module is not installed."
            elif section == "account" and existing_account is not None:
                pass  # linking an existing account needs no right to create one
            elif not access.can(module_name, "create"):
                self.refusals[section] = f"You may not create {registry.get(module_name).label.lower()}."
            if section in self.refusals:
                box.disabled = True
                self.initial[f"create_{section}"] = False
                continue
            # A field the user may not write on that module is not offered here either.
            field_access = access.field_access(registry.get(module_name))
            for name in names:
                if not field_access.writable(name):
                    del self.fields[name]
        for names in SECTION_REQUIRED.values():
            for name in names:
                if name in self.fields:
                    self.fields[name].section_required = True
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else css)

    def _prefill(self) -> dict:
        """What the mapping would copy, so the user sees (and may change) the names before saving."""
        lead = self.lead
        hidden = access_for(self.user).field_access(registry.get("leads")).invisible
        account = mapped_values(lead, "account", hidden=hidden)
        contact = mapped_values(lead, "contact", hidden=hidden)
        potential = mapped_values(lead, "potential", hidden=hidden) if "potentials" in registry else {}
        return {
            "create_account": True,
            "account_name": account.get("account_name", lead.company),
            "create_contact": True,
            "first_name": contact.get("first_name", "" if "first_name" in hidden else lead.first_name),
            "last_name": contact.get("last_name", lead.last_name),
            "email": contact.get("email", "" if "email" in hidden else lead.email),
            "create_potential": False,
            "potential_name": potential.get("potential_name", lead.company),
            "amount": potential.get("amount"),
            "assigned_to": AssignedToField.value_for(lead),
        }

    def clean(self):
        cleaned = super().clean()
        account, contact, potential = (cleaned.get(f"create_{s}") for s in ("account", "contact", "potential"))
        if not account and not contact:
            raise forms.ValidationError("Tick Account or Contact (or both): a lead converts into at least one.")
        if potential and not account:
            self.add_error("create_potential", "A potential belongs to an account: tick Account too.")
        for section, ticked in (("account", account), ("contact", contact), ("potential", potential)):
            for name in SECTION_REQUIRED[section] if ticked else ():
                if name in self.fields and not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, "This field is required.")
        return cleaned

    def assignee(self):
        """The user or group chosen in Assigned To."""
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        kind, _, pk = self.cleaned_data["assigned_to"].partition(":")
        model = Group if kind == "group" else get_user_model()
        return model.objects.get(pk=int(pk))

    def values(self, section: str) -> dict:
        """The values typed in one section, by the field names of that section's module."""
        return {name: self.cleaned_data.get(name) for name in SECTIONS[section][1] if name in self.fields}

    def sections(self) -> list[dict]:
        """The three sections for the template: box, fields and, if the box cannot be ticked, why."""
        titles = {"account": "Account", "contact": "Contact", "potential": "Potential"}
        return [
            {
                "key": key,
                "title": titles[key],
                "box": self[f"create_{key}"],
                "fields": [self[name] for name in names if name in self.fields],
                "refusal": self.refusals.get(key, ""),
            }
            for key, (_, names) in SECTIONS.items()
        ]
