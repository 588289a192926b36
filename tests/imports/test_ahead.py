"""Reading and converting an import's next chunk in a thread of its own (``secondcrm.imports.ahead``): the loop gets
every item in order, an error where its item would have come, and leaving the loop early stops the producer."""

import threading

import pytest

from accounts.models import Contact
from secondcrm.imports import engine
from secondcrm.imports.ahead import ahead
from secondcrm.imports.models import ImportJob
from tests.imports.jobs import new_job

pytestmark = pytest.mark.django_db


def test_the_items_come_in_order_produced_by_another_thread():
    producers = []

    def items():
        for n in range(5):
            producers.append(threading.current_thread())
            yield n

    assert list(ahead(items())) == [0, 1, 2, 3, 4]
    assert threading.current_thread() not in producers


def test_an_error_producing_an_item_is_raised_where_the_item_would_have_come():
    def items():
        yield "first"
        yield "second"
        raise ValueError("row 3 is unreadable")

    taken = []
    with pytest.raises(ValueError, match="row 3 is unreadable"):
        for item in ahead(items()):
            taken.append(item)

    assert taken == ["first", "second"]


def test_leaving_the_loop_stops_the_producer_and_closes_what_it_reads():
    produced, closed = [], threading.Event()

    def items():
        try:
            for n in range(1000):
                produced.append(n)
                yield n
        finally:
            closed.set()

    for item in ahead(items(), depth=1):
        if item == 2:
            break

    assert closed.is_set()
    assert len(produced) < 10  # at most the items waiting for the loop, not the whole file


def test_a_run_stopped_by_an_unreadable_row_keeps_the_chunks_before_it(manager, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 2)
    data = b"Last Name\nSmith\nJones\nBrown\n" + "M\xfcller\n".encode("iso-8859-1")
    job = new_job(manager, data, encoding="utf-8")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)

    engine.import_run(job=job)

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.created_count) == (ImportJob.Status.FAILED, 2, 2)
    assert job.error.startswith("Row 5 is not valid UTF-8 text")
    assert sorted(Contact.objects.values_list("last_name", flat=True)) == ["Jones", "Smith"]
