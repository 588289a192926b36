"""Sharing access: each module's organization-wide default, the custom sharing rules, and the fields hidden
for the whole organization."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models


class SharingDefault(models.Model):
    """A module's organization-wide default; a module without a row is Private."""

    class Access(models.TextChoices):
        PRIVATE = "private", "Private"
        PUBLIC_READ = "public_read", "Public: Read Only"
        PUBLIC_READ_WRITE = "public_read_write", "Public: Read, Create/Edit, Delete"

    module = models.CharField(max_length=50, unique=True)
    access = models.CharField(max_length=20, choices=Access.choices, default=Access.PRIVATE)

    def __str__(self) -> str:
        return f"{self.module}: {self.get_access_display()}"


class SharingRule(models.Model):
    """Records of a module owned in ``from`` are shared with the users in ``to``."""

    class Party(models.TextChoices):
        ROLE = "role", "Role"
        ROLE_AND_SUBORDINATES = "role_and_subordinates", "Role and Subordinates"
        GROUP = "group", "Group"

    class Access(models.TextChoices):
        READ = "read", "Read Only"
        READ_WRITE = "read_write", "Read/Write"

    module = models.CharField(max_length=50, db_index=True)
    from_kind = models.CharField("Records of", max_length=30, choices=Party.choices)
    from_role = models.ForeignKey("access.Role", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    from_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    to_kind = models.CharField("Can be accessed by", max_length=30, choices=Party.choices)
    to_role = models.ForeignKey("access.Role", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    to_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    access = models.CharField(max_length=20, choices=Access.choices, default=Access.READ)

    class Meta:
        ordering = ["module", "pk"]

    def __str__(self) -> str:
        return f"{self.module}: {self.describe('from')} → {self.describe('to')} ({self.get_access_display()})"

    def describe(self, side: str) -> str:
        kind = getattr(self, f"{side}_kind")
        party = getattr(self, f"{side}_group") if kind == self.Party.GROUP else getattr(self, f"{side}_role")
        return f"{self.Party(kind).label} {party}"

    def clean(self) -> None:
        for side in ("from", "to"):
            kind = getattr(self, f"{side}_kind")
            needs_group = kind == self.Party.GROUP
            if needs_group and not getattr(self, f"{side}_group_id"):
                raise ValidationError({f"{side}_group": "Choose a group."})
            if not needs_group and not getattr(self, f"{side}_role_id"):
                raise ValidationError({f"{side}_role": "Choose a role."})
            # Only the party the kind names is kept, so a rule never carries a stale second party.
            setattr(self, f"{side}_{'role' if needs_group else 'group'}", None)


class HiddenField(models.Model):
    """A field hidden for everyone but admins (the manual's "Default Organization Field" access); it
    overrides every profile."""

    module = models.CharField(max_length=50)
    field = models.CharField(max_length=100)

    class Meta:
        ordering = ["module", "field"]
        constraints = [models.UniqueConstraint(fields=["module", "field"], name="access_hidden_field_once")]

    def __str__(self) -> str:
        return f"{self.module}.{self.field}"
