"""Undo last import: the records the import created go to the Recycle Bin (as Delete would move them, with an
Updates entry), and those it overwrote or merged into get their values back. A record someone changed after the
import finished is left alone, and counted, so the user hears about it. One transaction: all or nothing, and a
retry after a lost worker starts again from the same state."""

import logging
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from secondcrm.records.changes import acting_as
from secondcrm.records.copying import insert_rows
from secondcrm.records.history import custom_field_definitions, field_changes
from secondcrm.records.models import Update
from secondcrm.records.registry import registry

from .models import ImportedRecord, ImportJob

logger = logging.getLogger(__name__)
BATCH = 1000


def import_undo(*, job: ImportJob) -> None:
    """Undo ``job``, which ``undo_start`` put in the Undoing state (any other job is left alone). Should it fail
    (say a record it would link back to was purged meanwhile), nothing is undone and the job says so, rather than
    being tried again and again."""
    try:
        _undo(job)
    except Exception:
        logger.exception("The undo of import %s failed.", job.pk)
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.UNDOING).update(
            status=ImportJob.Status.FAILED, error="Undo stopped on an unexpected error; nothing was undone."
        )


def _undo(job: ImportJob) -> None:
    with transaction.atomic(), acting_as(job.user):
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportJob.Status.UNDOING:
            return
        undone = kept = 0
        for module_name, entries in _first_entries(job).items():
            model = registry.get(module_name or job.module).model
            for start in range(0, len(entries), BATCH):
                done, left = _undo_batch(model, entries[start : start + BATCH], job)
                undone, kept = undone + done, kept + left
        job.status = ImportJob.Status.UNDONE
        job.undone_count, job.undo_kept_count = undone, kept
        job.save(update_fields=["status", "undone_count", "undo_kept_count"])


def _first_entries(job: ImportJob) -> dict[str, list[ImportedRecord]]:
    """Per module, the first thing the import did to each record: a record it created and later overwrote was
    created (so it goes), one it overwrote twice gets the values from before the first time."""
    first: dict[tuple[str, int], ImportedRecord] = {}
    for entry in job.records.order_by("pk").iterator(chunk_size=BATCH):
        first.setdefault((entry.module, entry.object_id), entry)
    by_module = defaultdict(list)
    for (module_name, _), entry in first.items():
        by_module[module_name].append(entry)
    return by_module


def _undo_batch(model, entries: list[ImportedRecord], job: ImportJob) -> tuple[int, int]:
    """Undo one batch of records; returns (undone, left alone because changed after the import)."""
    records = model.all_objects.in_bulk([entry.object_id for entry in entries])
    now, user = timezone.now(), job.user
    deleted, restored, kept, names = [], [], 0, set()
    for entry in entries:
        record = records.get(entry.object_id)
        if record is None:
            continue  # purged since: nothing to undo
        if record.modified_at > job.finished_at:
            kept += 1
        elif entry.action == ImportedRecord.Action.CREATED:
            if record.deleted_at is None:
                deleted.append(record)
        else:
            names |= _put_back(record, entry.before or {})
            restored.append(record)
    content_type = ContentType.objects.get_for_model(model)
    history = [
        Update(content_type=content_type, object_id=r.pk, user=user, action=Update.Action.DELETED) for r in deleted
    ]
    model.all_objects.filter(pk__in=[r.pk for r in deleted]).update(
        deleted_at=now, deleted_by=user, modified_at=now, modified_by=user
    )
    if restored:
        definitions = custom_field_definitions(model.module)
        history += [
            Update(
                content_type=content_type,
                object_id=r.pk,
                user=user,
                action=Update.Action.UPDATED,
                changes=field_changes(r, definitions),
            )
            for r in restored
        ]
        for record in restored:
            record.modified_at, record.modified_by = now, user
        model.all_objects.bulk_update(restored, sorted(names | {"modified_at", "modified_by"}))
    insert_rows(Update, history)
    return len(deleted) + len(restored), kept


def _put_back(record, before: dict) -> set[str]:
    """Set the values ``before`` holds (model fields by attname, custom values by key) back on ``record``; returns
    the names of the fields that changed."""
    names = set()
    for attname, value in before.items():
        if attname == "custom":
            for key, old in value.items():
                if old is None:
                    record.custom.pop(key, None)
                else:
                    record.custom[key] = old
        else:
            field = record._meta.get_field(attname)
            setattr(record, field.attname, None if value is None else field.to_python(value))
            attname = field.name
        names.add(attname)
    return names
