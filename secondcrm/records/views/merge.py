"""Find Duplicates and Merge, from a list's Actions menu.

Find Duplicates groups the records the user may see by the values of the fields they tick (text compared
without case) in one GROUP BY query; each group links to the Merge page, where the user picks the surviving
record and, per field, whose value it keeps. The merge itself is the ``records_merge`` service."""

from django import forms
from django.contrib import messages
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from ..display import field_display
from ..merge import MergeRefused, merge_form_values, records_merge
from ..models import Record
from ..registry import Module
from ..services import OutOfReach
from .base import ModuleMixin

GROUPS_SHOWN = 50  # groups listed per search; merging them makes room for the next ones
PRIMARY = "merge_primary"  # the page's own inputs carry a prefix, away from the module form's field names
CHOICE = "merge_choice_"  # + field name: the index of the record whose value survives


def duplicate_fields(module: Module, user) -> dict[str, str]:
    """Name → label of the standard fields the user may see on the module's form, that duplicates can be
    searched on: one value per record, no custom fields, no files, no long text."""
    form = module.form(user=user)
    model_fields = {f.name: f for f in module.model._meta.concrete_fields}
    offered = {}
    for name, field in form.fields.items():
        db_field = model_fields.get(name)
        if db_field is None or isinstance(db_field, models.TextField | models.FileField | models.JSONField):
            continue
        offered[name] = field.label
    return offered


def duplicate_groups(queryset, fields: list[str], limit: int = GROUPS_SHOWN) -> list[list[Record]]:
    """Records of ``queryset`` sharing the values of ``fields`` (text without case), in groups of two or more.
    One GROUP BY query finds the first ``limit`` groups, one more query loads their members."""
    model = queryset.model
    keys, blank = {}, Q()
    for name in fields:
        field = model._meta.get_field(name)
        if isinstance(field, models.CharField):
            keys[f"dup_{name}"] = Lower(name)
            blank |= Q(**{name: ""})
        else:
            keys[f"dup_{name}"] = F(field.attname)
        blank |= Q(**{f"{name}__isnull": True})
    keyed = queryset.exclude(blank).annotate(**keys)
    groups = list(
        keyed.order_by().values(*keys).annotate(dup_count=Count("pk")).filter(dup_count__gt=1).order_by(*keys)[:limit]
    )
    if not groups:
        return []
    condition = Q()
    for group in groups:
        condition |= Q(**{key: group[key] for key in keys})
    members: dict[tuple, list[Record]] = {}
    for record in keyed.filter(condition).order_by(*keys, "pk"):
        members.setdefault(tuple(getattr(record, key) for key in keys), []).append(record)
    found = (members.get(tuple(group[key] for key in keys)) for group in groups)
    return [group for group in found if group]


class DuplicatesView(ModuleMixin, TemplateView):
    """Find Duplicates: tick fields, see groups of records with the same values, merge a group."""

    template_name = "generic/duplicates.html"

    def get(self, request, *args, **kwargs):
        self.require("merge")
        choices = duplicate_fields(self.module, request.user)
        chosen = [name for name in dict.fromkeys(request.GET.getlist("fields")) if name in choices]
        error = ""
        if request.GET.getlist("fields") and len(chosen) != len(set(request.GET.getlist("fields"))):
            error = "Choose among the fields offered: you may not search on some of the ones sent."
            chosen = []
        groups = duplicate_groups(self.visible("view"), chosen) if chosen else None
        rows = None
        if groups is not None:
            rows = [
                {
                    "records": [(record, [field_display(record, name) for name in chosen]) for record in group],
                    "merge_url": reverse("records:merge", kwargs={"module": self.module.name})
                    + "?ids="
                    + ",".join(str(record.pk) for record in group),
                }
                for group in groups
            ]
        context = self.get_context_data(
            choices=choices.items(),
            chosen=chosen,
            labels=[choices[name] for name in chosen],
            groups=rows,
            limit=GROUPS_SHOWN,
            error=error,
        )
        return self.render_to_response(context, status=422 if error else 200)


