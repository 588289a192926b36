"""Advanced search: a module's list narrowed by ad-hoc conditions on its fields, carried in the list's query
string, so that paging, sorting, columns, mass actions and Export ("the current filter") apply to the result.

Each condition is one ``c`` parameter, ``<field>.<operator>.<value>``: field names (slugs) and operators never hold
a dot, so the value is everything after the second one, dots and all. ``match=any`` joins the conditions by "or";
otherwise all must hold. They are the conditions of saved filters, applied the same way: one on a field the user
may not see, on an unknown field, or whose value does not parse is left out, so a crafted link can neither reveal
a value nor break the list."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import QueryDict

from .models import SavedFilter
from .registry import Module
from .saved_filters import MAX_CONDITIONS, Condition, Operator, applicable_conditions, filterable_fields, matching

CONDITION = "c"
MATCH = "match"


def encode(condition: dict) -> str:
    """A condition (field, operator, value) as one ``c`` parameter; "is empty" needs no value."""
    value = "" if condition["operator"] == Operator.IS_EMPTY else condition["value"]
    return f"{condition['field']}.{condition['operator']}.{value}"


def decode(text: str) -> dict[str, str]:
    name, _, rest = text.partition(".")
    op, _, value = rest.partition(".")
    return {"field": name, "operator": op, "value": value}


def search_query(conditions: list[dict], match: str) -> str:
    """The query string of an advanced search: its conditions (as saved filters store them) and its match."""
    query = QueryDict(mutable=True)
    if match == SavedFilter.Match.ANY:
        query[MATCH] = match
    query.setlist(CONDITION, [encode(condition) for condition in conditions])
    return query.urlencode()


@dataclass
class AdvancedSearch:
    """The conditions of a list's query string that apply for its user, how they join, and how many of those
    given were left out."""

    query: QueryDict
    conditions: list[Condition] = field(default_factory=list)
    match: str = SavedFilter.Match.ALL
    ignored: int = 0

    @classmethod
    def from_query(cls, module: Module, query: QueryDict, invisible=frozenset()) -> "AdvancedSearch":
        """The search in ``query`` for a user to whom ``invisible`` fields are invisible. Conditions past the
        tenth are left out, so that a crafted link cannot make an arbitrarily large query."""
        given = query.getlist(CONDITION)
        match = SavedFilter.Match.ANY if query.get(MATCH) == SavedFilter.Match.ANY else SavedFilter.Match.ALL
        if not given:  # the plain list: no need to read the module's fields
            return cls(query, match=match)
        fields = filterable_fields(module, invisible)
        conditions = applicable_conditions(module, [decode(text) for text in given[:MAX_CONDITIONS]], fields)
        return cls(query, conditions, match, len(given) - len(conditions))

    def __bool__(self) -> bool:
        return bool(self.conditions)

    @property
    def q(self) -> Q:
        return matching(self.conditions, self.match)

    @property
    def rows(self) -> list[dict[str, str]]:
        """The conditions as a saved filter stores them, and as the condition forms take them."""
        return [condition.as_dict() for condition in self.conditions]

    @property
    def encoded(self) -> list[str]:
        return [encode(row) for row in self.rows]

    @property
    def urlencode(self) -> str:
        """The query string of this search alone, for links that carry it elsewhere (Save as filter)."""
        return search_query(self.rows, self.match)

    @property
    def chips(self) -> list[tuple[Condition, str]]:
        """Each condition with the list's query string without it (from the first page): its remove link."""
        chips, encoded = [], self.encoded
        for index, condition in enumerate(self.conditions):
            query = self.query.copy()
            query.pop("page", None)
            others = encoded[:index] + encoded[index + 1 :]
            query.setlist(CONDITION, others)
            if not others:
                query.pop(MATCH, None)
            chips.append((condition, query.urlencode()))
        return chips
