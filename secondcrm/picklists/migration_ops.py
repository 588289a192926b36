"""Migration operations for apps whose models declare picklists: seed a picklist's first values."""

from django.db import migrations


def seed_picklist(module: str, field: str, values: list[str], system_values: tuple[str, ...] = ()):
    """A RunPython that gives picklist ``module``.``field`` its ``values``, in order, for every existing role
    (roles added later get them from their parent role). Values already there are left alone, so running it
    again, or after an admin's changes, adds nothing twice. The migration using it depends on
    ``("picklists", "0001_initial")`` and on the access migration that creates the roles."""
    system = {value.lower() for value in system_values}

    def seed(apps, schema_editor):
        PicklistValue = apps.get_model("picklists", "PicklistValue")
        roles = list(apps.get_model("access", "Role").objects.all())
        existing = PicklistValue.objects.filter(module=module, field=field)
        taken = {value.lower() for value in existing.values_list("value", flat=True)}
        position = existing.count()
        for value in values:
            if value.lower() in taken:
                continue
            taken.add(value.lower())
            row = PicklistValue.objects.create(
                module=module, field=field, value=value, position=position, is_system=value.lower() in system
            )
            row.roles.set(roles)
            position += 1

    def unseed(apps, schema_editor):
        apps.get_model("picklists", "PicklistValue").objects.filter(module=module, field=field).delete()

    return migrations.RunPython(seed, unseed)
