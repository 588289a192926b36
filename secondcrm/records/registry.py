"""The module registry: each app declares its modules here and the platform gives them their pages.

A module is a declaration (model, form, list columns, filters, field blocks, related lists, menu group);
URLs, list/detail/edit/delete views, history, comments, tags and documents come from the platform."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps

MENU_GROUPS = ("Sales & Marketing", "Customer Support", "Products & Services", "Tools")


@dataclass(frozen=True)
class Block:
    """A titled group of fields on the detail view and the edit form."""

    title: str
    fields: tuple[str, ...]
    # Address blocks get a map link built from these fields' values.
    is_address: bool = False


@dataclass(frozen=True)
class RelatedList:
    """Records of another module that point at this one, listed on the detail view ("More Information")."""

    model: str  # "app_label.ModelName"
    field: str  # the foreign key on that model pointing here
    label: str
    columns: tuple[str, ...]

    @property
    def related_model(self):
        return apps.get_model(self.model)


@dataclass(frozen=True)
class RecordPanel:
    """A tab every record's detail view shows (Comments, Updates, Documents...), contributed by a platform
    app. ``context(record, request)`` returns what ``template`` needs; it must read through visible_to."""

    key: str
    label: str
    template: str
    context: Callable
    order: int = 100
    # "tab": a tab of its own; "summary": a note at the top of the Summary tab ("Converted from Lead LEA12").
    placement: str = "tab"


@dataclass(frozen=True)
class DetailLink:
    """A button next to Edit on a record's detail view, to a page the module's app adds (Convert Lead); shown
    to users who may edit the record. ``url_name`` takes the record's pk; a ``dialog`` opens in the page's
    modal (htmx), like Quick Create, and is an ordinary link without JavaScript."""

    label: str
    url_name: str
    icon: str = ""
    dialog: bool = False


@dataclass
class Module:
    """Everything special about one CRM module; the rest is the platform's."""

    name: str  # URL segment and key: "accounts"
    model: type
    list_fields: tuple[str, ...]
    blocks: tuple[Block, ...]
    menu_group: str
    number_prefix: str
    title_field: str  # sorts by default, drives the alphabetical filter
    search_fields: tuple[str, ...] = ()
    filter_fields: tuple[str, ...] = ()
    summary_fields: tuple[str, ...] = ()
    related: tuple[RelatedList, ...] = ()
    # Quick Create shows the mandatory fields plus these; modules can opt out of the menu entry.
    quick_create_fields: tuple[str, ...] = ()
    quick_create: bool = True
    # A foreign key to the same model that forms a hierarchy ("Member of", "Reports To").
    hierarchy_field: str | None = None
    # Built from the blocks unless the module needs its own RecordForm subclass.
    form: type | None = None
    icon: str = "folder"
    # Extra buttons on the list view: (label, URL name) of pages the module's app adds.
    list_links: tuple[tuple[str, str], ...] = ()
    # Extra buttons on the detail view, for users who may edit the record.
    detail_links: tuple[DetailLink, ...] = ()
    _filterset: type | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural).title()

    @property
    def singular(self) -> str:
        return str(self.model._meta.verbose_name).title()

    def __str__(self) -> str:
        return self.name


class Registry:
    def __init__(self) -> None:
        self._modules: dict[str, Module] = {}
        self._panels: list[RecordPanel] = []

    def register(self, module: Module) -> Module:
        if module.name in self._modules:
            raise ValueError(f"Module {module.name!r} is registered twice.")
        if module.menu_group not in MENU_GROUPS:
            raise ValueError(f"Unknown menu group {module.menu_group!r}; expected one of {MENU_GROUPS}.")
        if module.form is None:
            from .forms import form_for  # forms import the models, which are ready only now

            module.form = form_for(module)
        module.model.module = module
        self._modules[module.name] = module
        return module

    def register_panel(self, panel: RecordPanel) -> None:
        self._panels.append(panel)
        self._panels.sort(key=lambda p: p.order)

    def get(self, name: str) -> Module:
        return self._modules[name]

    def __contains__(self, name: str) -> bool:
        return name in self._modules

    def __iter__(self):
        """Modules in the menu's order (Sales & Marketing first), so every page that lists modules agrees."""
        return iter(sorted(self._modules.values(), key=lambda module: MENU_GROUPS.index(module.menu_group)))

    @property
    def panels(self) -> list[RecordPanel]:
        return list(self._panels)

    def menu(self, shown: Callable[[Module], bool] = lambda module: True) -> list[tuple[str, list[Module]]]:
        """Menu groups in the manual's order, each with its ``shown`` modules; empty groups are left out."""
        groups = [(group, [m for m in self if m.menu_group == group and shown(m)]) for group in MENU_GROUPS]
        return [(group, modules) for group, modules in groups if modules]


registry = Registry()
