"""Changes to a module's layout made in the Layout Editor: blocks (add, rename, delete, reorder), custom fields
(add, edit, delete, restore, purge), standard fields (hide, show, rename) and the arrangement of fields in
blocks (drag and drop, or Move Up / Move Down).

Each service is atomic and takes the admin who acts, like the role services, so that a caller other than the
Settings pages cannot skip the admin check. The layout itself is read and stored by
``secondcrm.records.arrangement``; these services keep its rules: every field in exactly one block, block
titles unique per module, field labels unique per module (nobody could tell two "Region" fields apart in a
form, a filter or an import mapping).

A custom field's values live in each record's ``custom`` JSON. Deleting the field only marks it deleted, so its
values come back on restore; purging removes them from every record for good.
"""

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify

from secondcrm.access.models import FieldRight, HiddenField, User
from secondcrm.records.arrangement import BlockSpec, FieldSpec, arrange, field_specs, module_layout
from secondcrm.records.forms import custom_form_field, json_value
from secondcrm.records.models import CustomField, FieldPlacement, LayoutBlock
from secondcrm.records.registry import Module, registry

logger = logging.getLogger(__name__)

PICKLIST_TYPES = frozenset({CustomField.Type.PICKLIST, CustomField.Type.MULTIPICKLIST})
YES = frozenset({"yes", "y", "true", "1", "on", "checked"})
NO = frozenset({"no", "n", "false", "0", "off", "unchecked"})
PURGE_BATCH = 1000
NAME_LENGTH = CustomField._meta.get_field("name").max_length


def _require_admin(acting_user: User) -> None:
    if not acting_user.is_superuser:
        raise PermissionDenied("Only an admin may change a module's layout.")


def clean_text(value: str) -> str:
    """A label or title as typed, with runs of spaces made one: "Account  Type " is "Account Type"."""
    return " ".join(value.split())


# --- checks the forms share with the services ------------------------------------------------------------


def label_clash(module: Module, label: str, *, ignore: str = "") -> str:
    """Why ``label`` cannot be given to a field of ``module`` other than the field named ``ignore``; "" if it
    can. Compared case-insensitively with every field's label, the standard label of each standard field, and
    the labels of deleted custom fields (which would clash again on restore)."""
    wanted = label.casefold()
    for spec in field_specs(module).values():
        if spec.name == ignore:
            continue
        if spec.is_custom and spec.label.casefold() == wanted:
            return f"There is already a custom field labelled {spec.label}."
        if not spec.is_custom and wanted in (spec.label.casefold(), spec.standard_label.casefold()):
            return f"{label} is the label of a standard field ({spec.standard_label}); choose another label."
    deleted = (
        CustomField.all_objects.filter(module=module.name, deleted_at__isnull=False, label__iexact=label)
        .exclude(name=ignore)
        .first()
    )
    if deleted is not None:
        return f"A deleted custom field is labelled {deleted.label}: restore it, or purge it first."
    return ""


def block_title_clash(module: Module, title: str, *, ignore: str = "") -> str:
    """Why no block of ``module`` (other than ``ignore``) may be called ``title``; "" if one may."""
    for block in module_layout(module, include_hidden=True):
        if block.title != ignore and block.title.casefold() == title.casefold():
            return f"There is already a block called {block.title}."
    return ""


def picklist_values(text: str) -> list[str]:
    """Picklist values typed one per line: blank lines dropped, a value listed twice (in any case) refused."""
    values: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        value = clean_text(line)
        if not value:
            continue
        if value.casefold() in seen:
            raise ValidationError(f"The value {value} is listed twice: each picklist value must be unique.")
        if len(value) > 100:
            raise ValidationError(f"The value {value[:20]}… is too long: at most 100 characters.")
        seen.add(value.casefold())
        values.append(value)
    return values


