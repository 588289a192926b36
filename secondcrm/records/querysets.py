"""The one entry point for reading records: ``Model.objects.visible_to(user, action)``."""

from django.db import models

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

        if action not in ACTIONS:
            raise ValueError(f"Unknown action {action!r}; expected one of {ACTIONS}.")
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        condition = access_for(user).condition(self.model, action)
        return self if condition is None else self.filter(condition)


class RecordManager(models.Manager.from_queryset(RecordQuerySet)):
    """The default manager: records in the recycle bin are gone for everyone but the bin itself."""

    def get_queryset(self) -> RecordQuerySet:
        return super().get_queryset().alive()
