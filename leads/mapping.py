"""The Lead Conversion Mapping: which lead field Convert Lead copies into which account, contact and potential
field, standard or custom, and which pairs of fields can hold the same value.

The mapping is stored in ``LeadFieldMapping`` (Settings > Lead Conversion Mapping edits it); a new
installation starts from ``DEFAULT_MAPPING``, the table in SEMANTICS.md. Fields are described by a *kind*
(text, email, decimal, ...) rather than their database type, so that a custom field and a standard field of
the same nature map onto each other."""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from secondcrm.picklists.fields import PicklistField
from secondcrm.records.arrangement import field_specs
from secondcrm.records.fields import PhoneField
from secondcrm.records.models import CustomField
from secondcrm.records.registry import Module, registry

from .models import LeadFieldMapping

# The modules a lead converts into, as (key of LeadFieldMapping's ``<key>_field`` column, module name).
TARGETS = (("account", "accounts"), ("contact", "contacts"), ("potential", "potentials"))

# (lead field, account field, contact field, potential field); "" is "not copied there".
DEFAULT_MAPPING = (
    ("company", "account_name", "", "potential_name"),
    ("salutation", "", "salutation", ""),
    ("first_name", "", "first_name", ""),
    ("last_name", "", "last_name", ""),
    ("designation", "", "title", ""),
    ("email", "email", "email", ""),
    ("secondary_email", "", "secondary_email", ""),
    ("phone", "phone", "office_phone", ""),
    ("mobile", "", "mobile", ""),
    ("fax", "fax", "fax", ""),
    ("website", "website", "", ""),
    ("lead_source", "", "lead_source", "lead_source"),
    ("industry", "industry", "", ""),
    ("rating", "rating", "", ""),
    ("employees", "employees", "", ""),
    ("annual_revenue", "annual_revenue", "", ""),
    ("street", "bill_street", "mailing_street", ""),
    ("po_box", "bill_po_box", "mailing_po_box", ""),
    ("city", "bill_city", "mailing_city", ""),
    ("state", "bill_state", "mailing_state", ""),
    ("postal_code", "bill_code", "mailing_code", ""),
    ("country", "bill_country", "mailing_country", ""),
    ("street", "ship_street", "", ""),
    ("po_box", "ship_po_box", "", ""),
    ("city", "ship_city", "", ""),
    ("state", "ship_state", "", ""),
    ("postal_code", "ship_code", "", ""),
    ("country", "ship_country", "", ""),
    ("description", "description", "description", "description"),
)

# Which kinds of lead field each kind of target field accepts: any single piece of text fits a text field,
# a whole number fits a decimal, but not the other way round.
TEXTUAL = {"text", "email", "phone", "url", "picklist"}
ACCEPTS = {
    "text": TEXTUAL,
    "textarea": TEXTUAL | {"textarea"},
    "email": {"email"},
    "phone": {"phone"},
    "url": {"url"},
    "picklist": {"picklist", "text"},
    "multipicklist": {"multipicklist", "picklist"},
    "integer": {"integer"},
    "decimal": {"decimal", "integer"},
    "date": {"date"},
    "datetime": {"datetime", "date"},
    "boolean": {"boolean"},
}
KIND_NAMES = {
    "text": "text",
    "textarea": "text area",
    "email": "email",
    "phone": "phone",
    "url": "URL",
    "picklist": "picklist",
    "multipicklist": "multi-select picklist",
    "integer": "number",
    "decimal": "decimal number",
    "date": "date",
    "datetime": "date and time",
    "boolean": "checkbox",
}
CUSTOM_KINDS = {
    CustomField.Type.TEXT: ("text", 255),
    CustomField.Type.TEXTAREA: ("textarea", 5000),
    CustomField.Type.NUMBER: ("integer", None),
    CustomField.Type.DECIMAL: ("decimal", None),
    CustomField.Type.CURRENCY: ("decimal", None),
    CustomField.Type.PERCENT: ("decimal", None),
    CustomField.Type.DATE: ("date", None),
    CustomField.Type.DATETIME: ("datetime", None),
    CustomField.Type.EMAIL: ("email", 254),
    CustomField.Type.PHONE: ("phone", 30),
    CustomField.Type.URL: ("url", 500),
    CustomField.Type.CHECKBOX: ("boolean", None),
    CustomField.Type.PICKLIST: ("picklist", None),
    CustomField.Type.MULTIPICKLIST: ("multipicklist", None),
}
# Set by Convert Lead itself (owner, links between the new records) or by the platform (the record number).
NOT_MAPPABLE = {"number", "assigned_to"}


