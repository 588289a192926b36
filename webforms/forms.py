"""Settings > Web Forms: the form an admin fills in to create or edit a web form.

Besides name, owner, thank-you page and flags, it has two checkboxes per Lead field the form could ask for:
"Ask" and "Required". The mandatory Lead fields (Last Name, Company) are always asked and required: their
checkboxes are shown ticked and disabled, and Django ignores whatever a crafted post sends for them."""

from urllib.parse import urlsplit

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.validators import URLValidator

from secondcrm.records.arrangement import FieldSpec
from secondcrm.records.forms import AssignedToField

from .lead_fields import is_checkbox, offered_fields
from .models import WebForm

MAX_ORIGINS = 20


def parse_origins(text: str) -> tuple[list[str], list[str]]:
    """The web sites typed one per line, as origins ("https://www.example.com"), and the lines that are not
    one. A site is its scheme, host and port: a path would never match what a browser sends."""
    origins, bad = [], []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            parts = urlsplit(line)
            port = parts.port
        except ValueError:  # a port that is not a number, a broken IPv6 address
            bad.append(line)
            continue
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
            or parts.username
            or parts.password
        ):
            bad.append(line)
            continue
        # Browsers leave the scheme's default port out of the Origin they send.
        default_port = 443 if parts.scheme == "https" else 80
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        if port == default_port:
            origin = origin.rsplit(":", 1)[0]
        if origin not in origins:
            origins.append(origin)
    return origins, bad


def owner_emails(owner) -> list[str]:
    """Where the owner's notifications go: the user's address, or those of the group's active members."""
    if isinstance(owner, Group):
        users = get_user_model().objects.filter(groups=owner, is_active=True).exclude(email="").order_by("pk")
        return list(users.values_list("email", flat=True))
    return [owner.email] if owner is not None and owner.is_active and owner.email else []


class WebFormForm(forms.ModelForm):
    """Create or edit a web form; ``field_rows`` gives the template one row per offered Lead field."""

    owner = AssignedToField(help_text="The user or group new leads are assigned to.")
    thank_you_url = forms.URLField(
        label="Thank-you Page",
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="The page of your web site visitors see after sending the form (http or https). "
        "Leave empty for a short thank-you page of the CRM.",
    )
    allowed_origins = forms.CharField(
        label="Allowed Web Sites",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, e.g. https://www.example.com. If you list any, browsers may send the form "
        "only from these sites. Empty: any site.",
    )

    class Meta:
        model = WebForm
        fields = ["name", "active", "notify_owner"]
        help_texts = {
            "name": "For you and the lead's owner; visitors do not see it.",
            "notify_owner": "Email the owner (for a group: its members) when a lead arrives.",
            "active": "An inactive form refuses posts; the snippet on your site stops working until you "
            "activate it again.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].label = "Assign Leads To"
        self.fields["owner"].load_choices()
        web_form = self.instance
        if web_form.owner_user_id and not web_form.owner_user.is_active:
            # Offered only active users, the select would silently pick someone else on the next save.
            (label, users), *groups = self.fields["owner"].choices
            inactive = (f"user:{web_form.owner_user_id}", f"{web_form.owner_user} (inactive)")
            self.fields["owner"].choices = [(label, [*users, inactive]), *groups]
        self.initial["owner"] = (
            f"user:{web_form.owner_user_id}"
            if web_form.owner_user_id
            else f"group:{web_form.owner_group_id}"
            if web_form.owner_group_id
            else f"user:{user.pk}"
        )
        self.initial["thank_you_url"] = web_form.thank_you_url
        self.initial["allowed_origins"] = "\n".join(web_form.allowed_origins)
        self.specs = offered_fields()
        asked, required = set(web_form.field_names), web_form.required_names
        for spec in self.specs:
            ask = forms.BooleanField(label=f"Ask for {spec.label}", required=False)
            need = forms.BooleanField(label=f"{spec.label} is required", required=False)
            if spec.mandatory:
                ask.disabled = need.disabled = True
                ask.initial = need.initial = True
            else:
                ask.initial = spec.name in asked
                need.initial = spec.name in required
                need.disabled = is_checkbox(spec)
            self.fields[f"ask_{spec.name}"] = ask
            self.fields[f"require_{spec.name}"] = need
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            else:
                field.widget.attrs.setdefault("class", "form-control")
            field.widget.attrs.setdefault("id", f"id_{name}")

    def field_rows(self) -> list[tuple[FieldSpec, forms.BoundField, forms.BoundField]]:
        return [(spec, self[f"ask_{spec.name}"], self[f"require_{spec.name}"]) for spec in self.specs]

    def clean_allowed_origins(self) -> list[str]:
        origins, bad = parse_origins(self.cleaned_data.get("allowed_origins", ""))
        if bad:
            shown = ", ".join(bad[:3])
            raise forms.ValidationError(
                f"Not a web site address: {shown}. Write each as scheme and host, e.g. https://www.example.com."
            )
        if len(origins) > MAX_ORIGINS:
            raise forms.ValidationError(f"List at most {MAX_ORIGINS} web sites.")
        return origins

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("owner")
        if choice:
            kind, _, pk = choice.partition(":")
            model = Group if kind == "group" else get_user_model()
            cleaned["owner"] = model.objects.filter(pk=pk).first()
            if cleaned["owner"] is None:
                self.add_error("owner", "Select a valid choice. That user or group no longer exists.")
            elif cleaned.get("notify_owner") and not owner_emails(cleaned["owner"]):
                whom = "No active member of this group has" if kind == "group" else "This user has no"
                self.add_error(
                    "notify_owner",
                    f"{whom} email address to notify. Add one in Settings > Users, or do not notify.",
                )
        cleaned["fields"] = [
            {"name": spec.name, "required": bool(cleaned.get(f"require_{spec.name}")) and not is_checkbox(spec)}
            for spec in self.specs
            if cleaned.get(f"ask_{spec.name}")
        ]
        return cleaned
