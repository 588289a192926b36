"""Links to a purged record go with it (a generic relation has no database cascade)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete
from django.dispatch import receiver

from secondcrm.records.models import Record

from .models import DocumentLink


@receiver(post_delete)
def drop_links_of_purged_record(sender, instance, **kwargs) -> None:
    if isinstance(instance, Record):
        DocumentLink.objects.filter(
            content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
        ).delete()