def default_value(definition: CustomField, text: str, *, values: list[str] | None = None):
    """The default typed in the Layout Editor, as the custom field will store it; None for no default.

    It is checked by the field's own form field, the one every create form uses, so a default can never be a
    value the form would refuse. A checkbox takes yes or no; a multi-select picklist takes values separated by
    commas; ``values`` are the picklist values of a field not saved yet (a saved one offers its own)."""
    text = text.strip()
    if not text:
        return None
    T = CustomField.Type
    if definition.field_type == T.CHECKBOX:
        if text.casefold() in YES:
            return True
        if text.casefold() in NO:
            return False
        raise ValidationError("For a checkbox, enter yes or no, or leave the default empty.")
    if definition.field_type in PICKLIST_TYPES:
        if values is None:
            values = [value for value, _ in custom_form_field(definition).choices if value]
        wanted = [clean_text(part) for part in text.split(",")] if definition.field_type == T.MULTIPICKLIST else [text]
        for value in wanted:
            if value and value not in values:
                raise ValidationError(f"{value} is not one of the picklist values.")
        return [value for value in wanted if value] if definition.field_type == T.MULTIPICKLIST else text
    form_field = custom_form_field(definition)
    form_field.required = False
    return json_value(form_field.clean(text))


def default_text(definition: CustomField) -> str:
    """A stored default as the Layout Editor's default input shows it (the reverse of ``default_value``)."""
    value = definition.default
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def records_holding(definition: CustomField) -> int:
    """How many records (in the Recycle Bin too) hold a value for the custom field."""
    model = registry.get(definition.module).model
    return model.all_objects.filter(custom__has_key=definition.name).count()


# --- blocks ----------------------------------------------------------------------------------------------


def find_block(module: Module, title: str) -> BlockSpec:
    for block in module_layout(module, include_hidden=True):
        if block.title == title:
            return block
    raise ValidationError(f"{module.label} has no block called {title}.")


def _store_block_order(module: Module, titles: list[str]) -> None:
    """Every block gets its row: the order shown so far may still come partly from the module's declaration,
    which a single stored row would otherwise overtake."""
    for position, title in enumerate(titles):
        LayoutBlock.objects.update_or_create(module=module.name, title=title, defaults={"position": position})


def _block_titles(module: Module) -> list[str]:
    return [block.title for block in module_layout(module, include_hidden=True)]


@transaction.atomic
def block_add(*, module: Module, title: str, acting_user: User) -> LayoutBlock:
    """A new, empty block after the module's other blocks."""
    _require_admin(acting_user)
    title = clean_text(title)
    if not title:
        raise ValidationError({"title": "Enter a title for the block."})
    if problem := block_title_clash(module, title):
        raise ValidationError({"title": problem})
    _store_block_order(module, [*_block_titles(module), title])
    logger.info("%s added block %s to %s", acting_user, title, module)
    return LayoutBlock.objects.get(module=module.name, title=title)


@transaction.atomic
def block_rename(*, module: Module, title: str, new_title: str, acting_user: User) -> None:
    """Rename a block added in the Layout Editor; its fields (deleted custom fields too) follow it."""
    _require_admin(acting_user)
    block = find_block(module, title)
    if not block.is_custom:
        raise ValidationError(f"{title} is a standard block of {module.label}: only added blocks can be renamed.")
    new_title = clean_text(new_title)
    if not new_title:
        raise ValidationError({"title": "Enter a title for the block."})
    if problem := block_title_clash(module, new_title, ignore=title):
        raise ValidationError({"title": problem})
    titles = [new_title if t == title else t for t in _block_titles(module)]
    LayoutBlock.objects.filter(module=module.name, title=title).delete()
    _store_block_order(module, titles)
    CustomField.all_objects.filter(module=module.name, block=title).update(block=new_title)
    FieldPlacement.objects.filter(module=module.name, block=title).update(block=new_title)
    logger.info("%s renamed block %s of %s to %s", acting_user, title, module, new_title)


