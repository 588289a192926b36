"""Benchmark of an import (run by `make bench`, never by `make test`): 100,000 contacts from a CSV file, one row in
twenty repeating an earlier row's email, with duplicates on email skipped, previewed and imported through a real
Celery worker and the Redis broker, as in production. Next to it, PostgreSQL's COPY of the same file into a bare
table of text columns (no checks, no indexes, no history: the physical limit of getting the file into the
database), and the import's time as a multiple of it.

The worker sees only committed rows, so the bench is a transactional test, run after the others (see conftest.py):
the contacts table already holds the generated world's, and everything is flushed at its end."""

import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from accounts.models import Contact
from secondcrm.imports.models import ImportedRecord, ImportJob
from secondcrm.imports.services import import_start, preview_start
from secondcrm.records.models import Update
from tests.imports.jobs import new_job
from tests.imports.worker import Worker, own_queue

from .results import Figure, Timing

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 100_000
REPEAT_EVERY = 20  # every twentieth row repeats the email of the row before it
HEADER = "First Name,Last Name,Email,Title,Office Phone,Mobile,Birthdate,Lead Source,Mailing City,Mailing Country"
CITIES = ["Singapore", "Kuala Lumpur", "Jakarta", "Bangkok", "Manila", "Sydney", "Tokyo", "Seoul"]
SOURCES = ["Cold Call", "Web Site", "Trade Show", "Partner", "Conference", "--None--"]
Status = ImportJob.Status


def contacts_csv() -> str:
    lines = [HEADER]
    for n in range(ROWS):
        email = n - 1 if n % REPEAT_EVERY == REPEAT_EVERY - 1 else n
        lines.append(
            f"First{n},Contact {n:06d},person{email}@example.com,Buyer,+65 6{n:07d},+65 9{n:07d},"
            f"19{50 + n % 50}-{1 + n % 12:02d}-{1 + n % 28:02d},{SOURCES[n % len(SOURCES)]},"
            f"{CITIES[n % len(CITIES)]},Singapore"
        )
    return "\n".join(lines) + "\n"


def copy_into_bare_table(text: str) -> float:
    """Seconds for COPY of the file into a table of text columns, without indexes."""
    columns = ", ".join(f"c{index} text" for index in range(len(HEADER.split(","))))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_import_copy ({columns})")
        try:
            started = time.perf_counter()
            with cursor.cursor.copy("COPY bench_import_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                copy.write(text.encode())
            seconds = time.perf_counter() - started
            cursor.execute("SELECT count(*) FROM bench_import_copy")
            assert cursor.fetchone()[0] == ROWS
        finally:
            cursor.execute("DROP TABLE bench_import_copy")
    return seconds


def insert_into_indexed_copy(job: ImportJob) -> float:
    """Seconds for PostgreSQL to insert the imported contacts, already in the database, into a copy of the contacts
    table with all its indexes (six trigram indexes for search among them): what the indexes alone cost."""
    table = Contact._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_import_indexed (LIKE {table} INCLUDING ALL)")
        try:
            started = time.perf_counter()
            cursor.execute(
                f"INSERT INTO bench_import_indexed SELECT * FROM {table} WHERE id IN "
                f"(SELECT object_id FROM {ImportedRecord._meta.db_table} WHERE job_id = %s)",
                [job.pk],
            )
            return time.perf_counter() - started
        finally:
            cursor.execute("DROP TABLE bench_import_indexed")


def test_import_of_100000_contacts(bench_world, manager, tmp_path, bench_results):
    text = contacts_csv()
    duplicates = ROWS // REPEAT_EVERY
    job = new_job(manager, text, duplicate_mode="skip", duplicate_fields=["email"])
    with own_queue() as queue:
        worker = Worker(queue, tmp_path / "worker.log")
        try:
            started = time.perf_counter()
            preview_start(job)
            worker.wait_until(lambda: status(job) != Status.PREVIEWING, 600, "the preview did not end")
            previewed = time.perf_counter()
            import_start(job)
            worker.wait_until(
                lambda: status(job) not in (Status.QUEUED, Status.RUNNING), 1800, "the import did not end"
            )
            imported = time.perf_counter()
        finally:
            worker.kill()
    job.refresh_from_db()
    assert (job.status, job.error) == (Status.DONE, "")
    assert (job.created_count, job.skipped_count, job.failed_count) == (ROWS - duplicates, duplicates, 0)
    assert job.preview["counts"]["created"] == job.created_count
    history = Update.objects.filter(content_type=ContentType.objects.get_for_model(Contact))
    assert history.filter(object_id__in=job.records.values("object_id")).count() == job.created_count
    copy_seconds = copy_into_bare_table(text)
    indexed_seconds = insert_into_indexed_copy(job)

    size_mb = len(text.encode()) / 1024 / 1024
    preview_seconds, import_seconds = previewed - started, imported - previewed
    print(f"\nImport of {ROWS:,} contacts ({size_mb:.1f} MB CSV, {duplicates:,} duplicate emails skipped), one worker:")
    print(f"  preview (dry run)         {preview_seconds:7.1f} s  {ROWS / preview_seconds:9,.0f} rows/s")
    print(f"  import                    {import_seconds:7.1f} s  {ROWS / import_seconds:9,.0f} rows/s")
    print(f"  COPY into a bare table    {copy_seconds:7.1f} s  {ROWS / copy_seconds:9,.0f} rows/s")
    print(f"  import / COPY             {import_seconds / copy_seconds:7.1f} x")
    print(f"  (PostgreSQL alone, inserting the {job.created_count:,} contacts into a copy of their table with its")
    print(f"  indexes: {indexed_seconds:.1f} s, {job.created_count / indexed_seconds:,.0f} rows/s)")
    case = f"{ROWS:,} contacts from CSV, duplicates on email skipped, one worker"
    bench_results.add(Figure("Import", f"preview: {case}", once(preview_seconds), note=rate(preview_seconds)))
    copy = once(copy_seconds)
    bench_results.add(Figure("Import", f"import: {case}", once(import_seconds), raw=copy, note=rate(import_seconds)))


def status(job: ImportJob) -> str:
    return ImportJob.objects.values_list("status", flat=True).get(pk=job.pk)


def once(seconds: float) -> Timing:
    """A figure measured once (a long run, not a page served many times): its median and p95 are that time."""
    return Timing(seconds * 1000, seconds * 1000)


def rate(seconds: float) -> str:
    return f"{ROWS / seconds:,.0f} rows/s; raw SQL is COPY of the file into a bare table"
