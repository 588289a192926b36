"""Starting the steps of an import from the wizard: the preview, the run and the undo, each a background task
dispatched once the step's state is committed; and what the wizard reads back (the last import, failed rows)."""

import csv
import io
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from secondcrm.records.registry import Module

from .models import ImportJob
from .tasks import preview_import, run_import, undo_import

IMPORT_MAX_BYTES = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
Status = ImportJob.Status


def preview_start(job: ImportJob) -> None:
    """Start the dry run over the whole file with the job's mapping and options (again, after a change). Raises
    ValueError once the import itself has started."""
    with transaction.atomic():
        locked = _locked(job)
        if locked.started_at is not None or locked.status in (Status.QUEUED, Status.RUNNING):
            raise ValueError("This import has started already: it can no longer be previewed.")
        _move(job, Status.PREVIEWING, error="", preview={}, total_rows=0)
        transaction.on_commit(lambda: preview_import.delay(job.pk))


def import_start(job: ImportJob) -> None:
    """Queue the import of a previewed job. Raises ValueError unless the preview is ready."""
    with transaction.atomic():
        if _locked(job).status != Status.READY:
            raise ValueError("This import is not ready: preview it first.")
        _move(job, Status.QUEUED)
        transaction.on_commit(lambda: run_import.delay(job.pk))


def undo_start(job: ImportJob) -> None:
    """Undo the job, which must be its user's last import of its module. Raises ValueError otherwise."""
    with transaction.atomic():
        _locked(job)
        if last_import(job.module, job.user) != job:
            raise ValueError("Only your last import of this module can be undone, once it has finished.")
        _move(job, Status.UNDOING)
        transaction.on_commit(lambda: undo_import.delay(job.pk))


def last_import(module: Module | str, user) -> ImportJob | None:
    """The user's latest import into the module, if "Undo last import" may undo it: one that is done, or that
    failed after writing some records (its committed chunks stay). None while it runs or once it is undone."""
    name = getattr(module, "name", module)
    latest = ImportJob.objects.filter(module=name, user=user, started_at__isnull=False).order_by("-started_at", "-pk")
    job = latest.first()
    if job is None:
        return None
    wrote = job.created_count + job.updated_count + job.merged_count
    if job.status == Status.DONE or (job.status == Status.FAILED and wrote):
        return job
    return None


def failed_rows_csv(job: ImportJob) -> Iterator[str]:
    """The rows that were not imported, as CSV lines: the file's columns and the reason. The values are the
    file's own, unchanged, so the user can correct the rows and import them again. A byte order mark comes first,
    so that Excel reads the file as UTF-8."""
    yield "\ufeff" + _csv_line([*job.columns, "Reason"])
    width = len(job.columns)
    for failure in job.failures.order_by("row_number", "pk").iterator(chunk_size=2000):
        values = list(failure.values)
        yield _csv_line([*values, *[""] * (width - len(values)), failure.reason])


def _csv_line(cells: list[str]) -> str:
    line = io.StringIO()
    csv.writer(line).writerow(cells)
    return line.getvalue()


def _locked(job: ImportJob) -> ImportJob:
    return ImportJob.objects.select_for_update().get(pk=job.pk)


def _move(job: ImportJob, status: str, **values) -> None:
    """Set the job's status (and ``values``), and its heartbeat: a step whose task never starts is taken up again
    by ``resume_stalled_imports`` once the heartbeat is old. The caller's instance is the one saved, so that it
    shows the new status."""
    values = {"status": status, "heartbeat_at": timezone.now(), **values}
    for name, value in values.items():
        setattr(job, name, value)
    job.save(update_fields=list(values))
