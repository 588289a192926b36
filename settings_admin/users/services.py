"""Settings > Users: the writes with a rule attached — deactivating and reactivating a user, deleting a
group — and the guard that keeps at least one active admin, so nobody can lock the organization out of
its own Settings."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from secondcrm.access.models import User
from secondcrm.records.registry import registry


def admin_guard(user: User, *, is_superuser: bool, is_active: bool) -> None:
    """Refuse a change that would leave ``user`` without the Admin flag or inactive when no other active
    admin remains. Locks the active admins' rows so two admins demoting each other at once cannot both
    succeed; call it inside a transaction."""
    if not (user.is_superuser and user.is_active) or (is_superuser and is_active):
        return
    admins = User.objects.select_for_update().filter(is_superuser=True, is_active=True)
    if not admins.exclude(pk=user.pk).exists():
        what = "lose the Admin flag" if is_active else "be deactivated"
        raise ValidationError(
            f"{user.username} is the last active admin and cannot {what}; make another user Admin first."
        )


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User) -> None:
    """A deactivated user can no longer sign in; their records stay assigned to them."""
    if user.pk == acting_user.pk:
        raise ValidationError("You cannot deactivate yourself; ask another admin.")
    admin_guard(user, is_superuser=user.is_superuser, is_active=False)
    user.is_active = False
    user.save(update_fields=["is_active"])


def user_reactivate(*, user: User, acting_user: User) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])


def group_record_counts(group: Group) -> dict[str, int]:
    """Records (Recycle Bin included) assigned to ``group``, per module label; modules with none left out."""
    counts = {module.label: module.model.all_objects.filter(assigned_group=group).count() for module in registry}
    return {label: count for label, count in counts.items() if count}


@transaction.atomic
def group_delete(*, group: Group, acting_user: User) -> None:
    """Delete a group that owns no record: records must always have an owner, so an owning group stays."""
    counts = group_record_counts(group)
    if counts:
        total = sum(counts.values())
        detail = ", ".join(f"{label}: {count}" for label, count in counts.items())
        noun = "record is" if total == 1 else "records are"
        raise ValidationError(
            f"Group {group.name} cannot be deleted: {total} {noun} assigned to it ({detail}). "
            "Assign them to someone else first."
        )
    group.delete()
