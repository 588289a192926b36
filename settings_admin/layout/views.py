"""Settings > Layout Editor: choose a module, then see its blocks as cards with their fields in layout order, and
add, rename, delete and reorder blocks; add, edit, delete, restore and purge custom fields; hide, show and
rename standard fields; move fields within and between blocks.

Moving works by drag and drop (``LayoutArrangeView`` takes the whole arrangement the page shows after a drop
and answers with the editor as the server now has it) and, without JavaScript, with each field's Move Up /
Move Down buttons and each block's Move Up / Move Down buttons. Every other action is a plain form that
redirects back to the editor, at the field it changed."""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from secondcrm.picklists.fields import PicklistField
from secondcrm.records.arrangement import BlockSpec, FieldSpec, field_specs, module_layout
from secondcrm.records.fields import PhoneField
from secondcrm.records.models import CustomField
from secondcrm.records.registry import Module, registry
from settings_admin.mixins import AdminRequiredMixin

from .forms import BlockForm, CustomFieldAddForm, CustomFieldForm, FieldLabelForm
from .services import (
    block_add,
    block_delete,
    block_move,
    block_rename,
    custom_field_add,
    custom_field_delete,
    custom_field_purge,
    custom_field_restore,
    custom_field_update,
    field_move,
    layout_arrange,
    records_holding,
    standard_field_rename,
    standard_field_visibility,
)

# Model field classes and the field type the editor names them by, most specific first.
STANDARD_TYPES: tuple[tuple[type, str], ...] = (
    (PicklistField, "Picklist"),
    (PhoneField, "Phone"),
    (models.EmailField, "Email"),
    (models.URLField, "URL"),
    (models.DateTimeField, "Date and Time"),
    (models.DateField, "Date"),
    (models.BooleanField, "Checkbox"),
    (models.DecimalField, "Decimal"),
    (models.IntegerField, "Number"),
    (models.TextField, "Text Area"),
)
OFFSETS = {"up": -1, "down": 1}


def standard_type(module: Module, name: str) -> str:
    """The type of a standard field in the words the custom field types use."""
    if name == "assigned_to":
        return "Owner"
    try:
        field = module.model._meta.get_field(name)
    except FieldDoesNotExist:
        return "Text"
    if name == "number":
        return "Record Number"
    if field.is_relation:
        return "Reference"
    if field.choices:
        return "Picklist"
    return next((label for cls, label in STANDARD_TYPES if isinstance(field, cls)), "Text")


@dataclass
class FieldRow:
    """One field as a row of the editor."""

    spec: FieldSpec
    type_label: str
    mandatory: bool
    first: bool
    last: bool


@dataclass
class BlockCard:
    """One block as a card of the editor."""

    spec: BlockSpec
    rows: list[FieldRow]
    first: bool
    last: bool


def editor_blocks(module: Module) -> list[BlockCard]:
    """The module's blocks and fields in layout order, hidden fields included (greyed on the page)."""
    layout = module_layout(module, include_hidden=True)
    names = [spec.name for block in layout for spec in block.fields]
    cards = []
    for index, block in enumerate(layout):
        rows = [
            FieldRow(
                spec=spec,
                type_label=spec.custom.get_field_type_display() if spec.is_custom else standard_type(module, spec.name),
                mandatory=spec.mandatory or bool(spec.is_custom and spec.custom.mandatory),
                first=spec.name == names[0],
                last=spec.name == names[-1],
            )
            for spec in block.fields
        ]
        cards.append(BlockCard(block, rows, first=index == 0, last=index == len(layout) - 1))
    return cards


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def records(count: int) -> str:
    return f"{count} record{'' if count == 1 else 's'}"


class LayoutIndexView(AdminRequiredMixin, TemplateView):
    """Choose the module whose layout to edit."""

    template_name = "settings_admin/layout/index.html"

    def get_context_data(self, **kwargs):
        counts = {}
        for definition in CustomField.objects.all():
            counts[definition.module] = counts.get(definition.module, 0) + 1
        modules = [(module, counts.get(module.name, 0)) for module in registry]
        return super().get_context_data(modules=modules, **kwargs)


