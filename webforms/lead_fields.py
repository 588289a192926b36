"""Which Lead fields a web form can ask for, and the form that reads a visitor's post.

The fields come from the Leads layout as the admin shaped it (renamed labels, custom fields, hidden fields
left out), so the web form speaks the same vocabulary as the Lead page. A visitor cannot pick CRM records or
owners: reference fields and "Assigned To" are never offered. Values are validated exactly as the Lead model
field types demand (email, lengths, numbers, phone, picklist values); the same form class renders the inputs
of the HTML snippet, so what the snippet sends is what the endpoint accepts."""

from django import forms
from django.db import models

from leads.models import Lead
from secondcrm.picklists.choices import PICKLIST_TYPES, is_standard_picklist
from secondcrm.picklists.forms import EMPTY_CHOICE
from secondcrm.picklists.models import PicklistValue
from secondcrm.records.arrangement import FieldSpec, module_layout
from secondcrm.records.forms import custom_form_field, record_formfield
from secondcrm.records.models import CustomField

from .models import WebForm

# The lead's own bookkeeping and its owner: set by the CRM, never by a visitor.
NEVER_OFFERED = {"assigned_to"}


def lead_module():
    return Lead.module


def offered_fields() -> list[FieldSpec]:
    """The Lead fields a web form may ask for, in layout order: visible standard fields a visitor can type
    or choose (no references to other records) and every custom field."""
    model_fields = {f.name: f for f in Lead._meta.get_fields() if getattr(f, "concrete", False)}
    offered = []
    for block in module_layout(lead_module()):
        for spec in block.fields:
            if spec.name in NEVER_OFFERED:
                continue
            if spec.is_custom:
                offered.append(spec)
                continue
            field = model_fields.get(spec.name)
            if field is not None and field.editable and not field.is_relation:
                offered.append(spec)
    return offered


def is_checkbox(spec: FieldSpec) -> bool:
    """A yes/no field: "required" would mean "must be ticked", which no web form wants of a lead."""
    if spec.is_custom:
        return spec.custom.field_type == CustomField.Type.CHECKBOX
    return isinstance(Lead._meta.get_field(spec.name), models.BooleanField)


def picklist_values(names: list[str]) -> dict[str, list[str]]:
    """The values of the Lead picklists ``names``, in the editor's order. System values (the status Convert
    Lead sets) are the CRM's to give, not a visitor's."""
    rows = PicklistValue.objects.filter(module=lead_module().name, field__in=names, is_system=False)
    found: dict[str, list[str]] = {}
    for field, value in rows.order_by("field", "position", "pk").values_list("field", "value"):
        found.setdefault(field, []).append(value)
    return found


class WebLeadForm(forms.ModelForm):
    """The fields of one web form as a Lead form: built per web form by ``lead_form_for``."""

    web_form: WebForm
    specs: dict[str, FieldSpec]

    class Meta:
        model = Lead
        fields: list[str] = []
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        # Ids of their own, so that the snippet's inputs cannot clash with the ids of the host page.
        kwargs.setdefault("auto_id", f"crm-{self.web_form.key.hex[:8]}-%s")
        super().__init__(*args, **kwargs)
        required = self.web_form.required_names
        for name, spec in self.specs.items():
            if spec.is_custom:
                self.fields[name] = custom_form_field(spec.custom)
            field = self.fields[name]
            field.label = spec.label
            field.help_text = ""
            field.required = spec.mandatory or (name in required and not is_checkbox(spec))
        self._offer_picklist_values()
        self.order_fields(self.specs)

    def _offer_picklist_values(self) -> None:
        names = [
            name
            for name, spec in self.specs.items()
            if (spec.is_custom and spec.custom.field_type in PICKLIST_TYPES)
            or (not spec.is_custom and is_standard_picklist(lead_module(), name))
        ]
        values = picklist_values(names)
        for name in names:
            current = self.fields[name]
            options = [(value, value) for value in values.get(name, [])]
            if isinstance(current, forms.MultipleChoiceField):
                current.choices = options
                continue
            self.fields[name] = forms.ChoiceField(
                choices=options if current.required else [EMPTY_CHOICE, *options],
                required=current.required,
                label=current.label,
            )

    def unknown_names(self, data, *, besides: tuple[str, ...] = ()) -> list[str]:
        """Names in a post that are not fields of this form (nor one of ``besides``)."""
        return [name for name in data if name not in self.fields and name not in besides]

    def custom_values(self) -> dict:
        """The custom field values of a valid form, as ``Record.custom`` stores them (dates and decimals as
        text, empty values left out)."""
        values = {}
        for name, spec in self.specs.items():
            if not spec.is_custom:
                continue
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif hasattr(value, "as_tuple"):  # Decimal
                value = str(value)
            values[name] = value
        return values


def form_specs(web_form: WebForm) -> dict[str, FieldSpec]:
    """The web form's fields that the Leads layout still offers, in layout order (the order of the Lead
    page); the mandatory Lead fields are always among them. A field since hidden or deleted drops out."""
    asked = set(web_form.field_names)
    return {spec.name: spec for spec in offered_fields() if spec.name in asked or spec.mandatory}


def lead_form_for(web_form: WebForm) -> type[WebLeadForm]:
    """The form class of one web form: its standard Lead fields from the model, custom ones added."""
    specs = form_specs(web_form)
    standard = [name for name, spec in specs.items() if not spec.is_custom]
    meta = type("Meta", (WebLeadForm.Meta,), {"fields": standard})
    return type("WebLeadForm", (WebLeadForm,), {"Meta": meta, "web_form": web_form, "specs": specs})
