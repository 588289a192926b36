"""Settings > Roles: the role tree with each role's profiles and users, and the pages that add, edit, move and
delete roles. Moving works by drag and drop on the tree (``RoleDropView`` answers the drop with the tree as
the server now has it) and, without JavaScript, through the Move page's select of allowed new parents."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.views import View
from django.views.generic import TemplateView

from secondcrm.access.models import Role, SharingRule
from settings_admin.mixins import AdminRequiredMixin

from .forms import RoleDeleteForm, RoleForm, RoleMoveForm
from .services import role_add, role_delete, role_move, role_update


@dataclass
class RoleNode:
    """One role of the tree as the page shows it, with the roles directly below it."""

    role: Role
    children: list["RoleNode"] = field(default_factory=list)


def role_tree() -> list[RoleNode]:
    """The whole tree in two queries; ordering by path puts every parent before its children."""
    roles = Role.objects.annotate(user_count=Count("users")).prefetch_related("profiles").order_by("path")
    nodes: dict[int, RoleNode] = {}
    top: list[RoleNode] = []
    for role in roles:
        node = nodes[role.pk] = RoleNode(role)
        parent = nodes.get(role.parent_id)
        (parent.children if parent else top).append(node)
    return top


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class RoleTreeView(AdminRequiredMixin, TemplateView):
    template_name = "settings_admin/roles/tree.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tree=role_tree(), **kwargs)


class RoleObjectMixin(AdminRequiredMixin):
    """Loads the role named in the URL; an unknown role is 404."""

    def dispatch(self, request, *args, **kwargs):
        # The admin check runs first: a non-admin learns nothing about which roles exist.
        if not self.test_func():
            return self.handle_no_permission()
        self.role = get_object_or_404(Role, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class RoleAddView(RoleObjectMixin, TemplateView):
    """Add a role directly below the role in the URL."""

    template_name = "settings_admin/roles/form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RoleForm())
        return super().get_context_data(parent=self.role, title=f"Add a Role below {self.role}", **kwargs)

    def post(self, request, pk):
        form = RoleForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        role = role_add(
            parent=self.role,
            name=form.cleaned_data["name"],
            profiles=form.cleaned_data["profiles"],
            acting_user=request.user,
        )
        messages.success(request, f"Role {role} added below {self.role}.")
        return redirect("settings_admin:roles")


class RoleEditView(RoleObjectMixin, TemplateView):
    """Rename a role and choose its profiles."""

    template_name = "settings_admin/roles/form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RoleForm(role=self.role))
        return super().get_context_data(title=f"Edit Role {self.role}", **kwargs)

    def post(self, request, pk):
        form = RoleForm(request.POST, role=self.role)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        role_update(
            role=self.role,
            name=form.cleaned_data["name"],
            profiles=form.cleaned_data["profiles"],
            acting_user=request.user,
        )
        messages.success(request, f"Role {self.role} saved.")
        return redirect("settings_admin:roles")


class RoleMoveView(RoleObjectMixin, TemplateView):
    """Move a role with its branch by choosing its new parent: the way to move without drag and drop."""

    template_name = "settings_admin/roles/move.html"

    def get(self, request, pk):
        if self.role.is_organization:
            messages.error(request, f"{self.role} is the top of the role tree and cannot be moved.")
            return redirect("settings_admin:roles")
        return super().get(request, pk)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RoleMoveForm(role=self.role))
        below = self.role.subtree().exclude(pk=self.role.pk).count()
        return super().get_context_data(role=self.role, below=below, **kwargs)

    def post(self, request, pk):
        form = RoleMoveForm(request.POST, role=self.role)
        if form.is_valid():
            new_parent = form.cleaned_data["new_parent"]
            try:
                role_move(role=self.role, new_parent=new_parent, acting_user=request.user)
            except ValidationError as error:
                form.add_error("new_parent", error)
            else:
                messages.success(request, f"Role {self.role} is now below {new_parent}.")
                return redirect("settings_admin:roles")
        return self.render_to_response(self.get_context_data(form=form), status=422)


class RoleDropView(AdminRequiredMixin, View):
    """A role dropped onto another in the tree: POST ``role`` and ``new_parent`` (ids). The answer is the tree
    as it now stands, with a notice, so the page always shows the server's truth: 200 when the role moved,
    422 when the move is refused (the tree comes back unchanged), 400 when the request names no role."""

    def post(self, request):
        try:
            role = Role.objects.get(pk=int(request.POST.get("role", "")))
            new_parent = Role.objects.get(pk=int(request.POST.get("new_parent", "")))
        except (ValueError, Role.DoesNotExist):
            return self.answer("That role no longer exists; the tree has been reloaded.", ok=False, status=400)
        if role.parent_id == new_parent.pk:
            return self.answer(f"{role} is already directly below {new_parent}.", ok=True, status=200)
        try:
            role_move(role=role, new_parent=new_parent, acting_user=request.user)
        except ValidationError as error:
            return self.answer(error_text(error), ok=False, status=422)
        return self.answer(f"Role {role} is now below {new_parent}.", ok=True, status=200)

    def answer(self, notice: str, *, ok: bool, status: int) -> HttpResponse:
        if not self.request.htmx:
            (messages.success if ok else messages.error)(self.request, notice)
            return redirect("settings_admin:roles")
        html = render_to_string(
            "settings_admin/roles/_tree.html",
            {"tree": role_tree(), "notice": notice, "notice_ok": ok},
            request=self.request,
        )
        return HttpResponse(html, status=status)


class RoleDeleteView(RoleObjectMixin, TemplateView):
    """Delete a role after choosing the role that takes over its users; its sub-roles move up to its parent."""

    template_name = "settings_admin/roles/delete.html"

    def get(self, request, pk):
        if self.role.is_organization:
            messages.error(request, f"{self.role} is the top of the role tree and cannot be deleted.")
            return redirect("settings_admin:roles")
        return super().get(request, pk)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RoleDeleteForm(role=self.role))
        rules = SharingRule.objects.filter(from_role=self.role) | SharingRule.objects.filter(to_role=self.role)
        return super().get_context_data(
            role=self.role,
            user_count=self.role.users.count(),
            children=list(self.role.children.all()),
            rule_count=rules.distinct().count(),
            **kwargs,
        )

    def post(self, request, pk):
        if self.role.is_organization:
            messages.error(request, f"{self.role} is the top of the role tree and cannot be deleted.")
            return redirect("settings_admin:roles")
        form = RoleDeleteForm(request.POST, role=self.role)
        if form.is_valid():
            transfer_to = form.cleaned_data["transfer_to"]
            try:
                moved = role_delete(role=self.role, transfer_to=transfer_to, acting_user=request.user)
            except ValidationError as error:
                form.add_error("transfer_to", error)
            else:
                users = f"{moved} user{'' if moved == 1 else 's'}"
                messages.success(request, f"Role {self.role} deleted; {users} transferred to {transfer_to}.")
                return redirect("settings_admin:roles")
        return self.render_to_response(self.get_context_data(form=form), status=422)
