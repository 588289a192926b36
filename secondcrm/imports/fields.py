"""The fields an import may fill, and whether a mapping of columns to them can run.

The fields come from the module's own form, built for the importing user: its layout (order, labels, hidden
fields left out, custom fields in), the user's field access (invisible and read-only fields left out) and the
picklist values of their role are exactly what the add/edit form would offer. Besides values, a column may
name the owner ("Assigned To": a username, full name, email or group name) and records of other modules
(a contact's account, matched by the account's name)."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from secondcrm.access.permissions import access_for
from secondcrm.records.arrangement import field_specs, system_mandatory
from secondcrm.records.forms import AssignedToField
from secondcrm.records.models import CustomField, Record
from secondcrm.records.registry import Module

from .models import DuplicateMode

# A row that names an account nobody can find may create it, when the user ticks "create missing accounts".
ACCOUNTS = "accounts"


class Kind:
    VALUE = "value"  # a model field of the module
    CUSTOM = "custom"  # a custom field, stored in Record.custom
    OWNER = "owner"  # Assigned To
    LINK = "link"  # a record of another module, named by its title


# Custom fields whose stored JSON compares as text with what a row holds, so they can find duplicates.
CUSTOM_DUPLICATE_TYPES = {
    CustomField.Type.TEXT,
    CustomField.Type.EMAIL,
    CustomField.Type.PHONE,
    CustomField.Type.URL,
    CustomField.Type.NUMBER,
    CustomField.Type.DATE,
    CustomField.Type.PICKLIST,
}
# Model fields that find duplicates: short text (names, emails, phones, picklists), numbers and dates.
MODEL_DUPLICATE_TYPES = (models.CharField, models.IntegerField, models.DecimalField, models.DateField)


@dataclass(frozen=True, eq=False)
class ImportField:
    """A field a column of an import can fill, with the form field that validates its values."""

    name: str
    label: str
    mandatory: bool
    kind: str
    form_field: forms.Field
    model_field: models.Field | None = None
    custom: CustomField | None = None
    # For a LINK: the module of the records it points at, matched by that module's title field.
    link: Module | None = None

    @property
    def finds_duplicates(self) -> bool:
        if self.kind == Kind.CUSTOM:
            return self.custom.field_type in CUSTOM_DUPLICATE_TYPES
        if self.kind != Kind.VALUE:
            return False
        field = self.model_field
        return isinstance(field, MODEL_DUPLICATE_TYPES) and not isinstance(field, models.DateTimeField)


def importable_fields(module: Module, user) -> dict[str, ImportField]:
    """The fields of ``module`` that ``user`` may fill by import, by name in layout order."""
    form = module.form(user=user)
    specs = field_specs(module)
    names = [name for name in specs if name in form.fields] + [name for name in form.fields if name not in specs]
    found = {}
    for name in names:
        form_field = form.fields[name]
        if form_field.disabled or isinstance(form_field, forms.FileField):
            continue
        field = _import_field(module, name, form_field, form.custom_fields.get(name))
        if field is not None:
            found[name] = field
    return found


def _import_field(module: Module, name: str, form_field: forms.Field, custom: CustomField | None):
    label = str(form_field.label)
    if isinstance(form_field, AssignedToField):
        # Records without an owner column belong to the importing user.
        return ImportField(name, label, False, Kind.OWNER, form_field)
    if custom is not None:
        return ImportField(name, label, custom.mandatory, Kind.CUSTOM, form_field, custom=custom)
    try:
        model_field = module.model._meta.get_field(name)
    except FieldDoesNotExist:
        return None  # a form-only field: nothing to store
    mandatory = system_mandatory(module, name)
    if model_field.many_to_one:
        target = model_field.related_model
        if not (isinstance(target, type) and issubclass(target, Record) and target.module is not None):
            return None  # a link to something that is not a record (a document's folder) has no title to match
        return ImportField(name, label, mandatory, Kind.LINK, form_field, model_field, link=target.module)
    if not model_field.concrete or model_field.many_to_many:
        return None
    return ImportField(name, label, mandatory, Kind.VALUE, form_field, model_field)


def auto_mapping(columns: list[str], fields: dict[str, ImportField]) -> dict[str, str]:
    """Column index (as text) → field, for each column whose header is a field's label or name (any case);
    a field is mapped to the first such column only."""
    by_header = {}
    for field in fields.values():
        by_header.setdefault(field.name.lower(), field.name)
        by_header.setdefault(field.label.strip().lower(), field.name)
    mapping, taken = {}, set()
    for index, column in enumerate(columns):
        name = by_header.get(column.strip().lower())
        if name is not None and name not in taken:
            mapping[str(index)] = name
            taken.add(name)
    return mapping


def mapping_errors(module: Module, user, mapping: dict, duplicate_mode: str, duplicate_fields: list) -> list[str]:
    """What keeps a mapping from running, as messages for the user (none: it can run)."""
    fields = importable_fields(module, user)
    return mapping_problems(fields, mapping, duplicate_mode, duplicate_fields)


def mapping_problems(fields: dict[str, ImportField], mapping: dict, duplicate_mode: str, duplicate_fields: list):
    """``mapping_errors`` for fields already read (the background run builds them once)."""
    errors, mapped = [], set()
    for column, name in mapping.items():
        if not name:
            continue
        if not str(column).isdigit():
            errors.append(f"{column!r} is not a column of the file.")
        elif name not in fields:
            errors.append(f"Column {int(column) + 1} is mapped to {name!r}, which is not a field you may import.")
        elif name in mapped:
            errors.append(f"{fields[name].label} is mapped to more than one column: map it to one only.")
        mapped.add(name)
    for field in fields.values():
        if field.mandatory and field.name not in mapped:
            errors.append(f"{field.label} is mandatory: map a column to it.")
    if duplicate_mode != DuplicateMode.CREATE:
        if not duplicate_fields:
            errors.append("Choose the fields that tell that a row is a duplicate of a record.")
        choices = {name for name, field in fields.items() if field.finds_duplicates}
        for name in duplicate_fields:
            label = fields[name].label if name in fields else repr(name)
            if name not in choices:
                errors.append(f"{label} cannot be used to find duplicates.")
            elif name not in mapped:
                errors.append(f"{label} finds duplicates, so map a column to it.")
    return errors


def duplicate_field_choices(module: Module, user) -> dict[str, str]:
    """Name → label of the fields a duplicate check may compare."""
    return {name: field.label for name, field in importable_fields(module, user).items() if field.finds_duplicates}


def links_accounts(module: Module) -> bool:
    """Whether records of ``module`` point at an account, so that "create missing accounts" applies."""
    return any(
        field.many_to_one
        and field.editable
        and isinstance(field.related_model, type)
        and issubclass(field.related_model, Record)
        and getattr(field.related_model.module, "name", None) == ACCOUNTS
        for field in module.model._meta.concrete_fields
    )


def may_import(module: Module, user) -> bool:
    """Whether the list offers Import: the user may import new records into ``module``."""
    return import_refusal(module, user, DuplicateMode.CREATE) is None


def import_refusal(module: Module, user, duplicate_mode: str) -> str | None:
    """Why ``user`` may not import into ``module`` with ``duplicate_mode``, or None: importing takes the profile's
    Import right with View and Create, and Edit too when duplicates are overwritten or merged."""
    if not user.is_active:
        return "Your user has been deactivated."
    changes_records = duplicate_mode in (DuplicateMode.OVERWRITE, DuplicateMode.MERGE)
    needed = ["import", "view", "create"] + (["edit"] if changes_records else [])
    access = access_for(user)
    missing = [right for right in needed if not access.can(module.name, right)]
    if missing:
        return f"You may not import {module.label.lower()}: your profile does not allow {', '.join(missing)}."
    return None
