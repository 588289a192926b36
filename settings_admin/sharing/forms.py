"""Forms of Settings > Sharing Access, Field Access and the access explainer."""

from dataclasses import dataclass

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist

from secondcrm.access.models import Role, SharingDefault, SharingRule, User
from secondcrm.access.permissions import mandatory_fields
from secondcrm.records.display import field_label
from secondcrm.records.models import CustomField, Record
from secondcrm.records.registry import Module, registry


def module_choices() -> list[tuple[str, str]]:
    return [(m.name, m.label) for m in registry]


class SharingDefaultsForm(forms.Form):
    """The organization-wide default of every registered module, one select each."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for module in registry:
            self.fields[module.name] = forms.ChoiceField(
                label=module.label,
                choices=SharingDefault.Access.choices,
                initial=current.get(module.name, SharingDefault.Access.PRIVATE),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )


class RoleChoiceField(forms.ModelChoiceField):
    """Roles in tree order, indented by depth, so that "Role and Subordinates" reads as a branch."""

    def label_from_instance(self, role: Role) -> str:
        return f"{'— ' * role.depth}{role.name}"


class SharingRuleForm(forms.ModelForm):
    """A custom sharing rule: records of one party can be accessed by another, Read Only or Read/Write."""

    module = forms.ChoiceField(choices=module_choices, label="Module")
    from_role = RoleChoiceField(Role.objects.all(), required=False, label="Role")
    from_group = forms.ModelChoiceField(Group.objects.order_by("name"), required=False, label="Group")
    to_role = RoleChoiceField(Role.objects.all(), required=False, label="Role")
    to_group = forms.ModelChoiceField(Group.objects.order_by("name"), required=False, label="Group")

    class Meta:
        model = SharingRule
        fields = ["module", "from_kind", "from_role", "from_group", "to_kind", "to_role", "to_group", "access"]
        widgets = {"access": forms.RadioSelect(attrs={"class": "form-check-input"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:  # most rules share between roles: start there rather than at a blank kind
            for side in ("from", "to"):
                self.initial[f"{side}_kind"] = self.initial.get(f"{side}_kind") or SharingRule.Party.ROLE
        for name, field in self.fields.items():
            if name != "access":
                field.widget.attrs.setdefault("class", "form-select")

    def clean(self):
        cleaned = super().clean()
        module = cleaned.get("module")
        sides = [self._party(cleaned, side) for side in ("from", "to")]
        if not module or None in sides:
            return cleaned  # the missing choice is reported on its own field (SharingRule.clean)
        (from_kind, from_party), (to_kind, to_party) = sides
        if from_kind == to_kind and from_party == to_party:
            raise forms.ValidationError(
                "“Records of” and “Can be accessed by” name the same party; choose two different parties."
            )
        same = SharingRule.objects.filter(module=module, from_kind=from_kind, to_kind=to_kind).exclude(
            pk=self.instance.pk
        )
        same = same.filter(**{self._key("from", from_kind): from_party, self._key("to", to_kind): to_party})
        existing = same.first()
        if existing is not None:
            raise forms.ValidationError(
                f"A rule for these parties already exists ({existing.get_access_display()}); edit that rule instead."
            )
        return cleaned

    @staticmethod
    def _key(side: str, kind: str) -> str:
        return f"{side}_group" if kind == SharingRule.Party.GROUP else f"{side}_role"

    def _party(self, cleaned: dict, side: str):
        """(kind, role or group) of one side, or None while it is incomplete."""
        kind = cleaned.get(f"{side}_kind")
        party = cleaned.get(self._key(side, kind)) if kind else None
        return (kind, party) if party is not None else None


@dataclass(frozen=True)
class FieldRow:
    """One field of a module on the Field Access page."""

    name: str
    label: str
    block: str
    mandatory: bool


def module_fields(module: Module) -> list[FieldRow]:
    """The module's fields as its detail view shows them: the declared blocks' fields, then custom fields."""
    mandatory = mandatory_fields(module)
    rows = []
    for block in module.blocks:
        for name in block.fields:
            rows.append(FieldRow(name, _label(module, name), block.title, name in mandatory))
    for custom in CustomField.objects.filter(module=module.name):
        rows.append(FieldRow(custom.name, custom.label, custom.block, custom.name in mandatory))
    return rows


def _label(module: Module, name: str) -> str:
    try:
        return field_label(module.model._meta.get_field(name))
    except FieldDoesNotExist:
        return "Assigned To" if name == "assigned_to" else name.replace("_", " ").capitalize()


class FieldAccessForm(forms.Form):
    """Which fields of one module the organization sees. Mandatory fields always stay visible: the page
    posts them as visible from hidden inputs, so a post leaving one out was not made by the page."""

    visible = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, rows: list[FieldRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.fields["visible"].choices = [(row.name, row.label) for row in rows]

    def clean_visible(self) -> set[str]:
        visible = set(self.cleaned_data["visible"])
        hidden_mandatory = [row.label for row in self.rows if row.mandatory and row.name not in visible]
        if hidden_mandatory:
            raise forms.ValidationError(
                f"Mandatory fields cannot be hidden: {', '.join(hidden_mandatory)}. "
                "Records could not be saved without them."
            )
        return visible

    @property
    def hidden(self) -> set[str]:
        return {row.name for row in self.rows} - self.cleaned_data["visible"]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        role = user.role.name if user.role_id else "no role"
        flags = ", Admin" if user.is_superuser else ""
        flags += ", inactive" if not user.is_active else ""
        return f"{user} ({user.username}; {role}{flags})"


class ExplainForm(forms.Form):
    """A user and a record, found by its Record No or its id, for "Why can this user see this record?"."""

    user = UserChoiceField(User.objects.select_related("role"), label="User")
    module = forms.ChoiceField(choices=module_choices, label="Module")
    record = forms.CharField(label="Record No or ID", max_length=60, help_text="For example ACC12, or 12.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].widget.attrs["class"] = "form-select"
        self.fields["module"].widget.attrs["class"] = "form-select"
        self.fields["record"].widget.attrs["class"] = "form-control"

    def clean(self):
        cleaned = super().clean()
        name, key = cleaned.get("module"), cleaned.get("record", "").strip()
        if not name or not key:
            return cleaned
        module = registry.get(name)
        record = self._find(module, key)
        if record is None:
            self.add_error("record", f"No {module.singular.lower()} has the Record No or ID “{key}”.")
        elif record.is_deleted:
            self.add_error(
                "record",
                f"{module.singular} {record.number} ({record}) is in the Recycle Bin; restore it to check its access.",
            )
        else:
            cleaned["found"] = record
        return cleaned

    @staticmethod
    def _find(module: Module, key: str) -> Record | None:
        # Every record, the Recycle Bin's too, so that a deleted one is reported as such rather than unknown.
        records = module.model.all_objects
        record = records.filter(number__iexact=key).first()
        if record is None and key.isascii() and key.isdigit() and len(key) <= 18:  # fits a bigint
            record = records.filter(pk=int(key)).first()
        return record