@transaction.atomic
def block_delete(*, module: Module, title: str, acting_user: User) -> None:
    """Delete an empty block added in the Layout Editor. Deleted custom fields that were in it bring it back
    if they are restored."""
    _require_admin(acting_user)
    block = find_block(module, title)
    if not block.is_custom:
        raise ValidationError(f"{title} is a standard block of {module.label} and cannot be deleted.")
    if block.fields:
        raise ValidationError(f"{title} still holds fields: move them to another block first.")
    LayoutBlock.objects.filter(module=module.name, title=title).delete()
    logger.info("%s deleted block %s of %s", acting_user, title, module)


@transaction.atomic
def block_move(*, module: Module, title: str, offset: int, acting_user: User) -> bool:
    """Move a block ``offset`` places (-1 up, +1 down); False if it is already first or last."""
    _require_admin(acting_user)
    find_block(module, title)
    titles = _block_titles(module)
    index = titles.index(title)
    target = index + offset
    if not 0 <= target < len(titles):
        return False
    titles.insert(target, titles.pop(index))
    _store_block_order(module, titles)
    return True


# --- arrangement -----------------------------------------------------------------------------------------


def current_arrangement(module: Module) -> list[tuple[str, list[str]]]:
    return [(block.title, [spec.name for spec in block.fields]) for block in module_layout(module, include_hidden=True)]


@transaction.atomic
def layout_arrange(*, module: Module, arrangement: list[tuple[str, list[str]]], acting_user: User) -> None:
    """Store the arrangement dropped in the Layout Editor: every block of the module once, in the new order,
    each with its fields in order. Raises ValueError for an arrangement that leaves out or repeats a block or
    a field (a page opened before another admin's change)."""
    _require_admin(acting_user)
    titles = [title for title, _ in arrangement]
    if sorted(titles) != sorted(_block_titles(module)):
        raise ValueError("An arrangement must list every block of the module exactly once.")
    arrange(module, arrangement)
    logger.info("%s rearranged the layout of %s", acting_user, module)


@transaction.atomic
def field_move(*, module: Module, name: str, offset: int, acting_user: User) -> bool:
    """Move a field one place up (-1) or down (+1), the way to rearrange without drag and drop. At the top of
    a block it moves to the end of the block above; at the bottom, to the start of the block below. False if
    it is the very first or last field."""
    _require_admin(acting_user)
    arrangement = current_arrangement(module)
    for index, (_, names) in enumerate(arrangement):
        if name in names:
            block_index, position = index, names.index(name)
            break
    else:
        raise ValidationError(f"{module.label} has no field {name}.")
    names = arrangement[block_index][1]
    target = position + offset
    if 0 <= target < len(names):
        names.insert(target, names.pop(position))
    else:
        next_block = block_index + offset
        if not 0 <= next_block < len(arrangement):
            return False
        names.pop(position)
        destination = arrangement[next_block][1]
        destination.insert(len(destination) if offset < 0 else 0, name)
    arrange(module, arrangement)
    return True


# --- standard fields -------------------------------------------------------------------------------------


def _standard_spec(module: Module, name: str) -> FieldSpec:
    spec = field_specs(module).get(name)
    if spec is None or spec.is_custom:
        raise ValidationError(f"{module.label} has no standard field {name}.")
    return spec


def _place(module: Module, spec: FieldSpec, **changes) -> None:
    """Change a standard field's placement row, creating it where the field stands now."""
    FieldPlacement.objects.update_or_create(
        module=module.name,
        field=spec.name,
        defaults=changes,
        create_defaults={"block": spec.block, "position": spec.position, **changes},
    )


@transaction.atomic
def standard_field_visibility(*, module: Module, name: str, hidden: bool, acting_user: User) -> FieldSpec:
    """Hide a standard field from forms and detail views, or show it again. A field a record cannot be saved
    without cannot be hidden."""
    _require_admin(acting_user)
    spec = _standard_spec(module, name)
    if hidden and spec.mandatory:
        raise ValidationError(
            f"{spec.label} is mandatory: a {module.singular.lower()} cannot be saved without it, "
            "so it cannot be hidden."
        )
    _place(module, spec, hidden=hidden)
    logger.info("%s %s %s of %s", acting_user, "hid" if hidden else "showed", name, module)
    return spec