@dataclass(frozen=True)
class MappableField:
    """A field a mapping row may name: its label, kind and, for text, how many characters it holds."""

    name: str
    label: str
    kind: str
    max_length: int | None = None
    custom: bool = False

    @property
    def choice_label(self) -> str:
        return f"{self.label} (custom)" if self.custom else self.label


def model_field_kind(field: models.Field) -> tuple[str, int | None] | None:
    """The kind of a standard field, or None for fields a mapping cannot fill (links, fixed choices)."""
    if field.is_relation or field.choices or not field.editable:
        return None
    length = getattr(field, "max_length", None)
    if isinstance(field, PicklistField):
        return "picklist", length
    if isinstance(field, models.EmailField):
        return "email", length
    if isinstance(field, models.URLField):
        return "url", length
    if isinstance(field, PhoneField):
        return "phone", length
    if isinstance(field, models.CharField):
        return "text", length
    if isinstance(field, models.TextField):
        return "textarea", length
    if isinstance(field, models.BooleanField):
        return "boolean", None
    if isinstance(field, models.DecimalField):
        return "decimal", None
    if isinstance(field, models.IntegerField):
        return "integer", None
    if isinstance(field, models.DateTimeField):
        return "datetime", None
    if isinstance(field, models.DateField):
        return "date", None
    return None


def mappable_fields(module: Module | str) -> dict[str, MappableField]:
    """The fields of ``module`` a mapping may name, in layout order, custom fields included; hidden fields
    too (a lead's hidden field still holds values; a hidden target field simply receives nothing)."""
    module = module if isinstance(module, Module) else registry.get(module)
    found: dict[str, MappableField] = {}
    for name, spec in field_specs(module).items():
        if name in NOT_MAPPABLE:
            continue
        if spec.is_custom:
            kind, length = CUSTOM_KINDS.get(spec.custom.field_type, ("text", 255))
            found[name] = MappableField(name, spec.label, kind, length, custom=True)
            continue
        try:
            described = model_field_kind(module.model._meta.get_field(name))
        except FieldDoesNotExist:  # a name in a block that is not a model field
            described = None
        if described is not None:
            found[name] = MappableField(name, spec.label, *described)
    return found


def incompatibility(source: MappableField, target: MappableField) -> str | None:
    """Why ``target`` cannot receive the value of lead field ``source``, or None if it can."""
    if source.kind not in ACCEPTS.get(target.kind, set()):
        return (
            f"{target.label} is a {KIND_NAMES[target.kind]} field and cannot take the lead's {source.label} "
            f"(a {KIND_NAMES[source.kind]} field)."
        )
    if (
        target.kind != "picklist"
        and source.max_length is not None
        and target.max_length is not None
        and source.max_length > target.max_length
    ):
        return (
            f"{target.label} holds up to {target.max_length} characters, fewer than the lead's "
            f"{source.label} ({source.max_length})."
        )
    return None


@dataclass(frozen=True)
class MappingRow:
    lead_field: str
    account_field: str = ""
    contact_field: str = ""
    potential_field: str = ""

    def target(self, key: str) -> str:
        return getattr(self, f"{key}_field")


def current_mapping() -> list[MappingRow]:
    """The stored mapping, in order."""
    return [
        MappingRow(row.lead_field, row.account_field, row.contact_field, row.potential_field)
        for row in LeadFieldMapping.objects.all()
    ]


def target_module_names() -> list[tuple[str, str]]:
    """The (key, module name) of the conversion targets that are installed."""
    return [(key, name) for key, name in TARGETS if name in registry]


def mapped_values(
    lead, key: str, rows: list[MappingRow] | None = None, *, hidden: frozenset[str] = frozenset()
) -> dict[str, object]:
    """{target field: value} that the mapping copies from ``lead`` into the new record of target ``key``
    ("account", "contact" or "potential"). Empty lead values are left out, so that the target's own default
    stays; rows naming a field that no longer exists (a deleted custom field) are skipped, and so are the
    lead fields in ``hidden`` (those the converting user may not see: converting must not reveal them)."""
    module_name = dict(TARGETS)[key]
    if module_name not in registry:
        return {}
    sources = mappable_fields("leads")
    targets = mappable_fields(module_name)
    values: dict[str, object] = {}
    for row in current_mapping() if rows is None else rows:
        target = row.target(key)
        if not target or row.lead_field not in sources or row.lead_field in hidden or target not in targets:
            continue
        source = sources[row.lead_field]
        value = lead.custom.get(source.name) if source.custom else getattr(lead, source.name)
        if value in (None, "", [], False):
            continue
        if targets[target].kind == "multipicklist" and not isinstance(value, list):
            value = [value]
        values[target] = value
    return values
