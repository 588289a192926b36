"""A module's layout as its users see it: the blocks the module declares, rearranged by the admin in the
layout editor (block order, field order, fields moved between blocks, standard fields hidden or renamed),
plus the admin's custom blocks and custom fields. Forms, detail views and the editor itself all read it from
here, so they always agree."""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction

from secondcrm.access.permissions import cached_until_changed

from .display import field_label
from .models import CustomField, FieldPlacement, LayoutBlock
from .registry import Block, Module


@dataclass(frozen=True)
class FieldSpec:
    """One field of a module's layout."""

    name: str
    label: str
    block: str
    position: int
    custom: CustomField | None = None
    hidden: bool = False
    # A system field a record cannot be saved without: it can be neither hidden nor left out.
    mandatory: bool = False
    standard_label: str = ""

    @property
    def is_custom(self) -> bool:
        return self.custom is not None


@dataclass
class BlockSpec:
    title: str
    fields: list[FieldSpec] = field(default_factory=list)
    declared: Block | None = None

    @property
    def is_address(self) -> bool:
        return bool(self.declared and self.declared.is_address)

    @property
    def is_custom(self) -> bool:
        return self.declared is None


def standard_label(module: Module, name: str) -> str:
    if name == "assigned_to":
        return "Assigned To"
    try:
        return field_label(module.model._meta.get_field(name))
    except FieldDoesNotExist:
        return name


def system_mandatory(module: Module, name: str) -> bool:
    """A model field that must have a value (no blank, no default), or the record's owner."""
    if name == "assigned_to":
        return True
    try:
        model_field = module.model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return model_field.editable and not model_field.blank and not model_field.has_default()


def module_layout(module: Module, *, include_hidden: bool = False) -> list[BlockSpec]:
    """The module's blocks in order, each with its fields in order; hidden fields only if asked for. Read from
    the shared cache until the layout changes; new objects on every call, which the caller may change."""
    blocks, specs = cached_until_changed(f"secondcrm:layout:{module.name}", lambda: _read_layout(module))
    by_title = {block.title: block for block in blocks}
    for spec in specs:
        if spec.hidden and not include_hidden:
            continue
        by_title.setdefault(spec.block, BlockSpec(spec.block)).fields.append(spec)
    return list(by_title.values())


def _read_layout(module: Module) -> tuple[list[BlockSpec], list[FieldSpec]]:
    """The module's blocks in order (without their fields) and all its fields in order, hidden ones included.
    Three queries: block order, standard field placements, custom fields (those may come from the cache)."""
    declared = {block.title: block for block in module.blocks}
    blocks: dict[str, BlockSpec] = {}
    for row in LayoutBlock.objects.filter(module=module.name):
        blocks[row.title] = BlockSpec(row.title, declared=declared.get(row.title))
    for block in module.blocks:  # declared blocks the admin has not placed keep their declared order
        blocks.setdefault(block.title, BlockSpec(block.title, declared=block))

    placements = {p.field: p for p in FieldPlacement.objects.filter(module=module.name)}
    specs: list[FieldSpec] = []
    for block in module.blocks:
        for index, name in enumerate(block.fields):
            placement = placements.get(name)
            mandatory = system_mandatory(module, name)
            label = standard_label(module, name)
            specs.append(
                FieldSpec(
                    name=name,
                    label=(placement.label if placement and placement.label else label),
                    block=placement.block if placement else block.title,
                    position=placement.position if placement else index,
                    hidden=bool(placement and placement.hidden and not mandatory),
                    mandatory=mandatory,
                    standard_label=label,
                )
            )
    for definition in custom_fields(module):
        specs.append(
            FieldSpec(
                name=definition.name,
                label=definition.label,
                block=definition.block,
                position=definition.position,
                custom=definition,
                standard_label=definition.label,
            )
        )
    return list(blocks.values()), sorted(specs, key=lambda s: (s.position, s.is_custom))


def custom_fields(module: Module) -> list[CustomField]:
    """The module's custom fields (deleted ones left out) by position: from the shared cache until they change,
    one query otherwise."""
    return cached_until_changed(
        f"secondcrm:custom-fields:{module.name}", lambda: list(CustomField.objects.filter(module=module.name))
    )


def field_specs(module: Module) -> dict[str, FieldSpec]:
    """Every field of the module's layout by name, hidden ones included."""
    return {spec.name: spec for block in module_layout(module, include_hidden=True) for spec in block.fields}


@transaction.atomic
def arrange(module: Module, arrangement: list[tuple[str, list[str]]]) -> None:
    """Store a whole arrangement from the layout editor: blocks in order, each with its field names in order.
    Every field of the module must appear exactly once; blocks may be empty."""
    specs = field_specs(module)
    placed = [name for _, names in arrangement for name in names]
    if sorted(placed) != sorted(specs) or len(set(placed)) != len(placed):
        raise ValueError("An arrangement must place every field of the module exactly once.")
    titles = [title for title, _ in arrangement]
    if len(set(titles)) != len(titles):
        raise ValueError("Block titles must be unique.")
    LayoutBlock.objects.filter(module=module.name).exclude(title__in=titles).delete()
    for position, (title, names) in enumerate(arrangement):
        LayoutBlock.objects.update_or_create(module=module.name, title=title, defaults={"position": position})
        for index, name in enumerate(names):
            spec = specs[name]
            if spec.is_custom:
                # No signal for an update(): the LayoutBlock saves above make the cached layouts stale.
                CustomField.objects.filter(pk=spec.custom.pk).update(block=title, position=index)
            else:
                FieldPlacement.objects.update_or_create(
                    module=module.name, field=name, defaults={"block": title, "position": index}
                )
