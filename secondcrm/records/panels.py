"""The Comments and Updates tabs every record's detail view shows."""

from .registry import RecordPanel, registry


def _comments(record, request) -> dict:
    return {"comments": record.comments.select_related("author")}


def _updates(record, request) -> dict:
    return {"updates": record.updates.select_related("user")}


registry.register_panel(RecordPanel("comments", "Comments", "generic/panels/comments.html", _comments, order=10))
registry.register_panel(RecordPanel("updates", "Updates", "generic/panels/updates.html", _updates, order=20))
