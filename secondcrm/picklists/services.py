"""Changes to picklists: set a new picklist's values, add, rename, delete (with a replacement), reorder, and
choose the values a role may pick.

Records store a value's text, not a reference, so renaming or deleting a value rewrites every record of the
module that holds it, the Recycle Bin's included (restoring a record must not bring back a value that no
longer exists). Each service is atomic and takes the admin who acts, like the other Settings services.
"""

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from secondcrm.access.models import Role, User
from secondcrm.access.permissions import access_changed
from secondcrm.records.models import CustomField
from secondcrm.records.registry import Module

from .choices import Picklist, picklist_for
from .models import PicklistValue

logger = logging.getLogger(__name__)
BATCH = 2000


def _require_admin(acting_user: User) -> None:
    if not acting_user.is_superuser:
        raise PermissionDenied("Only an admin may change picklists.")


def picklist_or_error(module: Module | str, field: str) -> Picklist:
    picklist = picklist_for(module, field)
    if picklist is None:
        raise ValidationError(f"{module}.{field} is not a picklist.")
    return picklist


def _rows(picklist: Picklist):
    return PicklistValue.objects.filter(module=picklist.module.name, field=picklist.name)


def _picklist_of(value: PicklistValue) -> Picklist:
    return picklist_or_error(value.module, value.field)


def clean_value(picklist: Picklist, text: str, *, exclude: PicklistValue | None = None) -> str:
    """``text`` as a value of ``picklist``: spaces collapsed, not empty, not too long, not already there
    (whatever its case). ``exclude`` is the value being renamed, which may change its own case."""
    value = " ".join(str(text or "").split())
    if not value:
        raise ValidationError("Enter a value.")
    if len(value) > picklist.max_length:
        raise ValidationError(
            f"A value of {picklist.label} can be at most {picklist.max_length} characters (this one has {len(value)})."
        )
    clash = _rows(picklist).filter(value__iexact=value)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError(f"{picklist.label} already has the value “{clash.first().value}”.")
    return value


def _sync_definition(picklist: Picklist) -> None:
    """Keep a custom field's own list of choices equal to its values: code that reads the definition (the
    layout editor, imports) sees what the editor shows. An UPDATE, so no signal takes it for a new field, and
    the cached layouts that hold the definition are made stale by hand."""
    if picklist.is_custom:
        values = list(_rows(picklist).order_by("position", "pk").values_list("value", flat=True))
        CustomField.all_objects.filter(module=picklist.module.name, name=picklist.name).update(choices=values)
        access_changed()


def create_values(
    module: str, field: str, values: Iterable[str], *, roles: Iterable[Role] | None = None, system_values=()
) -> list[PicklistValue]:
    """Append ``values`` to a picklist for ``roles`` (every role when None), skipping blanks and values it
    already has. Internal: the services and signals that call it have checked who acts."""
    taken = {
        v.lower() for v in PicklistValue.objects.filter(module=module, field=field).values_list("value", flat=True)
    }
    last = PicklistValue.objects.filter(module=module, field=field).order_by("-position").first()
    position = last.position + 1 if last else 0
    system = {v.lower() for v in system_values}
    roles = list(Role.objects.all() if roles is None else roles)
    created = []
    for text in values:
        value = " ".join(str(text).split())[: PicklistValue._meta.get_field("value").max_length]
        if not value or value.lower() in taken:
            continue
        taken.add(value.lower())
        row = PicklistValue.objects.create(
            module=module, field=field, value=value, position=position, is_system=value.lower() in system
        )
        row.roles.set(roles)
        created.append(row)
        position += 1
    return created


