"""Changes to the role tree: add a role, rename it or change its profiles, move a branch, delete a role.

Each service is atomic and takes the admin who acts, so that a caller other than the Settings pages (a
management command, a later API) cannot skip the admin check. A role's users, sub-roles and sharing rules
follow the role tree, so every change that touches them happens in one transaction or not at all.
"""

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from secondcrm.access.models import Profile, Role, User
from secondcrm.access.permissions import access_changed

logger = logging.getLogger(__name__)


def _require_admin(acting_user: User) -> None:
    if not acting_user.is_superuser:
        raise PermissionDenied("Only an admin may change the role tree.")


def _check_profiles(profiles: Iterable[Profile]) -> list[Profile]:
    profiles = list(profiles)
    if not profiles:
        raise ValidationError("A role needs at least one profile.")
    return profiles


@transaction.atomic
def role_add(*, parent: Role, name: str, profiles: Iterable[Profile], acting_user: User) -> Role:
    """A new role directly below ``parent`` holding ``profiles``."""
    _require_admin(acting_user)
    profiles = _check_profiles(profiles)
    role = Role.objects.create(name=name, parent=parent)
    role.profiles.set(profiles)
    logger.info("%s added role %s below %s", acting_user, role, parent)
    return role


@transaction.atomic
def role_update(*, role: Role, name: str, profiles: Iterable[Profile], acting_user: User) -> Role:
    """Rename ``role`` and replace its profiles."""
    _require_admin(acting_user)
    profiles = _check_profiles(profiles)
    role.name = name
    role.save(update_fields=["name"])
    role.profiles.set(profiles)
    logger.info("%s changed role %s", acting_user, role)
    return role


def role_move(*, role: Role, new_parent: Role, acting_user: User) -> Role:
    """Move ``role`` with its whole branch directly below ``new_parent`` (see ``Role.move_under``)."""
    _require_admin(acting_user)
    role.move_under(new_parent)
    logger.info("%s moved role %s below %s", acting_user, role, new_parent)
    return role


@transaction.atomic
def role_delete(*, role: Role, transfer_to: Role, acting_user: User) -> int:
    """Delete ``role``: its users go to ``transfer_to``, its sub-roles (with their branches) move up to its
    parent, and the sharing rules that name it go with it. Returns how many users were transferred."""
    _require_admin(acting_user)
    role.refresh_from_db()
    transfer_to.refresh_from_db()
    if role.is_organization:
        raise ValidationError(f"{role} is the top of the role tree and cannot be deleted.")
    if transfer_to.path.startswith(role.path):
        raise ValidationError(f"The users of {role} must go to a role outside the branch being deleted.")
    # A queryset update sends no signals: the access caches are told below.
    transferred = User.objects.filter(role=role).update(role=transfer_to)
    parent = role.parent
    for child in role.children.all():
        child.move_under(parent)
    role.delete()
    access_changed()
    logger.info("%s deleted role %s; %d users went to %s", acting_user, role, transferred, transfer_to)
    return transferred
