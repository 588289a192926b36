"""Background jobs of the record platform."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .registry import registry
from .services import StillReferenced, record_purge

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def purge_expired_recycle_bin() -> int:
    """Purge records that have been in the Recycle Bin longer than RECYCLE_BIN_RETENTION_DAYS.
    Idempotent: a retry finds only what is still there."""
    cutoff = timezone.now() - timedelta(days=settings.RECYCLE_BIN_RETENTION_DAYS)
    purged = 0
    for module in registry:
        for record in module.model.all_objects.filter(deleted_at__lt=cutoff).iterator(chunk_size=500):
            try:
                record_purge(record=record, acting_user=None)
            except StillReferenced:
                # Other records still need it (an account its potentials belong to): it stays in the bin, and
                # the rest of the bin is still purged.
                logger.warning("Kept %s %s in the Recycle Bin: other records refer to it.", module.name, record.pk)
                continue
            purged += 1
    return purged