@transaction.atomic
def standard_field_rename(*, module: Module, name: str, label: str, acting_user: User) -> str:
    """Give a standard field another label; an empty label (or its standard one) brings the standard label
    back. Returns the label now shown."""
    _require_admin(acting_user)
    spec = _standard_spec(module, name)
    label = clean_text(label)
    stored = "" if label in ("", spec.standard_label) else label
    if stored and (problem := label_clash(module, stored, ignore=name)):
        raise ValidationError({"label": problem})
    _place(module, spec, label=stored)
    logger.info("%s relabelled %s of %s as %r", acting_user, name, module, stored or spec.standard_label)
    return stored or spec.standard_label


# --- custom fields ---------------------------------------------------------------------------------------


def custom_field_name(module: Module, label: str) -> str:
    """``cf_`` + the label's slug, numbered if taken: deleted fields keep their name (and their values in the
    records) until purged, so their names count as taken."""
    base = ("cf_" + (slugify(label).replace("-", "_") or "field"))[: NAME_LENGTH - 4]
    taken = set(
        CustomField.all_objects.filter(module=module.name, name__startswith=base).values_list("name", flat=True)
    )
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    return name


def _hand_values_to_picklists(module: Module, definition: CustomField, values: list[str], acting_user: User) -> None:
    """The picklist engine keeps values per role; until it is installed, ``CustomField.choices`` holds them
    (and keeps holding them: the engine migrates them from there)."""
    try:
        from secondcrm.picklists.services import picklist_values_set
    except ModuleNotFoundError as error:
        if error.name not in ("secondcrm.picklists", "secondcrm.picklists.services"):
            raise
        return
    picklist_values_set(module=module.name, field=definition.name, values=values, acting_user=acting_user)


@transaction.atomic
def custom_field_add(
    *,
    module: Module,
    block: str,
    label: str,
    field_type: str,
    mandatory: bool = False,
    default: str = "",
    help_text: str = "",
    values: Iterable[str] = (),
    acting_user: User,
) -> CustomField:
    """A new custom field at the end of ``block``, on every form and detail view of the module at once.
    ``default`` is the default as typed (see ``default_value``); ``values`` are a picklist's values."""
    _require_admin(acting_user)
    target = find_block(module, block)
    label = clean_text(label)
    if not label:
        raise ValidationError({"label": "Enter a label for the field."})
    if field_type not in CustomField.Type.values:
        raise ValidationError({"field_type": "Choose one of the field types."})
    if problem := label_clash(module, label):
        raise ValidationError({"label": problem})
    values = list(values) if field_type in PICKLIST_TYPES else []
    if field_type in PICKLIST_TYPES:
        if not values:
            raise ValidationError({"values": "A picklist needs at least one value."})
        if len({v.casefold() for v in values}) != len(values):
            raise ValidationError({"values": "Each picklist value must be unique."})
    definition = CustomField(
        module=module.name,
        label=label,
        field_type=field_type,
        block=target.title,
        position=max((spec.position for spec in target.fields), default=-1) + 1,
        mandatory=mandatory,
        choices=values,
        help_text=clean_text(help_text),
    )
    try:
        definition.default = default_value(definition, default, values=values)
    except ValidationError as error:
        raise ValidationError({"default": error.messages}) from error
    for attempt in range(3):
        definition.name = custom_field_name(module, label)
        try:
            with transaction.atomic():  # another admin may take the same name at the same moment
                definition.save(force_insert=True)
            break
        except IntegrityError:
            definition.pk = None
            if attempt == 2:
                raise
    if values:
        _hand_values_to_picklists(module, definition, values, acting_user)
    logger.info("%s added custom field %s (%s) to %s", acting_user, definition.name, field_type, module)
    return definition


