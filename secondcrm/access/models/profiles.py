"""Profiles: what a role may do per module (view, create, edit, delete; import, export, merge) and how it
may treat each field (invisible, read-only, read/write). A role holds one or more profiles; its rights are
their union."""

from django.db import models

# The rights a profile grants per module, in the order the profile editor shows them.
MODULE_ACTIONS = ("view", "create", "edit", "delete")
MODULE_TOOLS = ("import", "export", "merge")
RIGHTS = MODULE_ACTIONS + MODULE_TOOLS


class Profile(models.Model):
    class Preset(models.TextChoices):
        MANAGEMENT = "management", "Management"
        MANAGER = "manager", "Manager"
        STAFF = "staff", "Staff"

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)
    # The predefined profiles can be edited but not deleted; their preset also gives the rights a module
    # has in them before an admin sets any (e.g. a module added by an upgrade).
    preset = models.CharField(max_length=20, choices=Preset.choices, blank=True)
    # "View all" lets the profile's users read every record of the modules they may view, whoever owns it;
    # "Edit all" also lets them edit and delete them (module rights still apply).
    view_all = models.BooleanField("View all records", default=False)
    edit_all = models.BooleanField("Edit all records", default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_predefined(self) -> bool:
        return bool(self.preset)


# What each preset grants on a module that has no ModuleRight row yet.
PRESET_RIGHTS = {
    Profile.Preset.MANAGEMENT: {"view", "export"},
    Profile.Preset.MANAGER: set(RIGHTS),
    Profile.Preset.STAFF: {"view", "create", "edit", "import"},
}


class ModuleRight(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="module_rights")
    module = models.CharField(max_length=50)
    can_view = models.BooleanField("View", default=False)
    can_create = models.BooleanField("Create", default=False)
    can_edit = models.BooleanField("Edit", default=False)
    can_delete = models.BooleanField("Delete", default=False)
    can_import = models.BooleanField("Import", default=False)
    can_export = models.BooleanField("Export", default=False)
    can_merge = models.BooleanField("Merge", default=False)

    class Meta:
        ordering = ["module"]
        constraints = [models.UniqueConstraint(fields=["profile", "module"], name="access_module_right_once")]

    def __str__(self) -> str:
        return f"{self.profile} on {self.module}"

    def granted(self) -> set[str]:
        return {right for right in RIGHTS if getattr(self, f"can_{right}")}


class FieldRight(models.Model):
    """How a profile treats one field; a field without a row is read/write."""

    class Access(models.TextChoices):
        INVISIBLE = "invisible", "Invisible"
        READ_ONLY = "read_only", "Read only"
        READ_WRITE = "read_write", "Read/Write"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="field_rights")
    module = models.CharField(max_length=50)
    field = models.CharField(max_length=100)
    access = models.CharField(max_length=20, choices=Access.choices, default=Access.READ_WRITE)

    class Meta:
        ordering = ["module", "field"]
        constraints = [models.UniqueConstraint(fields=["profile", "module", "field"], name="access_field_right_once")]

    def __str__(self) -> str:
        return f"{self.profile}: {self.module}.{self.field} {self.get_access_display()}"
