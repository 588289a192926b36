"""Import jobs for the engine's tests: a file as the wizard's first step would store it, mapped by its headers
unless a mapping is given, and the preview and the run called in place (the worker test runs them for real)."""

import io

import openpyxl
from django.core.files.base import ContentFile

from secondcrm.imports.engine import import_preview, import_run
from secondcrm.imports.fields import auto_mapping, importable_fields
from secondcrm.imports.models import ImportJob
from secondcrm.imports.reading import file_columns, sniff
from secondcrm.imports.undo import import_undo
from secondcrm.records.registry import registry

Status = ImportJob.Status


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def new_job(user, content: str | bytes, *, module: str = "contacts", name: str = "", mapping=None, **options):
    """A job for ``content`` (text is encoded as UTF-8) with the kind, encoding and delimiter ``sniff`` finds
    (``options`` override them and set the rest), its columns read from the file."""
    data = content.encode() if isinstance(content, str) else content
    name = name or f"{module}.csv"
    facts = sniff(io.BytesIO(data), name)
    facts_options = {"file_kind": facts.kind, "encoding": facts.encoding, "delimiter": facts.delimiter}
    job = ImportJob(module=module, user=user, file_name=name, **(facts_options | options))
    job.file.save(name, ContentFile(data), save=False)
    job.columns = file_columns(job)
    if mapping is None:
        mapping = auto_mapping(job.columns, importable_fields(registry.get(module), user))
    job.mapping = mapping
    job.save()
    return job


def previewed(job: ImportJob) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(status=Status.PREVIEWING)
    job.refresh_from_db()
    import_preview(job=job)
    job.refresh_from_db()
    return job


def imported(job: ImportJob) -> ImportJob:
    """The job previewed and run, in place; the preview must be ready."""
    job = previewed(job)
    assert job.status == Status.READY, job.error
    ImportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED)
    import_run(job=job)
    job.refresh_from_db()
    return job


def undone(job: ImportJob) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(status=Status.UNDOING)
    job.refresh_from_db()
    import_undo(job=job)
    job.refresh_from_db()
    return job


def counts(job: ImportJob) -> dict[str, int]:
    return {
        "created": job.created_count,
        "updated": job.updated_count,
        "merged": job.merged_count,
        "skipped": job.skipped_count,
        "failed": job.failed_count,
    }
