"""Background jobs of the record platform."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .registry import registry
from .services import record_purge


@shared_task(acks_late=True)
def purge_expired_recycle_bin() -> int:
    """Purge records that have been in the Recycle Bin longer than RECYCLE_BIN_RETENTION_DAYS.
    Idempotent: a retry finds only what is still there."""
    cutoff = timezone.now() - timedelta(days=settings.RECYCLE_BIN_RETENTION_DAYS)
    purged = 0
    for module in registry:
        for record in module.model.all_objects.filter(deleted_at__lt=cutoff).iterator(chunk_size=500):
            record_purge(record=record, acting_user=None)
            purged += 1
    return purged
