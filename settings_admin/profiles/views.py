"""Settings > Profiles: the list of profiles with the roles that hold them, "New Profile" (a copy of an
existing one), the profile editor (flags, module rights, field access) and delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from secondcrm.access.models import Profile, Role
from settings_admin.mixins import AdminRequiredMixin

from .forms import RIGHT_LABELS, NewProfileForm, ProfileForm
from .services import profile_create_from, profile_delete, profile_save, roles_left_without_profile


class ProfileListView(AdminRequiredMixin, TemplateView):
    template_name = "settings_admin/profiles/list.html"

    def get_context_data(self, **kwargs):
        profiles = Profile.objects.prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("path")))
        return super().get_context_data(profiles=profiles, **kwargs)


class ProfileAddView(AdminRequiredMixin, TemplateView):
    """New Profile: a name and the existing profile it starts from; the editor opens next."""

    template_name = "settings_admin/profiles/add.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", NewProfileForm(initial={"copy_from": self.request.GET.get("from")}))
        return super().get_context_data(**kwargs)

    def post(self, request):
        form = NewProfileForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        source = form.cleaned_data["copy_from"]
        profile = profile_create_from(
            source=source,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            acting_user=request.user,
        )
        messages.success(request, f"Profile {profile} created from {source}; adjust its rights below.")
        return redirect("settings_admin:profile_edit", pk=profile.pk)


class ProfileObjectMixin(AdminRequiredMixin):
    """Loads the profile named in the URL, after the admin check (a non-admin learns nothing); unknown is 404."""

    def dispatch(self, request, *args, **kwargs):
        if not self.test_func():
            return self.handle_no_permission()
        self.profile = get_object_or_404(Profile, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class ProfileEditView(ProfileObjectMixin, TemplateView):
    """The profile editor: name, description, View all / Edit all, module rights and field access."""

    template_name = "settings_admin/profiles/edit.html"

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or ProfileForm(instance=self.profile)
        return super().get_context_data(
            profile=self.profile,
            form=form,
            matrix=form.matrix(),
            rights=list(RIGHT_LABELS.values()),
            **kwargs,
        )

    def post(self, request, pk):
        form = ProfileForm(request.POST, instance=self.profile)
        if form.is_valid():
            try:
                profile_save(
                    profile=self.profile,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    view_all=form.cleaned_data["view_all"],
                    edit_all=form.cleaned_data["edit_all"],
                    module_rights=form.module_rights(),
                    field_rights=form.field_rights(),
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Profile {self.profile} saved.")
                return redirect("settings_admin:profile_edit", pk=self.profile.pk)
        # A failed save must not show half-applied values from the instance ModelForm wrote into.
        self.profile.refresh_from_db()
        return self.render_to_response(self.get_context_data(form=form), status=422)


class ProfileDeleteView(ProfileObjectMixin, TemplateView):
    """Delete a profile an admin made, unless a role holds it alone."""

    template_name = "settings_admin/profiles/delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            profile=self.profile,
            roles=list(self.profile.roles.order_by("path")),
            blocking=roles_left_without_profile(self.profile),
            **kwargs,
        )

    def post(self, request, pk):
        try:
            profile_delete(profile=self.profile, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.render_to_response(self.get_context_data(), status=422)
        messages.success(request, f"Profile {self.profile} deleted.")
        return redirect("settings_admin:profiles")