@transaction.atomic
def picklist_values_set(
    *, module: Module | str, field: str, values: list[str], acting_user: User, system_values: Iterable[str] = ()
) -> list[PicklistValue]:
    """Make ``values`` the values of a picklist, in that order, each for every role: what the layout editor
    calls when it creates a picklist field. Values it already has keep their roles; other values go, except
    system values. Records keep what they hold (a value that went shows as not accessible): to change
    records too, use ``picklist_value_delete``. Refuses blank, over-long or repeated values."""
    _require_admin(acting_user)
    picklist = picklist_or_error(module, field)
    cleaned: list[str] = []
    for text in values:
        value = " ".join(str(text or "").split())
        if not value:
            raise ValidationError("A picklist value cannot be blank.")
        if len(value) > picklist.max_length:
            raise ValidationError(f"A value of {picklist.label} can be at most {picklist.max_length} characters.")
        if value.lower() in {v.lower() for v in cleaned}:
            raise ValidationError(f"The value “{value}” is given twice.")
        cleaned.append(value)
    rows = list(_rows(picklist).select_for_update())
    wanted = {v.lower(): index for index, v in enumerate(cleaned)}
    _rows(picklist).filter(pk__in=[r.pk for r in rows if r.value.lower() not in wanted and not r.is_system]).delete()
    kept = {r.value.lower(): r for r in rows if r.value.lower() in wanted}
    for row in kept.values():
        row.value, row.position = cleaned[wanted[row.value.lower()]], wanted[row.value.lower()]
        row.save(update_fields=["value", "position"])
    create_values(
        picklist.module.name, picklist.name, [v for v in cleaned if v.lower() not in kept], system_values=system_values
    )
    # Created values went to the end: put every value where the list has it (system values left over last).
    order = {v.lower(): i for i, v in enumerate(cleaned)}
    result = list(_rows(picklist))
    result.sort(key=lambda r: (order.get(r.value.lower(), len(order)), r.position))
    _store_order(result)
    _sync_definition(picklist)
    logger.info("%s set the values of %s.%s", acting_user, picklist.module.name, picklist.name)
    return result


@transaction.atomic
def picklist_value_add(
    *, module: Module | str, field: str, value: str, acting_user: User, roles: Iterable[Role] | None = None
) -> PicklistValue:
    """Add ``value`` at the end of a picklist, for ``roles`` (every role when None)."""
    _require_admin(acting_user)
    picklist = picklist_or_error(module, field)
    list(_rows(picklist).select_for_update())  # one change to a picklist at a time
    value = clean_value(picklist, value)
    try:
        with transaction.atomic():
            (row,) = create_values(picklist.module.name, picklist.name, [value], roles=roles)
    except IntegrityError:  # added by someone else meanwhile
        raise ValidationError(f"{picklist.label} already has the value “{value}”.") from None
    _sync_definition(picklist)
    logger.info("%s added %r to %s.%s", acting_user, value, picklist.module.name, picklist.name)
    return row


def _refresh(value: PicklistValue) -> None:
    try:
        value.refresh_from_db()
    except PicklistValue.DoesNotExist:
        raise ValidationError("That value no longer exists; the list has been reloaded.") from None


def _refuse_system(value: PicklistValue, doing: str) -> None:
    if value.is_system:
        raise ValidationError(
            f"“{value.value}” is a system value: the application relies on it, so it cannot be {doing}."
        )


def _replace_in_records(picklist: Picklist, old: str, new: str) -> int:
    """Every record of the module holding ``old`` (Recycle Bin included) holds ``new`` instead; returns how
    many records changed. A standard field is one UPDATE; custom values are rewritten inside the JSON."""
    model = picklist.module.model
    if not picklist.is_custom:
        return model.all_objects.filter(**{picklist.name: old}).update(**{picklist.name: new})
    key = picklist.name
    records = model.all_objects.all()
    if connection.features.supports_json_field_contains:  # PostgreSQL: answered by the GIN index on custom
        records = records.filter(custom__contains={key: [old] if picklist.multiple else old})
    else:
        records = records.filter(custom__has_key=key)
    changed, batch = 0, []
    for record in records.only("pk", "custom").iterator(chunk_size=BATCH):
        held = record.custom.get(key)
        if picklist.multiple and isinstance(held, list) and old in held:
            record.custom[key] = list(dict.fromkeys(new if item == old else item for item in held))
        elif not picklist.multiple and held == old:
            record.custom[key] = new
        else:
            continue
        batch.append(record)
        if len(batch) >= BATCH:
            changed += model.all_objects.bulk_update(batch, ["custom"])
            batch = []
    if batch:
        changed += model.all_objects.bulk_update(batch, ["custom"])
    return changed


