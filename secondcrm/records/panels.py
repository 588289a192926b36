"""The Comments and Updates tabs every record's detail view shows."""

from secondcrm.access.permissions import access_for

from .registry import RecordPanel, registry


def _comments(record, request) -> dict:
    return {"comments": record.comments.select_related("author")}


def _updates(record, request) -> dict:
    """The history, less the changes of fields the user may not see (their old and new values included)."""
    access = access_for(request.user).field_access(record.module)
    updates = list(record.updates.select_related("user"))
    for update in updates:
        update.changes = [change for change in update.changes or () if access.visible(change["field"])]
    return {"updates": updates}


registry.register_panel(RecordPanel("comments", "Comments", "generic/panels/comments.html", _comments, order=10))
registry.register_panel(RecordPanel("updates", "Updates", "generic/panels/updates.html", _updates, order=20))
