"""Settings > Users and Groups: the forms. Passwords go through Django's own forms, so the project's
AUTH_PASSWORD_VALIDATORS apply to every password an admin sets."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm, UserCreationForm
from django.contrib.auth.models import Group
from django.db import transaction

from secondcrm.access.models import Role, User

from .services import admin_guard

USER_FIELDS = ["username", "first_name", "last_name", "email", "role", "is_superuser"]
USER_LABELS = {
    "username": "User Name",
    "first_name": "First Name",
    "last_name": "Last Name",
    "email": "Email",
    "is_superuser": "Admin",
}
ADMIN_HELP = "Admins may do everything, including these Settings."
INDENT = "\u00a0\u00a0\u00a0"  # non-breaking: browsers collapse ordinary spaces in an <option>


class RoleChoiceField(forms.ModelChoiceField):
    """The role tree as a select, each role indented below its parent (roles are ordered by path)."""

    def label_from_instance(self, role: Role) -> str:
        return f"{INDENT * role.depth}{role.name}"


def style(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class UserFieldsMixin:
    """What create and edit share: a mandatory role, last name and email, and no two user names that differ
    only in case."""

    def setup_fields(self) -> None:
        self.fields["role"] = RoleChoiceField(queryset=Role.objects.all(), label="Role", empty_label="Choose a role")
        for name in ("last_name", "email"):
            self.fields[name].required = True
        self.fields["is_superuser"].help_text = ADMIN_HELP
        style(self)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("A user with that user name already exists.")
        return username


class UserCreateForm(UserFieldsMixin, UserCreationForm):
    """New user: the user fields plus a password and its confirmation."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = USER_FIELDS
        labels = USER_LABELS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password2"].label = "Confirm Password"
        self.setup_fields()


class UserEditForm(UserFieldsMixin, forms.ModelForm):
    """Edit a user, role included. The last active admin keeps the Admin flag. Validate and save inside one
    transaction: the admin guard locks the admins' rows until the save is done."""

    class Meta:
        model = User
        fields = USER_FIELDS
        labels = USER_LABELS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_fields()

    def clean_is_superuser(self) -> bool:
        # self.instance still holds the saved values here; the form's are copied onto it after clean().
        is_admin = self.cleaned_data["is_superuser"]
        admin_guard(self.instance, is_superuser=is_admin, is_active=self.instance.is_active)
        return is_admin


class UserPasswordForm(SetPasswordForm):
    """Reset password: the admin sets a new one for the user, with confirmation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].label = "Confirm New Password"
        style(self)


class MemberChoiceField(forms.ModelMultipleChoiceField):
    """Users by full name, with the user name to tell two people of the same name apart."""

    def label_from_instance(self, user: User) -> str:
        return f"{user} ({user.username})"


class GroupForm(forms.ModelForm):
    """A group of users: a unique name and its members, picked from the active users. Deactivated members
    are not offered but stay in the group."""

    members = MemberChoiceField(
        queryset=User.objects.filter(is_active=True), required=False, widget=forms.SelectMultiple(attrs={"size": 10})
    )

    class Meta:
        model = Group
        fields = ["name"]
        labels = {"name": "Group Name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["members"].initial = self.instance.user_set.filter(is_active=True)
        self.fields["members"].help_text = "Hold Ctrl (⌘ on a Mac) to pick several users."
        style(self)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Group.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("A group with that name already exists.")
        return name

    @transaction.atomic
    def save(self) -> Group:
        group = super().save()
        inactive = list(group.user_set.filter(is_active=False))
        group.user_set.set([*self.cleaned_data["members"], *inactive])
        return group
