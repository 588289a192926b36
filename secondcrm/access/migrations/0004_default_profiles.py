"""The predefined profiles, given to the default roles: Management reads everything, Manager does
everything, Staff does everything but delete and export (rights per module come from the preset until an
admin sets them)."""

from django.db import migrations

PROFILES = (
    # name, preset, view_all, description
    ("Management Profile", "management", True, "Every module read-only, every record."),
    ("Manager Profile", "manager", False, "Every module, including delete, export and merge."),
    ("Staff Profile", "staff", False, "Every module without delete and export."),
)
ROLE_PROFILES = {
    "Organization": "manager",
    "Management": "management",
    "Manager": "manager",
    "Staff": "staff",
}


def create_profiles(apps, schema_editor):
    Profile = apps.get_model("access", "Profile")
    Role = apps.get_model("access", "Role")
    by_preset = {}
    for name, preset, view_all, description in PROFILES:
        by_preset[preset], _ = Profile.objects.get_or_create(
            preset=preset, defaults={"name": name, "view_all": view_all, "description": description}
        )
    for role in Role.objects.filter(name__in=ROLE_PROFILES, profiles=None):
        role.profiles.add(by_preset[ROLE_PROFILES[role.name]])


class Migration(migrations.Migration):
    dependencies = [("access", "0003_profiles_and_sharing")]
    operations = [migrations.RunPython(create_profiles, migrations.RunPython.noop)]
