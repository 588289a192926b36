"""The pages of one import after its mapping: progress while the preview, the run or the undo goes on in the
background; the preview with "Import now"; the result with the failed rows and "Undo this import". And the
list of the user's imports."""

import os

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import ListView, TemplateView

from secondcrm.records.registry import Module, registry

from ..models import ImportJob
from ..services import failed_rows_csv, import_start, last_import, undo_start
from .base import JobMixin, mapping_changeable

Status = ImportJob.Status
# While the job is in one of these, a worker has it: the page shows a progress bar that polls.
IN_PROGRESS = (Status.PREVIEWING, Status.QUEUED, Status.RUNNING, Status.UNDOING)
# Rows that could not be imported are kept once the run has written (some of) them.
HAS_FAILED_ROWS = (Status.DONE, Status.FAILED)


# What a row can come to, in the order the preview and the result show them.
OUTCOMES = (
    ("created", "Created"),
    ("updated", "Updated"),
    ("merged", "Merged"),
    ("skipped", "Skipped"),
    ("failed", "Failed"),
)


def progress_percent(job: ImportJob) -> int:
    return min(100, job.rows_done * 100 // job.total_rows) if job.total_rows else 0


def outcome_counts(job: ImportJob) -> list[tuple[str, int]]:
    """(label, number) per outcome: what the preview counted while the job is ready, else what the run did."""
    if job.status == Status.READY:
        numbers = job.preview.get("counts", {})
    else:
        numbers = {key: getattr(job, f"{key}_count") for key, _ in OUTCOMES}
    return [(label, numbers.get(key, 0)) for key, label in OUTCOMES]


class JobView(JobMixin, TemplateView):
    """The import's page: what it is doing or did, and what the user can do next (see the template)."""

    template_name = "imports/job.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        context.update(
            in_progress=job.status in IN_PROGRESS,
            percent=progress_percent(job),
            counts=outcome_counts(job),
            failed_rows=job.failed_count > 0 and job.status in HAS_FAILED_ROWS,
            undoable=last_import(self.module, self.request.user) == job,
            mapping_changeable=mapping_changeable(job),
        )
        return context


class ProgressView(JobMixin, TemplateView):
    """The progress bar alone, polled every second by the job page. Once the worker is done with the job, htmx
    reloads the whole page (``HX-Refresh``), which then shows the preview or the result."""

    template_name = "imports/progress.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.job.status not in IN_PROGRESS:
            response["HX-Refresh"] = "true"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["percent"] = progress_percent(self.job)
        return context


class ImportNowView(JobMixin, View):
    """Import Now, on the preview: the real run starts in the background. A second press (another tab, a double
    click, the back button) finds the job no longer ready and starts nothing."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        job = self.job
        try:
            import_start(job)
        except ValueError:  # the engine locks the job and starts only a ready one
            job.refresh_from_db()
            messages.warning(request, f"This import is not ready to start: it is “{job.get_status_display()}”.")
        return redirect("imports:job", pk=job.pk)


class UndoView(JobMixin, View):
    """Undo this import: moves what the import created to the Recycle Bin and puts back what it overwrote or
    merged, in the background. Only the user's last import of the module can be undone, once it has finished
    (or failed after writing some records)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            undo_start(self.job)
        except ValueError:  # not the last import, or not finished
            messages.warning(request, f"Only your last finished import of {self.module.label.lower()} can be undone.")
        return redirect("imports:job", pk=self.job.pk)


class FailedRowsView(JobMixin, View):
    """Download failed rows (CSV): the file's columns and the reason, one line per row not imported, so the user
    can correct them and import that file."""

    def get(self, request, *args, **kwargs):
        stem = os.path.splitext(self.job.file_name)[0] or "import"
        response = StreamingHttpResponse(failed_rows_csv(self.job), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{stem}-failed-rows.csv")
        return response


class JobListView(ListView):
    """The user's imports, newest first; ``?module=<name>`` narrows them to one module (the list's Actions →
    Import History)."""

    template_name = "imports/job_list.html"
    paginate_by = 50
    context_object_name = "jobs"

    @cached_property
    def module(self) -> Module | None:
        name = self.request.GET.get("module", "")
        return registry.get(name) if name in registry else None

    def get_queryset(self):
        jobs = ImportJob.objects.filter(user=self.request.user)
        return jobs.filter(module=self.module.name) if self.module else jobs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = {module.name: module.label for module in registry}
        context.update(module=self.module, rows=[(job, labels.get(job.module, job.module)) for job in context["jobs"]])
        return context
