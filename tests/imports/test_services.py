"""The services the wizard calls (each step's state committed before its task is sent), the failed-rows file,
the numbers an import reserves, and how a run interrupted between chunks resumes: never importing a row twice,
whether it is started again by ``resume_stalled_imports`` or a second runner races the first.

Tasks run in place here (``in_background``); tests/imports/test_worker.py runs them on a real worker."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Contact
from secondcrm.imports import engine
from secondcrm.imports.models import ImportJob
from secondcrm.imports.services import failed_rows_csv, import_start, preview_start, undo_start
from secondcrm.imports.tasks import resume_stalled_imports
from secondcrm.records.numbering import next_record_number, reserve_record_numbers
from secondcrm.records.registry import registry
from tests.imports.jobs import imported, new_job
from tests.webforms.conftest import eager_tasks  # noqa: F401  (a fixture: tasks run in place)

pytestmark = pytest.mark.django_db
Status = ImportJob.Status
TEN_ROWS = "Last Name,Email\n" + "".join(f"Row{n},row{n}@example.com\n" for n in range(10))


@pytest.fixture
def in_background(eager_tasks, django_capture_on_commit_callbacks):  # noqa: F811
    """``with in_background(): ...``: the tasks dispatched on commit run as the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_each_step_runs_its_task_once_its_state_is_committed(manager, in_background):
    job = new_job(manager, TEN_ROWS)
    with in_background() as sent:
        preview_start(job)
        assert ImportJob.objects.get(pk=job.pk).status == Status.PREVIEWING  # the task waits for the commit
    assert len(sent) == 1
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.preview["counts"]["created"]) == (Status.READY, 10, 10)

    with in_background():
        import_start(job)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.created_count) == (Status.DONE, 10, 10)
    assert job.started_at <= job.finished_at

    with in_background():
        undo_start(job)
    job.refresh_from_db()
    assert (job.status, job.undone_count) == (Status.UNDONE, 10)
    assert not Contact.objects.exists()


def test_steps_out_of_order_are_refused(manager):
    job = new_job(manager, TEN_ROWS)
    with pytest.raises(ValueError, match="preview it first"):
        import_start(job)
    job = imported(job)
    with pytest.raises(ValueError, match="can no longer be previewed"):
        preview_start(job)
    with pytest.raises(ValueError, match="preview it first"):
        import_start(job)


def test_the_failed_rows_file_holds_the_files_values_and_the_reasons(manager):
    text = 'Last Name,Birthdate,Title\nGood,,\n,,-5\n"Bad, Jr.",12/10/1815,"=1+2"\nShort\n'
    job = imported(new_job(manager, text))

    content = "".join(failed_rows_csv(job))

    assert content.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(content.lstrip("\ufeff")))) == [
        ["Last Name", "Birthdate", "Title", "Reason"],
        ["", "", "-5", "Last Name: a value is required."],
        ["Bad, Jr.", "12/10/1815", "=1+2", "Birthdate: use yyyy-mm-dd"],
        ["Short", "", "", "This row has 1 columns where the file has 3: check its delimiters."],
    ]


def test_numbers_are_reserved_as_a_block_in_the_modules_format():
    contacts = registry.get("contacts")

    assert reserve_record_numbers(contacts, 3) == ["CON1", "CON2", "CON3"]
    assert next_record_number(contacts) == "CON4"
    assert reserve_record_numbers(contacts, 2) == ["CON5", "CON6"]


def interrupted(job: ImportJob, chunks: int) -> ImportJob:
    """The job as a worker killed after committing ``chunks`` chunks leaves it: running, with an old heartbeat."""
    ImportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, started_at=timezone.now())
    job.refresh_from_db()
    run = engine.ImportRun(job)
    position = 0
    for rows in list(run.chunks())[:chunks]:
        assert run.commit(rows, position)
        position += len(rows)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    job.refresh_from_db()
    return job


def test_a_stalled_run_resumes_after_its_last_committed_chunk(manager, monkeypatch, eager_tasks):  # noqa: F811
    monkeypatch.setattr(engine, "CHUNK_ROWS", 3)
    job = interrupted(new_job(manager, TEN_ROWS), chunks=2)
    assert (job.rows_done, Contact.objects.count()) == (6, 6)
    fresh = new_job(manager, TEN_ROWS)
    ImportJob.objects.filter(pk=fresh.pk).update(status=Status.QUEUED, heartbeat_at=timezone.now())

    assert resume_stalled_imports() == 1

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.created_count) == (Status.DONE, 10, 10)
    emails = list(Contact.objects.values_list("email", flat=True))
    assert sorted(emails) == sorted(f"row{n}@example.com" for n in range(10))
    assert ImportJob.objects.get(pk=fresh.pk).status == Status.QUEUED  # its worker may still be coming
    assert resume_stalled_imports() == 0


def test_a_second_runner_finds_the_chunk_done_and_stops(manager, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 4)
    job = new_job(manager, TEN_ROWS)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING)
    job.refresh_from_db()
    first, second = engine.ImportRun(job), engine.ImportRun(job)
    chunk = next(first.chunks())

    assert first.commit(chunk, 0)
    assert not second.commit(next(second.chunks()), 0)

    job.refresh_from_db()
    assert (job.rows_done, job.created_count, Contact.objects.count()) == (4, 4, 4)


def test_a_step_whose_message_was_lost_is_sent_again(manager, eager_tasks):  # noqa: F811
    job = new_job(manager, TEN_ROWS)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.PREVIEWING, heartbeat_at=None)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))

    assert resume_stalled_imports() == 1

    assert ImportJob.objects.get(pk=job.pk).status == Status.READY
