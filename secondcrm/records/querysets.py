"""The one entry point for reading records: ``Model.objects.visible_to(user, action)``."""

from collections.abc import Iterable

from django.db import models
from django.db.models import Case, Value, When

ACTIONS = ("view", "edit", "delete", "export")


class RecordQuerySet(models.QuerySet):
    def alive(self) -> "RecordQuerySet":
        return self.filter(deleted_at__isnull=True)

    def in_recycle_bin(self) -> "RecordQuerySet":
        return self.filter(deleted_at__isnull=False)

    def visible_to(self, user, action: str = "view") -> "RecordQuerySet":
        """Records ``user`` may ``action``. Every page, list, picker, search and export reads through here;
        the rules themselves live in ``secondcrm.access.permissions``."""
        from secondcrm.access.permissions import access_for

        _check(action)
        if not _active(user):
            return self.none()
        condition = access_for(user).condition(self.model, action)
        return self if condition is None else self.filter(condition)

    def with_rights(self, user, actions: Iterable[str]) -> "RecordQuerySet":
        """Each record annotated ``may_<action>`` for each of ``actions``: True where ``visible_to(user,
        action)`` would keep it. A page that needs a record and what the user may do with it reads both in one
        query instead of one more query per action."""
        from secondcrm.access.permissions import NOTHING, access_for

        rights = {}
        for action in actions:
            _check(action)
            condition = access_for(user).condition(self.model, action) if _active(user) else NOTHING
            rights[f"may_{action}"] = _holds(condition)
        return self.annotate(**rights)


class RecordManager(models.Manager.from_queryset(RecordQuerySet)):
    """The default manager: records in the recycle bin are gone for everyone but the bin itself."""

    def get_queryset(self) -> RecordQuerySet:
        return super().get_queryset().alive()


def _check(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}; expected one of {ACTIONS}.")


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _holds(condition) -> Case | Value:
    """``condition`` (None for all records) as a True/False column. When decides as the WHERE clause of
    ``filter(condition)`` does: a comparison with NULL is no match."""
    return Value(True) if condition is None else Case(When(condition, then=True), default=False)
