"""The Recycle Bin purge on the production path: sent through the real Redis broker, run by a real worker.

The worker runs in a thread of this process (celery's ``start_worker``), so it shares the test database's
connection settings; the test is transactional because that thread has its own connection and sees only
committed rows.
"""

import queue
import uuid
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.utils import timezone
from kombu import Exchange, Queue

from accounts.models import Account
from secondcrm.celery import app
from secondcrm.records.services import record_delete
from secondcrm.records.tasks import purge_expired_recycle_bin
from tests.factories import AccountFactory

# serialized_rollback: another transactional test may have flushed the roles the migrations create.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_worker_purges_what_outlived_the_retention_and_keeps_the_rest(admin):
    assert app.conf.broker_url.startswith("redis://")
    assert not app.conf.task_always_eager
    retention = settings.RECYCLE_BIN_RETENTION_DAYS
    assert 1 < retention < 100, "the ages below straddle the default retention of 90 days"

    expired, recent, live = (AccountFactory(assigned_user=admin) for _ in range(3))
    now = timezone.now()
    for record, age in ((expired, timedelta(days=100)), (recent, timedelta(days=1))):
        record_delete(record=record, acting_user=admin)
        Account.all_objects.filter(pk=record.pk).update(deleted_at=now - age)

    # A queue of its own: no other worker (another xdist process, one left running on this Redis database)
    # can take the message, and nothing left in the shared queue reaches this worker.
    queue_name = f"test-purge-{uuid.uuid4().hex}"
    finished = queue.Queue()

    def on_postrun(task_id, retval, state, **kwargs):
        finished.put((task_id, state, retval))

    task_postrun.connect(on_postrun, sender=purge_expired_recycle_bin, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue_name], shutdown_timeout=30):
            sent = purge_expired_recycle_bin.apply_async(queue=queue_name)
            task_id, state, purged = finished.get(timeout=30)
    finally:
        task_postrun.disconnect(on_postrun, sender=purge_expired_recycle_bin)
        # Redis keeps a binding for every queue ever declared: remove this one's. Declaring it again on
        # this connection is what lets kombu find the binding to delete.
        with app.connection() as connection:
            own_queue = Queue(queue_name, Exchange(queue_name), routing_key=queue_name)(connection.default_channel)
            own_queue.declare()
            own_queue.delete()

    assert (task_id, state, purged) == (sent.id, "SUCCESS", 1)
    assert not Account.all_objects.filter(pk=expired.pk).exists()
    assert Account.all_objects.get(pk=recent.pk).deleted_at is not None  # still in the bin
    assert Account.objects.filter(pk=live.pk).exists()