class ModuleLayoutMixin(AdminRequiredMixin):
    """Loads the module named in the URL (the URL only matches registered modules)."""

    def dispatch(self, request, *args, **kwargs):
        # The admin check runs first: a non-admin learns nothing about the layout.
        if not self.test_func():
            return self.handle_no_permission()
        self.module = kwargs["module"]
        return super().dispatch(request, *args, **kwargs)

    def editor_url(self, field: str = "") -> str:
        url = reverse("settings_admin:layout_module", args=[self.module.name])
        return f"{url}#field-{field}" if field else url

    def get_context_data(self, **kwargs):
        kwargs["module"] = self.module
        return super().get_context_data(**kwargs)


class FieldMixin(ModuleLayoutMixin):
    """Loads the field named in the URL: any live field of the module's layout, hidden ones included."""

    def dispatch(self, request, *args, **kwargs):
        if not self.test_func():
            return self.handle_no_permission()
        self.spec = field_specs(kwargs["module"]).get(kwargs["field"])
        if self.spec is None:
            raise Http404("No such field.")
        return super().dispatch(request, *args, **kwargs)


class DeletedFieldMixin(ModuleLayoutMixin):
    """Loads the deleted custom field named in the URL."""

    def dispatch(self, request, *args, **kwargs):
        if not self.test_func():
            return self.handle_no_permission()
        self.definition = CustomField.all_objects.filter(
            module=kwargs["module"].name, name=kwargs["field"], deleted_at__isnull=False
        ).first()
        if self.definition is None:
            raise Http404("No such deleted field.")
        return super().dispatch(request, *args, **kwargs)


def editor_context(module: Module) -> dict:
    """What the editor page shows: the blocks, and the deleted custom fields with how many records hold values."""
    deleted = CustomField.all_objects.filter(module=module.name, deleted_at__isnull=False).order_by("label")
    return {
        "module": module,
        "blocks": editor_blocks(module),
        "deleted_fields": [(definition, records_holding(definition)) for definition in deleted],
    }


class ModuleLayoutView(ModuleLayoutMixin, TemplateView):
    """The editor: the module's blocks as cards, and its deleted custom fields."""

    template_name = "settings_admin/layout/module.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**(kwargs | editor_context(self.module)))


class LayoutArrangeView(ModuleLayoutMixin, View):
    """The arrangement after a drop: POST ``arrangement``, JSON ``[{"block": title, "fields": [name, ...]},
    ...]`` with every block and every field of the module. The answer is the editor as it now stands, with a
    notice: 200 when stored, 400 when the arrangement is unreadable or incomplete (a page opened before
    another admin's change), with the editor as it was."""

    def post(self, request, module):
        try:
            arrangement = self.read(request.POST.get("arrangement", ""))
            layout_arrange(module=self.module, arrangement=arrangement, acting_user=request.user)
        except ValueError as error:
            return self.answer(f"{error} The layout was not changed; it is shown as it is now.", ok=False, status=400)
        return self.answer("Layout saved.", ok=True, status=200)

    @staticmethod
    def read(text: str) -> list[tuple[str, list[str]]]:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError("The arrangement could not be read.") from error
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise ValueError("The arrangement could not be read.")
        arrangement = []
        for item in data:
            title, names = item.get("block"), item.get("fields")
            if not isinstance(title, str) or not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ValueError("The arrangement could not be read.")
            arrangement.append((title, names))
        return arrangement

    def answer(self, notice: str, *, ok: bool, status: int) -> HttpResponse:
        """htmx: the editor alone, with the notice in it. A plain POST: back to the page, or the page itself
        with the notice when the arrangement was refused."""
        if not self.request.htmx and ok:
            messages.success(self.request, notice)
            return redirect(self.editor_url())
        context = editor_context(self.module) | {"notice": notice, "notice_ok": ok}
        template = "settings_admin/layout/_editor.html" if self.request.htmx else "settings_admin/layout/module.html"
        return HttpResponse(render_to_string(template, context, request=self.request), status=status)


# --- blocks ----------------------------------------------------------------------------------------------


