"""Which fields of a module are picklists, and which of their values a user may pick.

A picklist is either a standard model field declared as ``PicklistField`` or a custom field of type picklist
or multi-select picklist. Users pick from their role's values in the editor's order; admins from every value.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist

from secondcrm.records.arrangement import field_specs
from secondcrm.records.display import field_label
from secondcrm.records.models import CustomField
from secondcrm.records.registry import Module, registry

from .fields import PicklistField
from .models import PicklistValue

PICKLIST_TYPES = (CustomField.Type.PICKLIST, CustomField.Type.MULTIPICKLIST)
# A value is a label in a select: longer ones would not fit any screen.
VALUE_MAX_LENGTH = PicklistValue._meta.get_field("value").max_length
NOT_ACCESSIBLE = "{} (not accessible)"


@dataclass(frozen=True)
class Picklist:
    """One picklist field of a module, standard or custom."""

    module: Module
    name: str
    label: str
    custom: CustomField | None = None

    @property
    def is_custom(self) -> bool:
        return self.custom is not None

    @property
    def multiple(self) -> bool:
        return self.is_custom and self.custom.field_type == CustomField.Type.MULTIPICKLIST

    @property
    def mandatory(self) -> bool:
        if self.custom is not None:
            return self.custom.mandatory
        return not self.module.model._meta.get_field(self.name).blank

    @property
    def max_length(self) -> int:
        """The longest value the field can hold: a standard field's column may be narrower than a value."""
        if self.custom is not None:
            return VALUE_MAX_LENGTH
        return min(VALUE_MAX_LENGTH, self.module.model._meta.get_field(self.name).max_length)


def as_module(module: Module | str) -> Module:
    return module if isinstance(module, Module) else registry.get(module)


def is_standard_picklist(module: Module, name: str) -> bool:
    try:
        return isinstance(module.model._meta.get_field(name), PicklistField)
    except FieldDoesNotExist:
        return False


def standard_picklist_names(module: Module) -> list[str]:
    return [f.name for f in module.model._meta.get_fields() if isinstance(f, PicklistField)]


def custom_picklists(module: Module) -> dict[str, CustomField]:
    """The module's custom picklist and multi-select picklist fields (not deleted), by name."""
    return {d.name: d for d in CustomField.objects.filter(module=module.name, field_type__in=PICKLIST_TYPES)}


def picklists(module: Module | str) -> list[Picklist]:
    """The module's picklists in layout order (hidden fields too: their records still hold values)."""
    module = as_module(module)
    found: dict[str, Picklist] = {}
    for name, spec in field_specs(module).items():
        if spec.is_custom and spec.custom.field_type in PICKLIST_TYPES:
            found[name] = Picklist(module, name, spec.label, spec.custom)
        elif not spec.is_custom and is_standard_picklist(module, name):
            found[name] = Picklist(module, name, spec.label)
    for name in standard_picklist_names(module):  # a picklist the module's blocks leave out
        found.setdefault(name, Picklist(module, name, field_label(module.model._meta.get_field(name))))
    return list(found.values())


def picklist_for(module: Module | str, field: str) -> Picklist | None:
    """The picklist ``field`` of ``module``, or None when it is not one (or the module is not registered)."""
    if not isinstance(module, Module) and module not in registry:
        return None
    return next((p for p in picklists(module) if p.name == field), None)


def picklist_modules() -> list[Module]:
    """Modules with at least one picklist, in menu order."""
    with_custom = set(
        CustomField.objects.filter(field_type__in=PICKLIST_TYPES).values_list("module", flat=True).distinct()
    )
    return [m for m in registry if m.name in with_custom or standard_picklist_names(m)]


def picklist_fields(module: Module | str) -> list[tuple[str, str]]:
    """(field name, label) of each picklist of ``module``, in layout order."""
    return [(p.name, p.label) for p in picklists(module)]


def picklist_choices(module: Module | str, user, fields=None) -> dict[str, list[str]]:
    """{field: values ``user`` may pick, in order} for the module's picklists (or just ``fields``), in one
    query. A user without a role may pick nothing; an admin may pick every value."""
    name = as_module(module).name
    rows = PicklistValue.objects.filter(module=name)
    if fields is not None:
        rows = rows.filter(field__in=list(fields))
    if not user.is_superuser:
        rows = rows.filter(roles=user.role_id) if user.role_id else rows.none()
    found: dict[str, list[str]] = {}
    for field, value in rows.order_by("field", "position", "pk").values_list("field", "value"):
        found.setdefault(field, []).append(value)
    return found


def choices_for(module: Module | str, field: str, user) -> list[str]:
    """The values of picklist ``field`` that ``user`` may pick, in the editor's order."""
    return picklist_choices(module, user, [field]).get(field, [])
