"""Merge duplicate records (the manual's Find Duplicates → Merge): one record survives with the values the user
chose per field; everything that pointed at the others (contacts and potentials of an account, member accounts,
comments, documents, tags) moves to it, and the others go to the Recycle Bin. All in one transaction."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from secondcrm.access.permissions import access_for

from .changes import acting_as
from .history import log_update
from .models import Comment, Record, Update
from .registry import Module
from .services import record_delete, record_save


class MergeRefused(Exception):
    """The survivor's form did not accept the chosen values; it carries that form, errors and all."""

    def __init__(self, form):
        super().__init__("The chosen values are not valid.")
        self.form = form


def merge_form_values(form) -> dict:
    """Name → value, as the form would post it, of the writable fields of a record's module form. Read-only
    fields are disabled (Django keeps their stored value) and file uploads cannot be copied between records."""
    return {
        name: form[name].value()
        for name, field in form.fields.items()
        if not field.disabled and not isinstance(field, forms.FileField)
    }


def records_merge(*, module: Module, primary: Record, others: list[Record], values: dict, acting_user) -> Record:
    """Merge ``others`` into ``primary``. ``values`` are form values (name → value) for the survivor; fields not
    given keep the survivor's own value. Raises PermissionDenied unless the user has the module's merge right,
    may edit the survivor and delete every other record; raises MergeRefused (nothing changed) if the survivor's
    form rejects the values."""
    model = module.model
    other_ids = [record.pk for record in others]
    if not others or primary.pk in other_ids:
        raise ValueError("Merge needs a surviving record and at least one other record.")
    if not access_for(acting_user).can(module.name, "merge"):
        raise PermissionDenied(f"You may not merge {module.label.lower()}.")
    if not model.objects.visible_to(acting_user, "edit").filter(pk=primary.pk).exists():
        raise PermissionDenied(f"You may not edit {primary}.")
    if model.objects.visible_to(acting_user, "delete").filter(pk__in=other_ids).count() != len(set(other_ids)):
        raise PermissionDenied(f"You may not delete every one of these {module.label.lower()}.")

    with transaction.atomic(), acting_as(acting_user):
        _move_references(model, primary, other_ids)
        form = module.form(instance=primary, user=acting_user)
        data = merge_form_values(form) | _without_self_references(model, values, [primary.pk, *other_ids])
        form = module.form(data, instance=primary, user=acting_user)
        if not form.is_valid():
            raise MergeRefused(form)
        primary = record_save(form=form, acting_user=acting_user)
        tags = {name for other in others for name in other.tags.names()}
        if tags:
            primary.tags.add(*tags)
        for other in others:
            record_delete(record=other, acting_user=acting_user)
        merged = ", ".join(other.number for other in others)
        change = {"field": "merged_records", "label": "Merged Records", "old": "", "new": merged}
        log_update(primary, action=Update.Action.UPDATED, actor=acting_user, changes=[change])
    return primary


def _without_self_references(model, values: dict, merged_ids: list[int]) -> dict:
    """A hierarchy field ("Member of") chosen from a record that pointed at one of the merged records would make
    the survivor its own parent, or point into the Recycle Bin: such a value is cleared."""
    cleaned, merged = dict(values), {str(pk) for pk in merged_ids}
    for field in model._meta.concrete_fields:
        is_hierarchy = isinstance(field, models.ForeignKey) and field.related_model is model
        if is_hierarchy and str(cleaned.get(field.name)) in merged:
            cleaned[field.name] = ""
    return cleaned


def _move_references(model, primary: Record, other_ids: list[int]) -> None:
    """Point everything that points at the others to the survivor: every record's foreign key to this model
    (Recycle Bin rows included, so that a restored record finds its account), comments and document links."""
    for relation in model._meta.related_objects:
        related = relation.related_model
        if not (relation.one_to_many and isinstance(related, type) and issubclass(related, Record)):
            continue
        name = relation.field.name
        rows = related.all_objects.filter(**{f"{name}__in": other_ids})
        if related is model:  # a hierarchy: the merged records themselves are not re-parented to the survivor
            rows = rows.exclude(pk__in=[primary.pk, *other_ids])
        rows.update(**{name: primary})
    content_type = ContentType.objects.get_for_model(model)
    Comment.objects.filter(content_type=content_type, object_id__in=other_ids).update(object_id=primary.pk)
    _move_document_links(content_type, primary.pk, other_ids)


def _move_document_links(content_type, primary_id: int, other_ids: list[int]) -> None:
    """A document linked to both records stays linked once (a link is unique per document and record)."""
    from secondcrm.documents.models import DocumentLink  # late: documents is a module built on this app

    links = DocumentLink.objects.filter(content_type=content_type)
    already = set(links.filter(object_id=primary_id).values_list("document_id", flat=True))
    for link in links.filter(object_id__in=other_ids).order_by("pk"):
        if link.document_id in already:
            link.delete()
        else:
            already.add(link.document_id)
            link.object_id = primary_id
            link.save(update_fields=["object_id"])
