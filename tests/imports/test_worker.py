"""Imports on a real Celery worker (``celery -A secondcrm worker`` in a subprocess, see tests/imports/worker.py)
through the real Redis broker: a file previewed, imported and undone end to end; then a 20,000-row import whose
worker is killed with SIGKILL twice in the middle, first its pool process (the task goes back to the queue and
resumes), then the whole worker (a new worker resumes it once ``resume_stalled_imports`` sends it again). Every
row is imported exactly once.

The tests are transactional: the worker sees only committed rows."""

import os
import signal

import pytest
from django.db.models import Count
from django.test import override_settings

from accounts.models import Contact
from secondcrm.imports.models import ImportJob
from secondcrm.imports.services import import_start, preview_start, undo_start
from secondcrm.imports.tasks import resume_stalled_imports
from tests.imports.jobs import new_job
from tests.imports.worker import Worker, own_queue

# serialized_rollback: the flush at the end of a transactional test would otherwise take the default roles along.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROWS = 20_000
Status = ImportJob.Status


def reaches(job: ImportJob, *statuses: str):
    def check() -> bool:
        job.refresh_from_db()
        return job.status in statuses

    return check


def rows_done_between(job: ImportJob, low: int, high: int):
    def check() -> bool:
        job.refresh_from_db()
        assert job.status in (Status.QUEUED, Status.RUNNING), (job.status, job.error)
        return low <= job.rows_done < high

    return check


def test_a_worker_previews_imports_and_undoes(manager, tmp_path):
    job = new_job(manager, "Last Name,Email\nLovelace,ada@example.com\nHopper,grace@example.com\n")
    with own_queue() as queue:
        worker = Worker(queue, tmp_path / "worker.log")
        try:
            preview_start(job)
            worker.wait_until(reaches(job, Status.READY, Status.FAILED), 60, "no preview")
            assert job.preview["counts"]["created"] == 2, job.error
            import_start(job)
            worker.wait_until(reaches(job, Status.DONE, Status.FAILED), 60, "no import")
            assert (job.created_count, job.rows_done) == (2, 2), job.error
            assert set(Contact.objects.values_list("email", flat=True)) == {"ada@example.com", "grace@example.com"}
            undo_start(job)
            worker.wait_until(reaches(job, Status.UNDONE), 60, "no undo")
            assert not Contact.objects.exists()
        finally:
            worker.kill()


def test_an_import_whose_worker_is_killed_resumes_and_imports_every_row_once(manager, tmp_path):
    text = "Last Name,Email,Title\n" + "".join(f"Row {n},row{n}@example.com,Title {n % 7}\n" for n in range(ROWS))
    job = new_job(manager, text)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.READY, total_rows=ROWS)
    log = tmp_path / "worker.log"
    with own_queue() as queue:
        worker = Worker(queue, log)
        try:
            import_start(job)
            # The pool process dies in the middle of the import: the task goes back to the queue, and the worker's
            # new pool process resumes it after the last committed chunk.
            worker.wait_until(rows_done_between(job, 2_000, ROWS // 2), 120, "no progress")
            os.kill(worker.pool_pid(), signal.SIGKILL)
            first_kill = job.rows_done
            worker.wait_until(rows_done_between(job, ROWS // 2 + 2_000, ROWS - 3_000), 180, "no resume")
            assert "WorkerLostError" in log.read_text()

            # Now the whole worker dies. A new one gets the import once resume_stalled_imports sends it again.
            worker.kill()
            killed_at = ImportJob.objects.get(pk=job.pk).rows_done
            assert first_kill < killed_at < ROWS
            worker = Worker(queue, log)
            with override_settings(IMPORT_STALL_SECONDS=0):
                assert resume_stalled_imports() == 1
            worker.wait_until(reaches(job, Status.DONE, Status.FAILED), 180, "the import did not finish")
        finally:
            worker.kill()

    assert (job.status, job.error) == (Status.DONE, "")
    assert (job.rows_done, job.created_count, job.failed_count) == (ROWS, ROWS, 0)
    assert Contact.objects.count() == ROWS
    assert not Contact.objects.values("email").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert Contact.objects.values("number").distinct().count() == ROWS
    assert job.records.count() == ROWS
