"""Settings > Picklist Editor: choose a module, one of its picklists and a role. "All Roles" lists the values in
order, to add, rename, delete (naming the value that replaces it in records) and reorder them, by drag and
drop (``PicklistReorderView`` answers a drop with the list as the server now has it) or, without JavaScript,
with Up and Down buttons. A role shows a tick box per value: the values that role's users may pick."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from django_htmx.http import HttpResponseClientRedirect

from secondcrm.access.models import Role
from secondcrm.picklists.choices import Picklist, picklist_for
from secondcrm.picklists.models import PicklistValue
from secondcrm.picklists.services import (
    picklist_reorder,
    picklist_roles_set,
    picklist_value_add,
    picklist_value_delete,
    picklist_value_move,
    picklist_value_rename,
)
from settings_admin.mixins import AdminRequiredMixin

from .forms import PicklistChooserForm, PicklistDeleteForm, PicklistRoleValuesForm, PicklistValueForm

TEMPLATE = "settings_admin/picklists/editor.html"


def editor_url(picklist: Picklist, role_id: int | str | None = None) -> str:
    query = {"module": picklist.module.name, "field": picklist.name}
    if role_id:
        query["role"] = role_id
    return f"{reverse('settings_admin:picklists')}?{urlencode(query)}"


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def values_context(picklist: Picklist, role: Role | None, **extra) -> dict:
    """What the list of values (``_values.html``) shows: each value with how many roles may pick it, and
    for a chosen role, which ones it may pick."""
    values = list(
        PicklistValue.objects.filter(module=picklist.module.name, field=picklist.name)
        .annotate(role_count=Count("roles"))
        .order_by("position", "pk")  # an aggregate query drops the model's ordering
    )
    allowed = (
        set(role.picklist_values.filter(pk__in=[v.pk for v in values]).values_list("pk", flat=True)) if role else set()
    )
    return {
        "picklist": picklist,
        "role": role,
        "values": values,
        "allowed": allowed,
        "role_total": Role.objects.count(),
        **extra,
    }


class PicklistEditorView(AdminRequiredMixin, TemplateView):
    """The editor: the chooser, and the chosen picklist's values."""

    template_name = TEMPLATE

    def get(self, request, *args, **kwargs):
        chooser = PicklistChooserForm(request.GET)
        return self.render_editor(chooser, status=200 if chooser.is_valid() else 422)

    def render_editor(self, chooser: PicklistChooserForm, *, status: int = 200, **forms):
        context = {"chooser": chooser}
        picklist = chooser.chosen_picklist
        if picklist is not None:
            role = chooser.chosen_role
            forms.setdefault("add_form", PicklistValueForm(picklist=picklist))
            context |= values_context(picklist, role, module=chooser.chosen_module, **forms)
        return self.render_to_response(self.get_context_data(**context), status=status)


class PicklistTargetMixin:
    """POST views that act on the picklist named by the posted module and field (and come back to the role
    that was shown). A picklist that no longer exists sends the admin back to the editor with a message."""

    def target(self, request) -> tuple[PicklistChooserForm, Picklist] | None:
        chooser = PicklistChooserForm(request.POST)
        if not chooser.is_valid() or chooser.cleaned_data["field"] != request.POST.get("field"):
            return None
        return chooser, chooser.chosen_picklist

    def lost(self, request):
        messages.error(request, "That picklist or role no longer exists; choose again.")
        return redirect("settings_admin:picklists")


