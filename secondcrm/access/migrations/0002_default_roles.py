"""The default role tree of a new CRM: Organization › Management › Manager › Staff."""

from django.db import migrations

DEFAULT_TREE = ("Organization", "Management", "Manager", "Staff")


def create_default_roles(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    if Role.objects.exists():
        return
    parent = None
    for name in DEFAULT_TREE:
        role = Role.objects.create(name=name, parent=parent, path=f"tmp-{name}")
        role.path = f"{parent.path if parent else ''}{role.pk:04d}."
        role.save(update_fields=["path"])
        parent = role


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]
    operations = [migrations.RunPython(create_default_roles, migrations.RunPython.noop)]
