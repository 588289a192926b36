"""The Updates history: which field changed from what to what, written on every save."""

from django.contrib.contenttypes.models import ContentType

from .display import custom_field_display, field_label, model_field_raw_display
from .models import CustomField, Update

# Bookkeeping columns every record has; their changes are not news to the user.
UNTRACKED = {
    "id",
    "number",
    "custom",
    "created_at",
    "modified_at",
    "created_by",
    "modified_by",
    "deleted_at",
    "deleted_by",
}


def field_changes(record, definitions: dict[str, CustomField] | None = None) -> list[dict]:
    """Each tracked field whose value differs from what was loaded: label, old and new display text.
    ``definitions`` (the module's custom fields by name) spare a query per record when many are compared."""
    loaded = getattr(record, "_loaded", None)
    if loaded is None:
        return []
    changes = []
    for field in record._meta.concrete_fields:
        if field.name in UNTRACKED or field.attname not in loaded:
            continue
        old, new = loaded[field.attname], getattr(record, field.attname)
        if _normalize(old) != _normalize(new):
            changes.append(
                {
                    "field": field.name,
                    "label": field_label(field),
                    "old": model_field_raw_display(field, old),
                    "new": model_field_raw_display(field, new),
                }
            )
    old_custom, new_custom = loaded.get("custom") or {}, record.custom or {}
    if definitions is None:
        definitions = custom_field_definitions(record.module)
    for key in sorted(set(old_custom) | set(new_custom)):
        old, new = old_custom.get(key), new_custom.get(key)
        if _normalize(old) != _normalize(new) and key in definitions:
            definition = definitions[key]
            changes.append(
                {
                    "field": key,
                    "label": definition.label,
                    "old": custom_field_display(definition, old),
                    "new": custom_field_display(definition, new),
                }
            )
    return changes


def custom_field_definitions(module) -> dict[str, CustomField]:
    return {definition.name: definition for definition in CustomField.objects.filter(module=module.name)}


def _normalize(value):
    return None if value in ("", None, []) else value


def record_changes(record, *, actor, created: bool) -> None:
    if created:
        action, changes = Update.Action.CREATED, []
    else:
        action, changes = Update.Action.UPDATED, field_changes(record)
        if not changes:
            return
    log_update(record, action=action, actor=actor, changes=changes)


def log_update(record, *, action: str, actor, changes: list | None = None) -> Update:
    return Update.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        user=actor,
        action=action,
        changes=changes or [],
    )
