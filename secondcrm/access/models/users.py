"""Users, the role hierarchy and login history."""

from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

CURRENCIES = [
    ("SGD", "Singapore Dollar"),
    ("USD", "US Dollar"),
    ("EUR", "Euro"),
    ("GBP", "British Pound"),
    ("MYR", "Malaysian Ringgit"),
    ("IDR", "Indonesian Rupiah"),
    ("INR", "Indian Rupee"),
    ("AUD", "Australian Dollar"),
    ("JPY", "Japanese Yen"),
    ("CNY", "Chinese Yuan"),
]


def time_zone_choices() -> list[tuple[str, str]]:
    return [(tz, tz.replace("_", " ")) for tz in sorted(available_timezones()) if "/" in tz or tz == "UTC"]


class Role(models.Model):
    """A node of the role tree. ``path`` is a materialized path ("0001.0003.") so that "every role below
    mine" is a single indexed ``LIKE 'mine%'`` condition, never a recursive walk."""

    name = models.CharField(max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, unique=True, editable=False)
    # A role's rights are the union of its profiles' rights.
    profiles = models.ManyToManyField("access.Profile", related_name="roles", blank=True)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.path:
            with transaction.atomic():
                super().save(*args, **kwargs)
                prefix = self.parent.path if self.parent_id else ""
                self.path = f"{prefix}{self.pk:04d}."
                super().save(update_fields=["path"])
            return
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.path.count(".") - 1

    def is_above(self, other: "Role") -> bool:
        """True when ``other`` sits somewhere below this role (peers and self are not below)."""
        return other.path.startswith(self.path) and other.path != self.path

    @property
    def is_organization(self) -> bool:
        """The top of the tree: every role sits below it, so it can be neither moved nor deleted."""
        return self.parent_id is None

    def subtree(self) -> models.QuerySet["Role"]:
        """This role and every role below it."""
        return Role.objects.filter(path__startswith=self.path)

    def move_under(self, new_parent: "Role") -> None:
        """Put this role, with every role below it, directly below ``new_parent``.

        The paths of the whole subtree are rewritten in one UPDATE that swaps the old prefix for the new one
        (Concat + Substr rather than REPLACE, which would also touch a later segment that happens to contain
        the same characters). Refuses to move Organization, or a role below itself or one of its own
        subordinates: that would cut the branch off the tree."""
        with transaction.atomic():
            # Lock the whole (small) tree so that two moves at once cannot together build a cycle.
            fresh = {
                pk: (path, parent_id)
                for pk, path, parent_id in Role.objects.select_for_update()
                .order_by("pk")
                .values_list("pk", "path", "parent_id")
            }
            if self.pk not in fresh or new_parent.pk not in fresh:
                raise ValidationError("The role no longer exists; reload the page.")
            self.path, self.parent_id = fresh[self.pk]
            new_parent.path = fresh[new_parent.pk][0]
            if self.is_organization:
                raise ValidationError(f"{self} is the top of the role tree and cannot be moved.")
            if new_parent.path.startswith(self.path):
                where = "itself" if new_parent.pk == self.pk else f"{new_parent}, one of its own subordinates"
                raise ValidationError(f"{self} cannot be moved below {where}.")
            if new_parent.pk == self.parent_id:
                return
            old_prefix = self.path
            new_prefix = new_parent.path + self.path[len(fresh[self.parent_id][0]) :]
            deepest = max(len(path) for path, _ in fresh.values() if path.startswith(old_prefix))
            if deepest - len(old_prefix) + len(new_prefix) > Role._meta.get_field("path").max_length:
                raise ValidationError(f"Below {new_parent} the branch of {self} would be too deep.")
            self.subtree().update(path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)))
            self.path = new_prefix
            self.parent = new_parent
            # Saving the parent also tells the access caches that the tree changed (post_save signal).
            self.save(update_fields=["parent"])


class User(AbstractUser):
    """A CRM user. ``is_superuser`` is the manual's "Admin" flag; preferences live on the user."""

    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="SGD")
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    signature = models.TextField(blank=True)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class LoginHistory(models.Model):
    """One row per sign-in, sign-out or failed attempt: who, from where, when."""

    class Status(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGNED_OUT = "signed_out", "Signed out"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    user_name = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "login history"

    def __str__(self) -> str:
        return f"{self.user_name} {self.get_status_display()} at {self.at:%Y-%m-%d %H:%M}"