class BlockAddView(ModuleLayoutMixin, TemplateView):
    template_name = "settings_admin/layout/block_form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", BlockForm(module=self.module))
        return super().get_context_data(title="Add Block", **kwargs)

    def post(self, request, module):
        form = BlockForm(request.POST, module=self.module)
        if form.is_valid():
            try:
                block_add(module=self.module, title=form.cleaned_data["title"], acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Block {form.cleaned_data['title']} added to {self.module.label}.")
                return redirect(self.editor_url())
        return self.render_to_response(self.get_context_data(form=form), status=422)


class BlockMixin(ModuleLayoutMixin):
    """The block named by ``block`` in the query string or the posted form; only blocks added in the Layout
    Editor can be renamed or deleted."""

    def load_block(self) -> BlockSpec:
        title = self.request.POST.get("block") if self.request.method == "POST" else self.request.GET.get("block")
        for block in module_layout(self.module, include_hidden=True):
            if block.title == title:
                return block
        raise Http404("No such block.")


class BlockRenameView(BlockMixin, TemplateView):
    template_name = "settings_admin/layout/block_form.html"

    def get(self, request, module):
        block = self.load_block()
        if not block.is_custom:
            messages.error(request, f"{block.title} is a standard block: only added blocks can be renamed.")
            return redirect(self.editor_url())
        return self.render_to_response(self.get_context_data(block=block))

    def get_context_data(self, **kwargs):
        block = kwargs["block"]
        kwargs.setdefault("form", BlockForm(module=self.module, current=block.title))
        return super().get_context_data(title=f"Rename Block {block.title}", **kwargs)

    def post(self, request, module):
        block = self.load_block()
        form = BlockForm(request.POST, module=self.module, current=block.title)
        if form.is_valid():
            try:
                new_title = form.cleaned_data["title"]
                block_rename(module=self.module, title=block.title, new_title=new_title, acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Block {block.title} is now called {form.cleaned_data['title']}.")
                return redirect(self.editor_url())
        return self.render_to_response(self.get_context_data(block=block, form=form), status=422)


class BlockDeleteView(BlockMixin, View):
    """Delete an empty added block (POST ``block``)."""

    def post(self, request, module):
        block = self.load_block()
        try:
            block_delete(module=self.module, title=block.title, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, f"Block {block.title} deleted.")
        return redirect(self.editor_url())


class BlockMoveView(BlockMixin, View):
    """Move a block up or down (POST ``block`` and ``direction``): the way to reorder without dragging."""

    def post(self, request, module):
        block = self.load_block()
        offset = OFFSETS.get(request.POST.get("direction", ""))
        if offset is None:
            return HttpResponse("Direction must be up or down.", status=400)
        if block_move(module=self.module, title=block.title, offset=offset, acting_user=request.user):
            messages.success(request, f"Block {block.title} moved {request.POST['direction']}.")
        else:
            messages.info(request, f"Block {block.title} is already the {'first' if offset < 0 else 'last'} one.")
        return redirect(self.editor_url())


# --- fields ----------------------------------------------------------------------------------------------


class FieldAddView(ModuleLayoutMixin, TemplateView):
    """Add a custom field; ``?block=`` chooses the block it goes into."""

    template_name = "settings_admin/layout/field_add.html"

    def get_form(self, data=None) -> CustomFieldAddForm:
        titles = [block.title for block in module_layout(self.module, include_hidden=True)]
        initial = {"block": self.request.GET.get("block") if self.request.GET.get("block") in titles else titles[0]}
        return CustomFieldAddForm(data, module=self.module, blocks=titles, initial=initial)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(title=f"Add a Custom Field to {self.module.label}", **kwargs)

    def post(self, request, module):
        form = self.get_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                definition = custom_field_add(
                    module=self.module,
                    block=data["block"],
                    label=data["label"],
                    field_type=data["field_type"],
                    mandatory=data["mandatory"],
                    default=data["default"],
                    help_text=data["help_text"],
                    values=data["values"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Custom field {definition.label} added to {data['block']}.")
                return redirect(self.editor_url(definition.name))
        return self.render_to_response(self.get_context_data(form=form), status=422)


class FieldEditView(FieldMixin, TemplateView):
    """A custom field's label, mandatory flag, default and help text; a standard field's label."""

    def get_template_names(self) -> list[str]:
        custom = self.spec.is_custom
        return ["settings_admin/layout/field_edit.html" if custom else "settings_admin/layout/field_label.html"]

    def get_form(self, data=None):
        if self.spec.is_custom:
            return CustomFieldForm(data, module=self.module, definition=self.spec.custom)
        return FieldLabelForm(data, module=self.module, spec=self.spec)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        verb = "Edit" if self.spec.is_custom else "Rename"
        return super().get_context_data(spec=self.spec, title=f"{verb} {self.spec.label}", **kwargs)

    def post(self, request, module, field):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                notice = self.save(form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, notice)
                return redirect(self.editor_url(self.spec.name))
        return self.render_to_response(self.get_context_data(form=form), status=422)

    def save(self, data: dict) -> str:
        if not self.spec.is_custom:
            label = standard_field_rename(
                module=self.module, name=self.spec.name, label=data["label"], acting_user=self.request.user
            )
            return f"{self.spec.standard_label} is now labelled {label}."
        definition = custom_field_update(
            definition=self.spec.custom,
            label=data["label"],
            mandatory=data["mandatory"],
            default=data["default"],
            help_text=data["help_text"],
            acting_user=self.request.user,
        )
        return f"Custom field {definition.label} saved."


class FieldDeleteView(FieldMixin, TemplateView):
    """Confirm, then delete a custom field: its values stay in the records until it is purged."""

    template_name = "settings_admin/layout/field_delete.html"

    def get(self, request, module, field):
        if not self.spec.is_custom:
            messages.error(request, f"{self.spec.label} is a standard field: hide it instead of deleting it.")
            return redirect(self.editor_url(self.spec.name))
        return super().get(request, module, field)

    def get_context_data(self, **kwargs):
        definition = self.spec.custom
        return super().get_context_data(definition=definition, holding=records_holding(definition), **kwargs)

    def post(self, request, module, field):
        if not self.spec.is_custom:
            messages.error(request, f"{self.spec.label} is a standard field: hide it instead of deleting it.")
            return redirect(self.editor_url(self.spec.name))
        holding = custom_field_delete(definition=self.spec.custom, acting_user=request.user)
        kept = f"; the values of {records(holding)} are kept until you purge it" if holding else ""
        messages.success(request, f"Custom field {self.spec.label} deleted{kept}.")
        return redirect(self.editor_url())


class FieldRestoreView(DeletedFieldMixin, View):
    def post(self, request, module, field):
        try:
            definition = custom_field_restore(definition=self.definition, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(self.editor_url())
        messages.success(request, f"Custom field {definition.label} restored to {definition.block}, with its values.")
        return redirect(self.editor_url(definition.name))


class FieldPurgeView(DeletedFieldMixin, TemplateView):
    """Confirm, then remove a deleted custom field and its values from every record, for good."""

    template_name = "settings_admin/layout/field_purge.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(definition=self.definition, holding=records_holding(self.definition), **kwargs)

    def post(self, request, module, field):
        label = self.definition.label
        removed = custom_field_purge(definition=self.definition, acting_user=request.user)
        messages.success(request, f"Custom field {label} purged; its values were removed from {records(removed)}.")
        return redirect(self.editor_url())


class FieldVisibilityView(FieldMixin, View):
    """Hide or show a standard field (POST ``hidden``: 1 or 0)."""

    def post(self, request, module, field):
        hidden = request.POST.get("hidden") == "1"
        try:
            standard_field_visibility(module=self.module, name=self.spec.name, hidden=hidden, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            state = "hidden: it no longer shows on forms and detail views" if hidden else "shown again"
            messages.success(request, f"{self.spec.label} is {state}.")
        return redirect(self.editor_url(self.spec.name))


class FieldMoveView(FieldMixin, View):
    """Move a field one place up or down (POST ``direction``), across block edges: the way without dragging."""

    def post(self, request, module, field):
        offset = OFFSETS.get(request.POST.get("direction", ""))
        if offset is None:
            return HttpResponse("Direction must be up or down.", status=400)
        if not field_move(module=self.module, name=self.spec.name, offset=offset, acting_user=request.user):
            messages.info(request, f"{self.spec.label} is already the {'first' if offset < 0 else 'last'} field.")
        return redirect(self.editor_url(self.spec.name))
