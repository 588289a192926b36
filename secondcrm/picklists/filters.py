"""Standard picklists in list filters: a select of the values the user may pick.

Without ``choices=`` on the model, django-filter generates a text filter for a standard picklist; here it
becomes a select again, with the user's values. (Custom picklist filters are built by the record platform's
filter set from ``choices_for``.)
"""

import django_filters

from .choices import is_standard_picklist, picklist_choices


def apply_picklist_filters(filterset) -> None:
    """Make the standard picklist filters of a ``RecordFilterSet`` selects of the request user's values."""
    module = filterset.module
    names = [name for name in filterset.filters if is_standard_picklist(module, name)]
    if not names:
        return
    allowed = picklist_choices(module, filterset.request.user, names)
    for name in names:
        current = filterset.filters[name]
        choices = [(value, value) for value in allowed.get(name, [])]
        if isinstance(current, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter):
            current.extra["choices"] = choices
            continue
        replacement = django_filters.ChoiceFilter(field_name=name, label=current.label, choices=choices)
        replacement.model, replacement.parent = current.model, filterset
        filterset.filters[name] = replacement
