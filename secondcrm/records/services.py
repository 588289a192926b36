"""Writes on records: each is atomic, runs as ``acting_user`` (so history knows the author) and keeps
the rule that nobody can move a record out of their own reach."""

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from .changes import acting_as
from .history import log_update
from .models import Comment, Record, Update


class OutOfReach(Exception):
    """The save would leave the record invisible to the user who made it."""


def record_save(*, form, acting_user) -> Record:
    """Save a validated module form. Raises OutOfReach (and saves nothing) if the result is a record the
    acting user could no longer see."""
    with transaction.atomic(), acting_as(acting_user):
        record = form.save()
        model = type(record)
        if not model.objects.visible_to(acting_user, "view").filter(pk=record.pk).exists():
            raise OutOfReach(f"You could no longer see this {model.module.singular.lower()} after saving it.")
    return record


def record_delete(*, record: Record, acting_user) -> None:
    """Move a record to the Recycle Bin."""
    with transaction.atomic(), acting_as(acting_user):
        record.deleted_at = timezone.now()
        record.deleted_by = acting_user
        record.save(update_fields=["deleted_at", "deleted_by"])
        log_update(record, action=Update.Action.DELETED, actor=acting_user)


def record_restore(*, record: Record, acting_user) -> None:
    """Bring a record back from the Recycle Bin."""
    with transaction.atomic(), acting_as(acting_user):
        record.deleted_at = None
        record.deleted_by = None
        record.save(update_fields=["deleted_at", "deleted_by"])
        log_update(record, action=Update.Action.RESTORED, actor=acting_user)


class StillReferenced(Exception):
    """The record cannot be purged: other records still belong to it (an account's potentials)."""


def record_purge(*, record: Record, acting_user) -> None:
    """Delete a record for good, with everything attached to it through generic relations. Raises
    StillReferenced, and deletes nothing, while other records still point at it."""
    if not record.is_deleted:
        raise ValueError("Only records in the Recycle Bin can be purged.")
    from secondcrm.access.shares import shares_purge  # late: access.shares itself imports this app

    try:
        with transaction.atomic():
            shares_purge(record)  # explicit shares point at the record without a foreign key
            record.delete()  # comments, updates and tags go with it through their generic relations
    except ProtectedError as error:
        holders = sorted({type(obj)._meta.verbose_name_plural for obj in error.protected_objects})
        raise StillReferenced(
            f"{record} cannot be deleted for good while {len(error.protected_objects)} "
            f"{' and '.join(map(str, holders))} belong to it; delete or move them first."
        ) from error


def comment_add(*, record: Record, body: str, acting_user) -> Comment:
    return record.comments.create(author=acting_user, body=body)


def _tag_names(record: Record) -> str:
    return ", ".join(sorted(record.tags.names(), key=str.lower))


def tags_set(*, record: Record, add: list[str] = (), remove: list[str] = (), acting_user) -> None:
    """Add and remove tags; the change shows in the record's Updates like any field."""
    with transaction.atomic():
        before = _tag_names(record)
        if add:
            record.tags.add(*add)
        if remove:
            record.tags.remove(*remove)
        after = _tag_names(record)
        if before != after:
            change = {"field": "tags", "label": "Tags", "old": before, "new": after}
            log_update(record, action=Update.Action.UPDATED, actor=acting_user, changes=[change])
