"""The order of a list's rows when "Search for" narrows them, on PostgreSQL.

A list sorted by a column reads that column's index in order and stops at the page's last row: the cheapest plan
while the rows it keeps are spread along the index, which is what PostgreSQL assumes. A search in the sorted
column breaks that assumption: its matches sort together (searching Last Name for "Tan" finds names that sort
under T), so the walk reads most of the table before the first match, two seconds at a million leads. Sorting
the matches themselves costs in proportion to how many there are, however they sort; read through the search's
trigram indexes, a Staff user's 14,000 of them take about 75 ms. So when a search looks in the sorted column and
PostgreSQL expects no more than ``SORT_MATCHES_UP_TO`` matches, the list sorts its matches instead of walking
the index. Above that, sorting them would cost more than a walk usually does, so the walk stays (slow still when
that many matches all sort late)."""

import json
from collections.abc import Iterable

from django.db import connections
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django_tables2.data import TableQuerysetData

# Sorting this many matches takes about as long as the slowest walk worth avoiding (a few hundred milliseconds).
SORT_MATCHES_UP_TO = 200_000


class SortedMatches(TableQuerysetData):
    """A list's rows, put in order by keys no index holds, so that PostgreSQL finds the rows first (through the
    search's own indexes) and sorts them, rather than walking the sort column's index."""

    def order_by(self, aliases):
        super().order_by(aliases)
        self.data = self.data.order_by(*(_unindexed(term) for term in self.data.query.order_by))


def _unindexed(term):
    """A sort key as ``COALESCE(column, column)``: the same value in the same order (nulls and collation
    included), under an expression no index holds."""
    if not isinstance(term, str):
        return term
    name = term.removeprefix("-")
    key = Coalesce(F(name), F(name))
    return key.desc() if term.startswith("-") else key.asc()


def list_rows(rows: QuerySet, sort: str, searched: Iterable[str]) -> QuerySet | SortedMatches:
    """The rows a list's table orders and pages: its matches sorted apart when ``sort`` (a column name, "-" for
    descending) is one of the ``searched`` columns and PostgreSQL expects few enough of them."""
    if sort.removeprefix("-") not in searched or connections[rows.db].vendor != "postgresql":
        return rows
    return SortedMatches(rows) if estimated_count(rows) <= SORT_MATCHES_UP_TO else rows


def estimated_count(rows: QuerySet) -> int:
    """How many rows PostgreSQL's planner expects ``rows`` to hold: a plan, not a count, so it costs no reading."""
    plan = json.loads(rows.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
