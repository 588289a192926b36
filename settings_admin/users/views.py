"""Settings > Users and Settings > Groups: list, create and edit users (role and Admin flag included),
deactivate and reactivate them, reset their password; groups of users with their members. Admins only."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import CreateView, FormView, TemplateView, UpdateView

from secondcrm.access.models import SharingRule, User

from ..mixins import AdminRequiredMixin
from .forms import GroupForm, UserCreateForm, UserEditForm, UserPasswordForm
from .services import group_delete, group_record_counts, user_deactivate, user_reactivate

PAGE_SIZE = 50
STATUSES = {"active": Q(is_active=True), "inactive": Q(is_active=False)}


class FormPageMixin(AdminRequiredMixin):
    """An admin form page rendered by users/form.html: a title, a submit label, a way back; a form with
    errors answers 422."""

    template_name = "settings_admin/users/form.html"
    title = ""
    submit_label = "Save"
    cancel_url = reverse_lazy("settings_admin:users")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.title)
        return super().get_context_data(submit_label=self.submit_label, cancel_url=self.cancel_url, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=422)


class UserListView(AdminRequiredMixin, TemplateView):
    """All users with role, Admin flag and status; filtered by text and by active/inactive."""

    template_name = "settings_admin/users/list.html"

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "").strip()
        status = self.request.GET.get("status", "")
        users = User.objects.select_related("role")
        if text:
            users = users.filter(
                Q(username__icontains=text)
                | Q(first_name__icontains=text)
                | Q(last_name__icontains=text)
                | Q(email__icontains=text)
            )
        if status in STATUSES:
            users = users.filter(STATUSES[status])
        page = Paginator(users, PAGE_SIZE).get_page(self.request.GET.get("page"))
        extra = "&" + urlencode({"q": text, "status": status})
        return super().get_context_data(page=page, text=text, status=status, extra=extra, **kwargs)


class UserCreateView(FormPageMixin, CreateView):
    form_class = UserCreateForm
    title = "Add User"

    def form_valid(self, form):
        user = form.save()
        messages.success(self.request, f"User {user.username} created.")
        return redirect("settings_admin:users")


@method_decorator(transaction.atomic, name="post")
class UserEditView(FormPageMixin, UpdateView):
    """Edit a user; changing the role is editing this form's Role field. Runs in one transaction so that the
    last-admin check and the save see the same admins."""

    model = User
    form_class = UserEditForm
    # Not "user": that name is the signed-in user in every template (the navbar's user menu).
    context_object_name = "edited_user"

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"Edit User {self.object.username}", **kwargs)

    def form_valid(self, form):
        user = form.save()
        if user.pk == self.request.user.pk and not user.is_superuser:
            # An admin who stepped down may no longer see Settings.
            messages.success(self.request, "You are no longer an admin.")
            return redirect("home")
        messages.success(self.request, f"User {user.username} saved.")
        return redirect("settings_admin:users")


class UserPasswordView(FormPageMixin, FormView):
    """Reset password: the admin sets a new password for the user."""

    form_class = UserPasswordForm
    submit_label = "Set Password"

    @cached_property
    def target(self) -> User:
        # Looked up after the admin check in dispatch(), so a non-admin learns nothing about user ids.
        return get_object_or_404(User, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.target}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"Reset Password of {self.target.username}", **kwargs)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, f"The password of {self.target.username} was changed.")
        return redirect("settings_admin:users")


class UserStatusView(AdminRequiredMixin, View):
    """POST: deactivate or reactivate one user (``activate`` set in the URL conf)."""

    http_method_names = ["post"]
    activate = False

    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        try:
            if self.activate:
                user_reactivate(user=user, acting_user=request.user)
                messages.success(request, f"User {user.username} reactivated; they can sign in again.")
            else:
                user_deactivate(user=user, acting_user=request.user)
                messages.success(request, f"User {user.username} deactivated; their records stay assigned to them.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("settings_admin:users")


class GroupListView(AdminRequiredMixin, TemplateView):
    template_name = "settings_admin/users/groups.html"

    def get_context_data(self, **kwargs):
        groups = Group.objects.annotate(members=Count("user")).order_by("name")
        return super().get_context_data(groups=groups, **kwargs)


class GroupFormMixin(FormPageMixin):
    model = Group
    form_class = GroupForm
    context_object_name = "group"
    cancel_url = reverse_lazy("settings_admin:groups")

    def form_valid(self, form):
        group = form.save()
        messages.success(self.request, f"Group {group.name} saved.")
        return redirect("settings_admin:groups")


class GroupCreateView(GroupFormMixin, CreateView):
    title = "Add Group"


class GroupEditView(GroupFormMixin, UpdateView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"Edit Group {self.object.name}", **kwargs)


class GroupDeleteView(AdminRequiredMixin, TemplateView):
    """Confirm, then delete a group; a group that still owns records is refused with their count."""

    template_name = "settings_admin/users/group_delete.html"

    def get_context_data(self, **kwargs):
        group = get_object_or_404(Group, pk=self.kwargs["pk"])
        return super().get_context_data(
            group=group,
            record_counts=group_record_counts(group),
            sharing_rules=SharingRule.objects.filter(Q(from_group=group) | Q(to_group=group)).count(),
            **kwargs,
        )

    def post(self, request, pk):
        group = get_object_or_404(Group, pk=pk)
        try:
            group_delete(group=group, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Group {group.name} deleted.")
        return redirect("settings_admin:groups")
