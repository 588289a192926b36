"""Global search: one text looked for in every module a user may view, as the manual's Search chapter describes.

A record matches when one of its module's search fields, or one of the module's custom text fields, contains the
text, or when its record number is the text (exactly, in any case). Fields invisible to the user are never
searched nor shown, so a search cannot reveal a value its user may not see, and every module is read through
``visible_to(user, "view")``: a record the user may not open is never counted."""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet

from secondcrm.access.permissions import access_for

from .display import custom_field_display, model_field_raw_display
from .filters import SEARCHED_TYPES, search_condition
from .models import CustomField, Record
from .registry import Module, registry
from .tables import column_choices, default_columns

MIN_LENGTH = 2
MAX_LENGTH = 200
# Columns shown next to each match: the record's title and number come first, so a few of the list columns
# are enough to tell two matches apart.
SHOWN_COLUMNS = 3
# The title is the record's name; showing its parts again as columns tells the reader nothing new.
NAME_PARTS = ("first_name", "last_name", "salutation")


@dataclass
class Match:
    """One record found: its title (linking to it), its record number and the values of the shown columns."""

    module: Module
    record: Record
    title: str
    values: list[str] = field(default_factory=list)

    @property
    def number(self) -> str:
        return self.record.number

    @property
    def url(self) -> str:
        return self.record.get_absolute_url()


@dataclass
class ModuleResult:
    """The matches of one module: how many there are and the first few, with the headers of their columns."""

    module: Module
    count: int
    columns: list[str]
    matches: list[Match]

    @property
    def more(self) -> bool:
        return self.count > len(self.matches)


def searchable_modules(user) -> list[Module]:
    """The modules ``user`` may view, in the menu's order: the choices of the module chooser."""
    access = access_for(user)
    return [module for module in registry if access.can(module.name, "view")]


def clean_text(text: str | None) -> str:
    return (text or "").strip()


def global_search(user, text: str, modules=None, per_module: int = 10) -> list[ModuleResult]:
    """The matches of ``text`` in each of ``modules`` (names; every module when None) that ``user`` may view,
    one result per module with at least one match, each with its count and its first ``per_module`` records.
    A text shorter than ``MIN_LENGTH`` finds nothing."""
    text = clean_text(text)
    if len(text) < MIN_LENGTH:
        return []
    results = []
    for module in _chosen(user, modules):
        finder = _Finder(user, module)
        matching = finder.matching(text)
        count = matching.count()
        if count:
            records = finder.fetch(matching, per_module)
            results.append(ModuleResult(module, count, finder.column_labels, [finder.match(r) for r in records]))
    return results


def quick_search(user, text: str, limit: int = 5) -> list[Match]:
    """The first ``limit`` matches of ``text`` over every module ``user`` may view, the most recently modified
    first: what the search box shows as its user types."""
    text = clean_text(text)
    if len(text) < MIN_LENGTH:
        return []
    found = []
    for module in _chosen(user, None):
        finder = _Finder(user, module)
        found += [finder.match(record) for record in finder.fetch(finder.matching(text), limit)]
    found.sort(key=lambda match: match.record.modified_at, reverse=True)
    return found[:limit]


def _chosen(user, names) -> list[Module]:
    allowed = searchable_modules(user)
    if names is None:
        return allowed
    names = set(names)
    return [module for module in allowed if module.name in names]


class _Finder:
    """Searching one module for one user: what may be matched, what may be shown."""

    def __init__(self, user, module: Module):
        self.user, self.module = user, module
        self.invisible = access_for(user).field_access(module).invisible
        self.custom = {
            definition.name: definition
            for definition in CustomField.objects.filter(module=module.name)
            if definition.name not in self.invisible
        }
        choices = column_choices(module, self.invisible)
        names = [
            name for name in default_columns(module, choices) if name != module.title_field and name not in NAME_PARTS
        ][:SHOWN_COLUMNS]
        self.columns = [choices[name] for name in names]

    @property
    def column_labels(self) -> list[str]:
        return [spec.label for spec in self.columns]

    def matching(self, text: str) -> QuerySet:
        """The records the user may view whose visible search fields contain ``text`` or whose number it is."""
        searched_custom = [name for name, d in self.custom.items() if d.field_type in SEARCHED_TYPES]
        condition = Q(number__iexact=text)
        if any(name not in self.invisible for name in self.module.search_fields) or searched_custom:
            # search_condition matches every record when it has no column at all: only call it with some.
            condition |= search_condition(self.module, text, invisible=self.invisible, custom=searched_custom)
        return self.module.model.objects.visible_to(self.user, "view").filter(condition)

    def fetch(self, queryset: QuerySet, limit: int) -> list[Record]:
        related = ["assigned_user", "assigned_group"]
        for spec in self.columns:
            try:
                if self.module.model._meta.get_field(spec.name).many_to_one:
                    related.append(spec.name)
            except FieldDoesNotExist:
                continue
        return list(queryset.select_related(*related).order_by("-modified_at", "-pk")[:limit])

    def match(self, record: Record) -> Match:
        return Match(self.module, record, self.title(record), [self.value(record, spec.name) for spec in self.columns])

    def title(self, record: Record) -> str:
        """The record's name; built from the title field alone when some field is invisible to the user, since
        a model's name may be made of several fields (a lead's shows its company)."""
        if not self.invisible:
            return str(record) or record.number
        if self.module.title_field in self.invisible:
            return record.number
        return self.value(record, self.module.title_field) or record.number

    def value(self, record: Record, name: str) -> str:
        if name == "assigned_to":
            return str(record.assigned_to or "")
        if name in self.custom:
            return custom_field_display(self.custom[name], record.custom.get(name))
        try:
            model_field = record._meta.get_field(name)
        except FieldDoesNotExist:
            return ""
        if model_field.many_to_one:
            return str(getattr(record, name) or "")
        return model_field_raw_display(model_field, getattr(record, model_field.attname))
