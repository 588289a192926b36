"""Writes on potentials beyond the generic edit form: moving a potential to another sales stage (the pipeline
board) and its contact roles. Each is atomic, runs as ``acting_user`` and checks the edit right itself, so a
view (or a later API) cannot forget to."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from secondcrm.records.changes import acting_as
from secondcrm.records.history import log_update
from secondcrm.records.models import Update
from secondcrm.records.services import record_save

from .models import Potential, PotentialContactRole


class StageRefused(Exception):
    """The stage is not one the user may pick (unknown, or not among their role's stages)."""


def require_edit(potential: Potential, user) -> None:
    """PermissionDenied unless ``user`` may edit ``potential`` (profiles and sharing together)."""
    if not Potential.objects.visible_to(user, "edit").filter(pk=potential.pk).exists():
        raise PermissionDenied(f"You may not edit the potential {potential}.")


def potential_stage_move(*, potential: Potential, stage: str, acting_user) -> Potential:
    """Move ``potential`` to sales stage ``stage``, as the pipeline board's drag and its Move button do.

    It goes through the module's own form and ``record_save``: the stage is checked against the user's role
    and field access like on the edit page, visibility is re-checked after saving, the Updates history
    records "Sales Stage changed from X to Y", and the probability follows the new stage."""
    require_edit(potential, acting_user)
    form = Potential.module.form(
        {"sales_stage": stage}, instance=potential, user=acting_user, only_fields=["sales_stage"]
    )
    field = form.fields.get("sales_stage")
    if field is None or field.disabled:
        raise PermissionDenied("You may not change the sales stage of potentials.")
    if not form.is_valid():
        if "sales_stage" in form.errors:
            raise StageRefused(f"“{stage}” is not a sales stage you can choose.")
        raise StageRefused(" ".join(form.non_field_errors()) or "The potential could not be saved.")
    return record_save(form=form, acting_user=acting_user)


def contact_role_add(*, potential: Potential, contact, role: str, acting_user) -> PotentialContactRole:
    """Give ``contact`` a ``role`` on ``potential``; the potential's Updates tell who was added as what."""
    require_edit(potential, acting_user)
    with transaction.atomic(), acting_as(acting_user):
        contact_role = PotentialContactRole.objects.create(potential=potential, contact=contact, role=role)
        change = {"field": "contact_roles", "label": "Contact Roles", "old": "", "new": f"{contact} ({role})"}
        log_update(potential, action=Update.Action.UPDATED, actor=acting_user, changes=[change])
    return contact_role


def contact_role_remove(*, contact_role: PotentialContactRole, acting_user) -> None:
    """Take a contact's role off a potential; the potential's Updates keep what it was."""
    potential = contact_role.potential
    require_edit(potential, acting_user)
    with transaction.atomic(), acting_as(acting_user):
        change = {"field": "contact_roles", "label": "Contact Roles", "old": str(contact_role), "new": ""}
        contact_role.delete()
        log_update(potential, action=Update.Action.UPDATED, actor=acting_user, changes=[change])