class MergeView(ModuleMixin, TemplateView):
    """Merge: one column per record, one row per writable field; radio buttons choose the survivor and the
    value each field keeps (by default the first non-empty value, left to right)."""

    template_name = "generic/merge.html"

    def dispatch(self, request, *args, **kwargs):
        self.require("merge")
        return super().dispatch(request, *args, **kwargs)

    def load(self) -> bool:
        """The records in ``ids`` in the order given; False (with a message) when fewer than two are named.
        A record the user cannot see is 404, like one that does not exist."""
        raw = self.request.GET.get("ids") or self.request.POST.get("ids") or ""
        ids = list(dict.fromkeys(int(part) for part in raw.split(",") if part.strip().isdigit()))
        if len(ids) < 2:
            messages.warning(self.request, "Choose at least two records to merge.")
            return False
        found = self.visible("view").in_bulk(ids)
        if len(found) != len(ids):
            raise Http404(f"No such {self.module.singular.lower()}.")
        self.records = [found[pk] for pk in ids]
        self.ids = ids
        self.forms = [self.module.form(instance=record, user=self.request.user) for record in self.records]
        self.values = [merge_form_values(form) for form in self.forms]
        return True

    def back(self):
        return redirect("records:duplicates", module=self.module.name)

    def get(self, request, *args, **kwargs):
        if not self.load():
            return self.back()
        return self.render_page(primary=0, choices={name: self.default_choice(name) for name in self.values[0]})

    def post(self, request, *args, **kwargs):
        if not self.load():
            return self.back()
        count = len(self.records)
        primary = _index(request.POST.get(PRIMARY), count)
        choices = {name: _index(request.POST.get(CHOICE + name), count) for name in self.values[0]}
        if primary is None or None in choices.values():
            choices = {name: 0 if index is None else index for name, index in choices.items()}
            return self.render_page(primary or 0, choices, error="Choose one record and one value per field.")
        values = {name: self.values[index][name] for name, index in choices.items()}
        survivor = self.records[primary]
        others = [record for record in self.records if record.pk != survivor.pk]
        try:
            records_merge(module=self.module, primary=survivor, others=others, values=values, acting_user=request.user)
        except MergeRefused as refused:
            errors = [
                f"{refused.form.fields[name].label if name in refused.form.fields else ''}: {error}".lstrip(": ")
                for name, field_errors in refused.form.errors.items()
                for error in field_errors
            ]
            return self.render_page(
                primary, choices, error="The chosen values cannot be saved; nothing was merged.", details=errors
            )
        except OutOfReach:
            error = "You could no longer see the surviving record with these values; nothing was merged."
            return self.render_page(primary, choices, error=error)
        messages.success(request, f"Merged {', '.join(record.number for record in others)} into {survivor.number}.")
        return redirect(survivor.get_absolute_url())

    def default_choice(self, name: str) -> int:
        for index, values in enumerate(self.values):
            if values[name] not in (None, "", [], False):
                return index
        return 0

    def render_page(self, primary: int, choices: dict[str, int], error: str = "", details=()):
        form = self.forms[0]
        rows = []
        for name, chosen in choices.items():
            cells = [
                {"index": index, "text": _display(record, name, form), "checked": index == chosen}
                for index, record in enumerate(self.records)
            ]
            rows.append({"name": name, "label": form.fields[name].label, "input": CHOICE + name, "cells": cells})
        context = self.get_context_data(
            records=list(enumerate(self.records)),
            ids=",".join(str(pk) for pk in self.ids),
            rows=rows,
            primary=primary,
            primary_input=PRIMARY,
            error=error,
            details=details,
        )
        return self.render_to_response(context, status=422 if error else 200)


def _index(raw: str | None, count: int) -> int | None:
    return int(raw) if raw is not None and raw.isdigit() and int(raw) < count else None


def _display(record: Record, name: str, form) -> str:
    if name == "assigned_to":
        return str(record.assigned_to or "")
    if isinstance(form.fields[name], forms.BooleanField):
        return field_display(record, name) or "No"
    return field_display(record, name)