class PicklistValueAddView(PicklistTargetMixin, PicklistEditorView):
    """Add a value at the end of the picklist, for every role."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        found = self.target(request)
        if found is None:
            return self.lost(request)
        chooser, picklist = found
        form = PicklistValueForm(request.POST, picklist=picklist)
        if form.is_valid():
            try:
                value = picklist_value_add(
                    module=picklist.module,
                    field=picklist.name,
                    value=form.cleaned_data["value"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error("value", error)
            else:
                messages.success(request, f"“{value}” added to {picklist.label}, for every role.")
                return redirect(editor_url(picklist, chooser.cleaned_data["role"]))
        return self.render_editor(chooser, status=422, add_form=form)


class PicklistRolesView(PicklistTargetMixin, PicklistEditorView):
    """Save the values one role may pick."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        found = self.target(request)
        if found is None:
            return self.lost(request)
        chooser, picklist = found
        role = chooser.chosen_role
        if role is None:
            messages.error(request, "Choose a role first: its values are the ones ticked.")
            return redirect(editor_url(picklist))
        form = PicklistRoleValuesForm(request.POST, picklist=picklist)
        if form.is_valid():
            try:
                picklist_roles_set(
                    module=picklist.module,
                    field=picklist.name,
                    role=role,
                    values=form.cleaned_data["values"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error("values", error)
            else:
                messages.success(request, f"Saved the values of {picklist.label} that {role} may pick.")
                return redirect(editor_url(picklist, role.pk))
        return self.render_editor(chooser, status=422, roles_form=form)


class PicklistReorderView(PicklistTargetMixin, AdminRequiredMixin, View):
    """A value dropped at a new place: POST ``module``, ``field``, ``role`` (the role shown) and ``order``
    (every value's id, comma-separated, in the new order). Answers with the list as it now stands, with a
    notice: 200 when stored, 422 when refused (the list comes back unchanged)."""

    def post(self, request):
        found = self.target(request)
        if found is None:
            return self.answer(None, None, "That picklist no longer exists; reload the page.", ok=False, status=400)
        chooser, picklist = found
        try:
            order = [int(pk) for pk in request.POST.get("order", "").split(",") if pk.strip()]
            picklist_reorder(module=picklist.module, field=picklist.name, order=order, acting_user=request.user)
        except ValueError:
            return self.answer(
                chooser, picklist, "The new order could not be read; reload the page.", ok=False, status=400
            )
        except ValidationError as error:
            return self.answer(chooser, picklist, error_text(error), ok=False, status=422)
        return self.answer(chooser, picklist, f"New order of {picklist.label} saved.", ok=True, status=200)

    def answer(self, chooser, picklist, notice: str, *, ok: bool, status: int) -> HttpResponse:
        if not self.request.htmx or picklist is None:
            (messages.success if ok else messages.error)(self.request, notice)
            url = (
                editor_url(picklist, chooser.cleaned_data["role"]) if picklist else reverse("settings_admin:picklists")
            )
            # A drag and drop that lost its picklist reloads the whole editor rather than swapping it into the list.
            return HttpResponseClientRedirect(url) if self.request.htmx else redirect(url)
        context = values_context(picklist, chooser.chosen_role, notice=notice, notice_ok=ok)
        html = render_to_string("settings_admin/picklists/_values.html", context, request=self.request)
        return HttpResponse(html, status=status)


class PicklistValueMixin(AdminRequiredMixin):
    """Loads the value named in the URL and its picklist; an unknown value (or one whose custom field is gone)
    is 404. ``role`` (query or form) is the role the editor showed, to go back to."""

    def dispatch(self, request, *args, **kwargs):
        # The admin check runs first: a non-admin learns nothing about which values exist.
        if not self.test_func():
            return self.handle_no_permission()
        self.value = get_object_or_404(PicklistValue, pk=kwargs["pk"])
        self.picklist = picklist_for(self.value.module, self.value.field)
        if self.picklist is None:
            raise Http404("No such picklist.")
        role = request.POST.get("role") or request.GET.get("role") or ""
        self.role_id = role if role.isdigit() else ""
        return super().dispatch(request, *args, **kwargs)

    def back(self):
        return redirect(editor_url(self.picklist, self.role_id))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            value=self.value,
            picklist=self.picklist,
            role_id=self.role_id,
            back_url=editor_url(self.picklist, self.role_id),
            **kwargs,
        )


class PicklistValueMoveView(PicklistValueMixin, View):
    """Up and Down: the way to reorder without drag and drop."""

    def post(self, request, pk, direction):
        if direction not in ("up", "down"):
            raise Http404("Values move up or down.")
        try:
            picklist_value_move(value=self.value, offset=-1 if direction == "up" else 1, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        return self.back()


class PicklistValueRenameView(PicklistValueMixin, TemplateView):
    """Rename a value; the records holding it hold the new name."""

    template_name = "settings_admin/picklists/rename.html"

    def get(self, request, *args, **kwargs):
        if self.value.is_system:
            messages.error(
                request, f"“{self.value}” is a system value: the application relies on it, so it cannot be renamed."
            )
            return self.back()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PicklistValueForm(picklist=self.picklist, value=self.value))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        old = self.value.value
        form = PicklistValueForm(request.POST, picklist=self.picklist, value=self.value)
        if form.is_valid():
            try:
                changed = picklist_value_rename(
                    value=self.value, new_value=form.cleaned_data["value"], acting_user=request.user
                )
            except ValidationError as error:
                form.add_error("value", error)
            else:
                records = f"{changed} record{'' if changed == 1 else 's'}"
                messages.success(request, f"“{old}” renamed to “{self.value.value}”; {records} updated.")
                return self.back()
        return self.render_to_response(self.get_context_data(form=form), status=422)


class PicklistValueDeleteView(PicklistValueMixin, TemplateView):
    """Delete a value after choosing the value that replaces it in the records holding it."""

    template_name = "settings_admin/picklists/delete.html"

    def refusal(self) -> str | None:
        if self.value.is_system:
            return f"“{self.value}” is a system value: the application relies on it, so it cannot be deleted."
        if (
            not PicklistValue.objects.filter(module=self.value.module, field=self.value.field)
            .exclude(pk=self.value.pk)
            .exists()
        ):
            return f"“{self.value}” is the only value of {self.picklist.label}: add the value that replaces it first."
        return None

    def get(self, request, *args, **kwargs):
        if refusal := self.refusal():
            messages.error(request, refusal)
            return self.back()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PicklistDeleteForm(value=self.value))
        model = self.picklist.module.model
        held = self.held_by(model)
        return super().get_context_data(held=held, **kwargs)

    def held_by(self, model) -> int | None:
        """How many records (Recycle Bin included) hold the value: a standard field is counted; custom values
        are not (that would read every record's JSON), the page then says "every record holding it"."""
        if self.picklist.is_custom:
            return None
        return model.all_objects.filter(**{self.picklist.name: self.value.value}).count()

    def post(self, request, *args, **kwargs):
        if refusal := self.refusal():
            messages.error(request, refusal)
            return self.back()
        form = PicklistDeleteForm(request.POST, value=self.value)
        if form.is_valid():
            replacement = form.cleaned_data["replacement"]
            try:
                changed = picklist_value_delete(value=self.value, replacement=replacement, acting_user=request.user)
            except ValidationError as error:
                form.add_error("replacement", error)
            else:
                records = f"{changed} record{'' if changed == 1 else 's'}"
                messages.success(request, f"“{self.value}” deleted; {records} now hold “{replacement}”.")
                return self.back()
        return self.render_to_response(self.get_context_data(form=form), status=422)
