"""The values of custom picklist and multi-select picklist fields move from ``CustomField.choices`` into the
picklist table, in their order and for every role. Deleted (not yet purged) fields too: restoring one brings
its values back."""

from django.db import migrations

PICKLIST_TYPES = ("picklist", "multipicklist")


def copy_choices(apps, schema_editor):
    CustomField = apps.get_model("records", "CustomField")
    PicklistValue = apps.get_model("picklists", "PicklistValue")
    roles = list(apps.get_model("access", "Role").objects.all())
    max_length = PicklistValue._meta.get_field("value").max_length
    for definition in CustomField.objects.filter(field_type__in=PICKLIST_TYPES).order_by("pk"):
        existing = PicklistValue.objects.filter(module=definition.module, field=definition.name)
        taken = {value.lower() for value in existing.values_list("value", flat=True)}
        position = existing.count()
        for choice in definition.choices or []:
            value = " ".join(str(choice).split())[:max_length]
            if not value or value.lower() in taken:
                continue
            taken.add(value.lower())
            row = PicklistValue.objects.create(
                module=definition.module, field=definition.name, value=value, position=position
            )
            row.roles.set(roles)
            position += 1


def remove_values(apps, schema_editor):
    CustomField = apps.get_model("records", "CustomField")
    PicklistValue = apps.get_model("picklists", "PicklistValue")
    for module, name in CustomField.objects.filter(field_type__in=PICKLIST_TYPES).values_list("module", "name"):
        PicklistValue.objects.filter(module=module, field=name).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("picklists", "0001_initial"),
        ("access", "0002_default_roles"),
        ("records", "0002_layout_and_custom_field_details"),
    ]

    operations = [migrations.RunPython(copy_choices, remove_values)]
