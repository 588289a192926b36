"""Forms of Settings > Roles: a role's name and profiles, the role that takes over a deleted role's users,
and the new place of a role in the tree."""

from django import forms

from secondcrm.access.models import Profile, Role

INDENT = "\u2003"  # an em space: keeps its width inside <option>, where leading spaces are dropped


class RoleChoiceField(forms.ModelChoiceField):
    """Roles shown indented by their depth, so that the select reads like the tree."""

    def label_from_instance(self, role: Role) -> str:
        return f"{INDENT * role.depth}{role.name}"


class RoleForm(forms.Form):
    """Name and profiles of a role; a role holds one or more profiles and its rights are their union."""

    name = forms.CharField(label="Role Name", max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}))
    profiles = forms.ModelMultipleChoiceField(
        label="Profiles",
        queryset=Profile.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": "Choose at least one profile: a role's rights come from its profiles."},
        help_text="The role's rights are the union of the rights of its profiles.",
    )

    def __init__(self, *args, role: Role | None = None, **kwargs):
        self.role = role
        if role is not None:
            kwargs.setdefault("initial", {"name": role.name, "profiles": list(role.profiles.all())})
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter a name for the role.")
        others = Role.objects.filter(name__iexact=name)
        if self.role is not None:
            others = others.exclude(pk=self.role.pk)
        if others.exists():
            # Users are transferred and rules written by role name: two roles of one name could not be told apart.
            raise forms.ValidationError(f"There is already a role named {name}.")
        return name


class RoleDeleteForm(forms.Form):
    """Which role takes over the users of the role being deleted: any role outside its branch."""

    transfer_to = RoleChoiceField(
        label="Transfer its users to",
        queryset=Role.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "Choose a role outside the branch being deleted."},
    )

    def __init__(self, *args, role: Role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transfer_to"].queryset = Role.objects.exclude(path__startswith=role.path)
        self.fields["transfer_to"].initial = role.parent_id


class RoleMoveForm(forms.Form):
    """The role the moved one goes below: any role outside its own branch (the non-drag-and-drop way)."""

    new_parent = RoleChoiceField(
        label="Move below",
        queryset=Role.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "A role cannot move below itself or one of its own subordinates."},
    )

    def __init__(self, *args, role: Role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = Role.objects.exclude(path__startswith=role.path)
        self.fields["new_parent"].initial = role.parent_id
