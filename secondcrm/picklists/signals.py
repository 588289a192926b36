"""Keep picklist values in step with roles and custom fields, whichever code creates them.

- A new role (Settings > Roles) may pick what its parent role may pick; the top role, every value.
- A custom picklist field saved with ``choices`` and no values yet brings its choices as its values, for every
  role; the layout editor then calls ``picklist_values_set``, which finds them in place.
- A custom field deleted for good (purged) takes its values with it.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from secondcrm.access.models import Role
from secondcrm.records.models import CustomField

from .choices import PICKLIST_TYPES
from .models import PicklistValue
from .services import create_values


@receiver(post_save, sender=Role, dispatch_uid="picklists_new_role")
def new_role_gets_values(sender, instance: Role, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:  # raw: loaded from a fixture, which carries the role's values itself
        return
    through = PicklistValue.roles.through
    if instance.parent_id:
        values = through.objects.filter(role_id=instance.parent_id).values_list("picklistvalue_id", flat=True)
    else:
        values = PicklistValue.objects.values_list("pk", flat=True)
    through.objects.bulk_create(
        [through(picklistvalue_id=pk, role_id=instance.pk) for pk in values], ignore_conflicts=True
    )


@receiver(post_save, sender=CustomField, dispatch_uid="picklists_custom_field_values")
def custom_picklist_brings_values(sender, instance: CustomField, raw: bool = False, **kwargs) -> None:
    if raw or instance.field_type not in PICKLIST_TYPES or not instance.choices:
        return
    if PicklistValue.objects.filter(module=instance.module, field=instance.name).exists():
        return
    create_values(instance.module, instance.name, instance.choices)


@receiver(post_delete, sender=CustomField, dispatch_uid="picklists_custom_field_purged")
def purged_custom_field_takes_values(sender, instance: CustomField, **kwargs) -> None:
    PicklistValue.objects.filter(module=instance.module, field=instance.name).delete()