@transaction.atomic
def custom_field_update(
    *,
    definition: CustomField,
    label: str,
    mandatory: bool,
    default: str = "",
    help_text: str = "",
    acting_user: User,
) -> CustomField:
    """Change a custom field's label, mandatory flag, default (as typed) and help text; its type and name stay,
    so the values in the records keep their meaning."""
    _require_admin(acting_user)
    module = registry.get(definition.module)
    label = clean_text(label)
    if not label:
        raise ValidationError({"label": "Enter a label for the field."})
    if problem := label_clash(module, label, ignore=definition.name):
        raise ValidationError({"label": problem})
    try:
        definition.default = default_value(definition, default)
    except ValidationError as error:
        raise ValidationError({"default": error.messages}) from error
    definition.label = label
    definition.mandatory = mandatory
    definition.help_text = clean_text(help_text)
    definition.save(update_fields=["label", "mandatory", "default", "help_text"])
    logger.info("%s changed custom field %s of %s", acting_user, definition.name, module)
    return definition


@transaction.atomic
def custom_field_delete(*, definition: CustomField, acting_user: User) -> int:
    """Take a custom field off the module's forms and pages. Its values stay in the records until it is
    purged; returns how many records hold one."""
    _require_admin(acting_user)
    definition.deleted_at = timezone.now()
    definition.save(update_fields=["deleted_at"])
    logger.info("%s deleted custom field %s of %s", acting_user, definition.name, definition.module)
    return records_holding(definition)


@transaction.atomic
def custom_field_restore(*, definition: CustomField, acting_user: User) -> CustomField:
    """Bring a deleted custom field back, with the values the records kept, at the end of its block (which
    comes back too if it was deleted meanwhile)."""
    _require_admin(acting_user)
    if definition.deleted_at is None:
        raise ValidationError(f"{definition.label} is not deleted.")
    module = registry.get(definition.module)
    if problem := label_clash(module, definition.label, ignore=definition.name):
        raise ValidationError(problem)
    titles = _block_titles(module)
    if definition.block not in titles:
        _store_block_order(module, [*titles, definition.block])
    block = find_block(module, definition.block)
    definition.position = max((spec.position for spec in block.fields), default=-1) + 1
    definition.deleted_at = None
    definition.save(update_fields=["deleted_at", "position"])
    logger.info("%s restored custom field %s of %s", acting_user, definition.name, module)
    return definition


def remove_custom_values(model, name: str, *, portable: bool | None = None) -> int:
    """Remove key ``name`` from the custom values of every record of ``model`` (Recycle Bin included);
    returns how many records held one. On PostgreSQL one UPDATE (``custom - 'name'``); elsewhere, or when
    ``portable`` is asked for, records are rewritten in batches."""
    records = model.all_objects.filter(custom__has_key=name)
    if portable is None:
        portable = connection.vendor != "postgresql"
    if not portable:
        without_key = Func(F("custom"), Cast(Value(name), TextField()), template="%(expressions)s", arg_joiner=" - ")
        return records.update(custom=without_key)
    count, batch = 0, []
    for record in records.only("pk", "custom").iterator(chunk_size=PURGE_BATCH):
        record.custom.pop(name, None)
        batch.append(record)
        if len(batch) == PURGE_BATCH:
            model.all_objects.bulk_update(batch, ["custom"])
            count, batch = count + len(batch), []
    if batch:
        model.all_objects.bulk_update(batch, ["custom"])
        count += len(batch)
    return count


@transaction.atomic
def custom_field_purge(*, definition: CustomField, acting_user: User) -> int:
    """Remove a deleted custom field for good: its values leave every record, its field permissions go, and
    its name is free again. Returns how many records lost a value."""
    _require_admin(acting_user)
    if definition.deleted_at is None:
        raise ValidationError(f"Delete {definition.label} before purging it.")
    module = registry.get(definition.module)
    removed = remove_custom_values(module.model, definition.name)
    # A later field of the same name must not inherit this one's field permissions.
    FieldRight.objects.filter(module=module.name, field=definition.name).delete()
    HiddenField.objects.filter(module=module.name, field=definition.name).delete()
    definition.delete()
    logger.info("%s purged custom field %s of %s (%d values)", acting_user, definition.name, module, removed)
    return removed
