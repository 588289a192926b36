"""Changes to profiles: start one from an existing profile, save its rights, delete it.

A profile's effect on a module is its ModuleRight row or, without one, its preset's defaults
(``PRESET_RIGHTS``); these services always work on that effective value, so copying or saving a predefined
profile never silently drops what its preset granted. Rows are written in bulk, which sends no signals, so
each service tells the access caches itself.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count

from secondcrm.access.models import FieldRight, ModuleRight, Profile, Role, User
from secondcrm.access.models.profiles import PRESET_RIGHTS, RIGHTS
from secondcrm.access.permissions import access_changed, mandatory_fields
from secondcrm.records.registry import registry

logger = logging.getLogger(__name__)


def _require_admin(acting_user: User) -> None:
    if not acting_user.is_superuser:
        raise PermissionDenied("Only an admin may change profiles.")


def effective_rights(profile: Profile) -> dict[str, set[str]]:
    """The rights ``profile`` grants on every registered module (and on any other module it has a row for)."""
    rights = {row.module: row.granted() for row in profile.module_rights.all()}
    for module in registry:
        rights.setdefault(module.name, set(PRESET_RIGHTS.get(profile.preset, set())))
    return rights


def _module_right(profile: Profile, module: str, granted: set[str]) -> ModuleRight:
    return ModuleRight(profile=profile, module=module, **{f"can_{right}": right in granted for right in RIGHTS})


def without_view_nothing(granted: set[str]) -> set[str]:
    """Create, edit, delete and the tools all act on records the user can see: without View they go too."""
    return set(granted) if "view" in granted else set()


@transaction.atomic
def profile_create_from(*, source: Profile, name: str, description: str, acting_user: User) -> Profile:
    """A new (not predefined) profile with the flags, module rights and field rights of ``source``."""
    _require_admin(acting_user)
    profile = Profile.objects.create(
        name=name, description=description, view_all=source.view_all, edit_all=source.edit_all
    )
    ModuleRight.objects.bulk_create(
        [_module_right(profile, module, granted) for module, granted in effective_rights(source).items()]
    )
    FieldRight.objects.bulk_create(
        [
            FieldRight(profile=profile, module=row.module, field=row.field, access=row.access)
            for row in source.field_rights.all()
        ]
    )
    access_changed()
    logger.info("%s created profile %s from %s", acting_user, profile, source)
    return profile


@transaction.atomic
def profile_save(
    *,
    profile: Profile,
    name: str,
    description: str,
    view_all: bool,
    edit_all: bool,
    module_rights: dict[str, set[str]],
    field_rights: dict[str, dict[str, str]],
    acting_user: User,
) -> Profile:
    """Save a profile as the editor shows it: a ModuleRight row for every registered module (a module left out
    of ``module_rights`` gets no rights) and a FieldRight row only for each restricted field; a field without
    a row is read/write. Mandatory fields cannot be restricted."""
    _require_admin(acting_user)
    for module_name, fields in field_rights.items():
        mandatory = mandatory_fields(registry.get(module_name))
        refused = sorted(f for f, access in fields.items() if f in mandatory and access != FieldRight.Access.READ_WRITE)
        if refused:
            raise ValidationError(
                f"{', '.join(refused)} of {registry.get(module_name).label} cannot be restricted: "
                "a record cannot be saved without mandatory fields."
            )
    profile.name, profile.description = name, description
    # "Edit all" without "View all" would let a user change records they cannot open.
    profile.edit_all = edit_all
    profile.view_all = view_all or edit_all
    profile.save()
    modules = [module.name for module in registry]
    ModuleRight.objects.filter(profile=profile, module__in=modules).delete()
    ModuleRight.objects.bulk_create(
        [_module_right(profile, name, without_view_nothing(module_rights.get(name, set()))) for name in modules]
    )
    FieldRight.objects.filter(profile=profile, module__in=list(field_rights)).delete()
    FieldRight.objects.bulk_create(
        [
            FieldRight(profile=profile, module=module_name, field=field, access=access)
            for module_name, fields in field_rights.items()
            for field, access in fields.items()
            if access != FieldRight.Access.READ_WRITE
        ]
    )
    access_changed()
    logger.info("%s saved profile %s", acting_user, profile)
    return profile


def roles_left_without_profile(profile: Profile) -> list[Role]:
    """The roles for which ``profile`` is the only profile: deleting it would leave them with no rights."""
    # Count before filtering: a count after the filter would only see the joined row of ``profile``.
    return list(Role.objects.annotate(held=Count("profiles", distinct=True)).filter(profiles=profile, held=1))


@transaction.atomic
def profile_delete(*, profile: Profile, acting_user: User) -> None:
    """Delete a profile an admin made; predefined ones stay, and so does one a role holds alone."""
    _require_admin(acting_user)
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.is_predefined:
        raise ValidationError(f"{profile} is a predefined profile: it can be edited but not deleted.")
    alone = roles_left_without_profile(profile)
    if alone:
        names = ", ".join(role.name for role in alone)
        raise ValidationError(
            f"{profile} cannot be deleted: it is the only profile of {names}. "
            "Give the role another profile first (Settings > Roles > Edit)."
        )
    profile.delete()
    logger.info("%s deleted profile %s", acting_user, profile)
