"""The Comments and Updates tabs every record's detail view shows."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from secondcrm.access.permissions import access_for

from .display import format_value
from .models import Update
from .registry import RecordPanel, registry


@dataclass(frozen=True)
class UpdateEntry:
    """One entry of the Updates tab as it reads on screen. A record's history runs to hundreds of entries: their texts
    are worked out here, where they cost less than the template formatting them did (two dates, an action's label, a
    default for each empty value)."""

    time_text: str  # in the user's time zone and the locale's format
    time_iso: str
    author: str
    action: str
    changes: list[tuple[str, str, str]]  # each field's label, old and new value ("(empty)" for none)

    @classmethod
    def of(cls, update: Update, visible: Callable[[str], bool]) -> "UpdateEntry":
        """``update``, less the changes of the fields ``visible`` (given a field name) keeps from the user."""
        return cls(
            time_text=format_value(update.at),
            time_iso=timezone.localtime(update.at).isoformat(),
            author=str(update.user or "System"),
            action=update.get_action_display(),
            changes=[
                (change["label"], change["old"] or "(empty)", change["new"] or "(empty)")
                for change in update.changes or ()
                if visible(change["field"])
            ],
        )


def _comments(record, request) -> dict:
    return {"comments": record.comments.select_related("author")}


def _updates(record, request) -> dict:
    """The history, less the changes of fields the user may not see (their old and new values included)."""
    access = access_for(request.user).field_access(record.module)
    return {"updates": [UpdateEntry.of(update, access.visible) for update in record.updates.select_related("user")]}


registry.register_panel(RecordPanel("comments", "Comments", "generic/panels/comments.html", _comments, order=10))
registry.register_panel(RecordPanel("updates", "Updates", "generic/panels/updates.html", _updates, order=20))