@transaction.atomic
def picklist_value_rename(*, value: PicklistValue, new_value: str, acting_user: User) -> int:
    """Rename ``value``; the records holding it hold the new name. Returns how many records changed."""
    _require_admin(acting_user)
    picklist = _picklist_of(value)
    list(_rows(picklist).select_for_update())
    _refresh(value)
    _refuse_system(value, "renamed")
    new_value = clean_value(picklist, new_value, exclude=value)
    if new_value == value.value:
        return 0
    old = value.value
    value.value = new_value
    value.save(update_fields=["value"])
    changed = _replace_in_records(picklist, old, new_value)
    _sync_definition(picklist)
    logger.info(
        "%s renamed %r to %r in %s.%s (%d records)", acting_user, old, new_value, value.module, value.field, changed
    )
    return changed


@transaction.atomic
def picklist_value_delete(*, value: PicklistValue, replacement: PicklistValue, acting_user: User) -> int:
    """Delete ``value``; the records holding it hold ``replacement`` (another value of the same picklist)
    instead. System values cannot be deleted. Returns how many records changed."""
    _require_admin(acting_user)
    picklist = _picklist_of(value)
    list(_rows(picklist).select_for_update())
    _refresh(value)
    _refuse_system(value, "deleted")
    if not _rows(picklist).filter(pk=replacement.pk).exclude(pk=value.pk).exists():
        raise ValidationError(f"Choose the value that replaces “{value.value}”: another value of {picklist.label}.")
    replacement.refresh_from_db()
    changed = _replace_in_records(picklist, value.value, replacement.value)
    value.delete()
    _sync_definition(picklist)
    logger.info(
        "%s deleted %r from %s.%s, replaced by %r in %d records",
        acting_user,
        value.value,
        value.module,
        value.field,
        replacement.value,
        changed,
    )
    return changed


def _store_order(rows: list[PicklistValue]) -> None:
    for position, row in enumerate(rows):
        row.position = position
    PicklistValue.objects.bulk_update(rows, ["position"])


@transaction.atomic
def picklist_reorder(*, module: Module | str, field: str, order: list[int], acting_user: User) -> None:
    """Put the picklist's values in ``order`` (their ids, every value exactly once)."""
    _require_admin(acting_user)
    picklist = picklist_or_error(module, field)
    rows = {row.pk: row for row in _rows(picklist).select_for_update()}
    if len(order) != len(set(order)) or set(order) != set(rows):
        raise ValidationError("The values of this picklist changed meanwhile; the list has been reloaded.")
    _store_order([rows[pk] for pk in order])
    _sync_definition(picklist)
    logger.info("%s reordered %s.%s", acting_user, picklist.module.name, picklist.name)


@transaction.atomic
def picklist_value_move(*, value: PicklistValue, offset: int, acting_user: User) -> None:
    """Move ``value`` ``offset`` places up (negative) or down the list: the Up and Down buttons."""
    _require_admin(acting_user)
    rows = list(PicklistValue.objects.filter(module=value.module, field=value.field).select_for_update())
    index = next((i for i, row in enumerate(rows) if row.pk == value.pk), None)
    if index is None:
        raise ValidationError("That value no longer exists; the list has been reloaded.")
    rows.insert(max(0, min(len(rows) - 1, index + offset)), rows.pop(index))
    _store_order(rows)
    _sync_definition(_picklist_of(value))


@transaction.atomic
def picklist_roles_set(
    *, module: Module | str, field: str, role: Role, values: Iterable[PicklistValue], acting_user: User
) -> None:
    """Make ``values`` the values of the picklist that users of ``role`` may pick. A mandatory picklist needs
    at least one, or the role's users could not save a record."""
    _require_admin(acting_user)
    picklist = picklist_or_error(module, field)
    rows = {row.pk: row for row in _rows(picklist).select_for_update()}
    chosen = {value.pk for value in values}
    if not chosen <= set(rows):
        raise ValidationError("Some of these values are not values of this picklist; the list has been reloaded.")
    if not chosen and picklist.mandatory:
        raise ValidationError(
            f"{picklist.label} is mandatory: choose at least one value that users of {role} may pick."
        )
    role.picklist_values.remove(*[row for pk, row in rows.items() if pk not in chosen])
    role.picklist_values.add(*[rows[pk] for pk in chosen])
    logger.info(
        "%s chose %d values of %s.%s for %s", acting_user, len(chosen), picklist.module.name, picklist.name, role
    )
