"""Background tasks of imports: thin, they load the job and call the engine. Each is safe to run twice: the
preview writes nothing but its result, the run resumes after its last committed chunk, the undo is one
transaction. ``acks_late`` with ``reject_on_worker_lost`` puts a task back in the queue when its worker
process dies; a worker that dies altogether is noticed by ``resume_stalled_imports``."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .engine import import_preview, import_run
from .models import ImportJob
from .undo import import_undo

logger = logging.getLogger(__name__)
Status = ImportJob.Status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def preview_import(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is not None:
        import_preview(job=job)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is not None:
        import_run(job=job)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def undo_import(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is not None:
        import_undo(job=job)


STEP_TASKS = {
    Status.PREVIEWING: preview_import,
    Status.QUEUED: run_import,
    Status.RUNNING: run_import,
    Status.UNDOING: undo_import,
}


@shared_task(acks_late=True)
def resume_stalled_imports() -> int:
    """Start again every step whose heartbeat (or, without one, whose job) is older than IMPORT_STALL_SECONDS:
    its worker died or its message was lost (or it still waits behind other work: the second message then finds
    the step done, or done by the first, and returns). Each is claimed by moving its heartbeat, so that a step is
    sent again once per stall, however many of these run."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.IMPORT_STALL_SECONDS)
    stalled = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    resumed = 0
    for job in ImportJob.objects.filter(stalled, status__in=list(STEP_TASKS)).only("pk", "status"):
        if ImportJob.objects.filter(stalled, pk=job.pk, status=job.status).update(heartbeat_at=now):
            logger.warning("Import %s (%s) had stalled: started again.", job.pk, job.status)
            STEP_TASKS[job.status].delay(job.pk)
            resumed += 1
    return resumed
