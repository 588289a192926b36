"""Global search: one text looked for in every module a user may view, as the manual's Search chapter describes.

A record matches when one of its module's search fields, or one of the module's custom text fields, contains the
text, or when its record number is the text (exactly, in any case). Fields invisible to the user are never
searched nor shown, so a search cannot reveal a value its user may not see, and every module is read through
``visible_to(user, "view")``: a record the user may not open is never counted.

On PostgreSQL an index answers each of these conditions (``migration_ops.search_indexes``), and a module's matches
are counted up to ``COUNT_LIMIT``: a search over a million records counts at most that many matches per module in
the database, and reads only the rows it shows."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from operator import itemgetter

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import Q, QuerySet

from secondcrm.access.permissions import access_for

from .arrangement import FieldSpec, custom_fields
from .display import custom_field_display, model_field_raw_display
from .filters import SEARCHED_TYPES, search_condition
from .models import Record
from .registry import Module, registry
from .tables import column_choices, default_columns, related_columns

MIN_LENGTH = 2
MAX_LENGTH = 200
# Columns shown next to each match: the record's title and number come first, so a few of the list columns
# are enough to tell two matches apart.
SHOWN_COLUMNS = 3
# The title is the record's name; showing its parts again as columns tells the reader nothing new.
NAME_PARTS = ("first_name", "last_name", "salutation")
# Counting every match of a common text ("an") reads most of a module's records; past this many a module's count
# reads "1,000+", and counting stops there.
COUNT_LIMIT = 1000


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
    """The matches of one module: how many there are (counted up to one past ``COUNT_LIMIT``) and the first few,
    with the headers of their columns."""

    module: Module
    count: int
    columns: list[str]
    matches: list[Match]

    @property
    def more(self) -> bool:
        return self.count > len(self.matches)

    @property
    def count_label(self) -> str:
        """The count as shown: "12", or "1,000+" when there are more matches than were counted."""
        return f"{COUNT_LIMIT:,}+" if self.count > COUNT_LIMIT else f"{self.count:,}"


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
        count, newest = finder.newest(finder.matching(text), per_module)
        if count:
            matches = [finder.match(record) for record in finder.fetch([pk for pk, _ in newest])]
            results.append(ModuleResult(module, count, finder.column_labels, matches))
    return results


def quick_search(user, text: str, limit: int = 5) -> list[Match]:
    """The first ``limit`` matches of ``text`` over every module ``user`` may view, the most recently modified
    first: what the search box shows as its user types."""
    text = clean_text(text)
    if len(text) < MIN_LENGTH:
        return []
    found = []  # (modified time, finder, pk): each module's newest, in the menu's order of modules
    for module in _chosen(user, None):
        finder = _Finder(user, module, shown=False)
        found += [(modified_at, finder, pk) for pk, modified_at in finder.newest(finder.matching(text), limit)[1]]
    # A stable sort: among matches modified at the same time, the menu's order of modules decides.
    found.sort(key=itemgetter(0), reverse=True)
    shown = found[:limit]
    # Only the records shown are read: one query for each module among them, none for the others.
    wanted = defaultdict(list)
    for _, finder, pk in shown:
        wanted[finder].append(pk)
    records = {(finder, record.pk): record for finder, pks in wanted.items() for record in finder.fetch(pks)}
    return [finder.match(records[finder, pk]) for _, finder, pk in shown if (finder, pk) in records]


def newest_first(matching: QuerySet, limit: int) -> tuple[int, list[tuple[int, datetime]]]:
    """How many records match, counted up to one past ``COUNT_LIMIT``, and the key and modified time of the
    ``limit`` most recently modified of those counted. One query, answering at most ``limit`` rows: the first
    ``COUNT_LIMIT`` + 1 matches the database finds (through the search indexes) are counted and sorted there."""
    counted = matching.order_by().values_list("pk", "modified_at")[: COUNT_LIMIT + 1]
    compiler = counted.query.get_compiler(using=matching.db)
    sql, params = compiler.as_sql()
    with connections[matching.db].cursor() as cursor:
        cursor.execute(
            f"SELECT *, COUNT(*) OVER () FROM ({sql}) AS found ORDER BY 2 DESC, 1 DESC LIMIT %s", (*params, limit)
        )
        rows = cursor.fetchall()
    # Converted as the ORM converts them (SQLite answers a naive time), so that times of several modules compare.
    newest = [(pk, modified_at) for pk, modified_at, _ in compiler.results_iter([rows])]
    return (rows[0][2] if rows else 0), newest


def _chosen(user, names) -> list[Module]:
    allowed = searchable_modules(user)
    if names is None:
        return allowed
    names = set(names)
    return [module for module in allowed if module.name in names]


class _Finder:
    """Searching one module for one user: what may be matched, what may be shown. ``shown``: whether matches show
    some of the module's columns next to their title (the search page) or their title alone (the quick search)."""

    def __init__(self, user, module: Module, shown: bool = True):
        self.user, self.module, self.shown = user, module, shown
        self.invisible = access_for(user).field_access(module).invisible
        self.custom = {d.name: d for d in custom_fields(module) if d.name not in self.invisible}

    @cached_property
    def columns(self) -> list[FieldSpec]:
        """The columns shown next to each match; read from the module's layout only once there is a match."""
        if not self.shown:
            return []
        choices = column_choices(self.module, self.invisible)
        names = [
            name
            for name in default_columns(self.module, choices)
            if name != self.module.title_field and name not in NAME_PARTS
        ]
        return [choices[name] for name in names[:SHOWN_COLUMNS]]

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

    def newest(self, matching: QuerySet, limit: int) -> tuple[int, list[tuple[int, datetime]]]:
        """How many records match (counted up to one past ``COUNT_LIMIT``), and the key and modified time of the
        ``limit`` most recently modified of them. When more match, PostgreSQL finds the first few by walking the
        modified time index and testing each row on the way, quickly since many rows match; when fewer do, that
        walk could test the whole table, so they are sorted among themselves instead."""
        count, newest = newest_first(matching, limit)
        if count > COUNT_LIMIT:
            newest = list(matching.order_by("-modified_at", "-pk").values_list("pk", "modified_at")[:limit])
        return count, newest

    def fetch(self, pks: list[int]) -> list[Record]:
        """The records of ``pks`` the user may view, in that order, with the records their shown columns name. The
        keys come from ``matching``: the search condition is not tested again."""
        related = related_columns(self.module, [spec.name for spec in self.columns])
        visible = self.module.model.objects.visible_to(self.user, "view")
        found = visible.select_related(*related).in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]

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
