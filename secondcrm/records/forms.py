"""The base of every module's create/edit form: assignment, custom fields, pickers and hierarchies."""

from datetime import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone

from secondcrm.access.permissions import access_for
from secondcrm.picklists.forms import apply_picklists

from .arrangement import field_specs
from .fields import phone_validator
from .models import CustomField, Record
from .widgets import RecordPicker


class AssignedToField(forms.ChoiceField):
    """ "Assigned To": one select with a Users and a Groups section; values are "user:<id>" or "group:<id>"."""

    def __init__(self, **kwargs):
        super().__init__(label="Assigned To", **kwargs)

    def load_choices(self) -> None:
        users = [(f"user:{u.pk}", str(u)) for u in get_user_model().objects.filter(is_active=True)]
        groups = [(f"group:{g.pk}", g.name) for g in Group.objects.order_by("name")]
        self.choices = [("Users", users)] + ([("Groups", groups)] if groups else [])

    @staticmethod
    def value_for(record: Record) -> str | None:
        if record.assigned_user_id:
            return f"user:{record.assigned_user_id}"
        if record.assigned_group_id:
            return f"group:{record.assigned_group_id}"
        return None


def custom_form_field(definition: CustomField) -> forms.Field:
    """The form field for a custom field definition."""
    T = CustomField.Type
    common = {"label": definition.label, "required": definition.mandatory, "help_text": definition.help_text}
    choices = [(c, c) for c in definition.choices]
    match definition.field_type:
        case T.TEXTAREA:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)
        case T.NUMBER:
            return forms.IntegerField(min_value=-(10**15), max_value=10**15, **common)
        case T.DECIMAL:
            return forms.DecimalField(max_digits=18, decimal_places=4, **common)
        case T.CURRENCY:
            return forms.DecimalField(max_digits=18, decimal_places=2, **common)
        case T.PERCENT:
            return forms.DecimalField(max_digits=7, decimal_places=3, min_value=-1000, max_value=1000, **common)
        case T.DATE:
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        case T.DATETIME:
            widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            return forms.DateTimeField(widget=widget, **common)
        case T.EMAIL:
            return forms.EmailField(max_length=254, **common)
        case T.PHONE:
            return forms.CharField(max_length=30, validators=[phone_validator], **common)
        case T.URL:
            return forms.URLField(max_length=500, assume_scheme="https", **common)
        case T.CHECKBOX:
            return forms.BooleanField(label=definition.label, required=False, help_text=definition.help_text)
        case T.PICKLIST:
            return forms.ChoiceField(choices=[("", "---------"), *choices], **common)
        case T.MULTIPICKLIST:
            return forms.MultipleChoiceField(choices=choices, **common)
        case _:
            return forms.CharField(max_length=255, **common)


def _form_value(definition: CustomField, stored):
    """A stored custom value as its form field expects it: date-times as datetimes in the user's time zone,
    since a browser's date-time input cannot read the ISO text with an offset that is stored."""
    if definition.field_type == CustomField.Type.DATETIME and isinstance(stored, str):
        try:
            moment = datetime.fromisoformat(stored)
        except ValueError:
            return stored
        return timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return stored


def json_value(value):
    """Custom values are stored as JSON: dates and decimals as text, the rest as they are."""
    if value is None or value == "":
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    return value


def record_formfield(db_field, **kwargs) -> forms.Field | None:
    """Form fields as a CRM page wants them: date pickers, short text areas."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    elif isinstance(db_field, models.TextField):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
    return db_field.formfield(**kwargs)


class RecordForm(forms.ModelForm):
    """The form of a module. Most modules need no class of their own: ``form_for(module)`` builds one from
    the fields of the module's blocks. A module with special rules subclasses this, with ``Meta`` derived
    from ``RecordForm.Meta``.

    ``only_fields`` narrows the form to some fields: inline edit saves one field and leaves the rest."""

    assigned_to = AssignedToField()

    class Meta:
        formfield_callback = record_formfield

    def __init__(self, *args, user, only_fields: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.module = self._meta.model.module
        self._apply_layout()
        if only_fields is not None:
            for name in list(self.fields):
                if name not in only_fields:
                    del self.fields[name]
        self._apply_field_access()
        apply_picklists(self)  # each picklist offers the values of the user's role
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].load_choices()
            self.initial["assigned_to"] = AssignedToField.value_for(self.instance) or f"user:{user.pk}"
        self._restrict_pickers()
        for name, field in self.fields.items():
            if field.required:
                field.widget.attrs["required"] = True
            field.widget.attrs.setdefault("class", _css_class(field))
            field.widget.attrs.setdefault("id", f"id_{name}")

    def _apply_layout(self) -> None:
        """The fields as the layout editor shaped them: hidden standard fields leave the form, renamed ones
        carry their new label, custom fields join with their help text and, on a new record, their default."""
        specs = field_specs(self.module)
        self.custom_fields = {name: spec.custom for name, spec in specs.items() if spec.is_custom}
        for name, definition in self.custom_fields.items():
            self.fields[name] = custom_form_field(definition)
            stored = self.instance.custom.get(name) if self.instance.pk else definition.default
            if stored not in (None, "", []):
                self.initial.setdefault(name, _form_value(definition, stored))
        for name in list(self.fields):
            spec = specs.get(name)
            if spec is None:
                continue
            if spec.hidden:
                del self.fields[name]
            elif not spec.is_custom:
                self.fields[name].label = spec.label

    def _apply_field_access(self) -> None:
        """Invisible fields leave the form; read-only ones are disabled, so that Django ignores whatever a
        crafted POST sends for them and keeps the stored value."""
        access = access_for(self.user).field_access(self.module)
        for name in list(self.fields):
            if not access.visible(name):
                del self.fields[name]
            elif not access.writable(name):
                self.fields[name].disabled = True

    def _restrict_pickers(self) -> None:
        """Reference pickers offer only records the user may see; a hierarchy never offers the record itself."""
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or not issubclass(queryset.model, Record):
                continue
            related_module = queryset.model.module
            visible = queryset.model.objects.visible_to(self.user, "view")
            is_hierarchy = name == self.module.hierarchy_field and self.instance.pk
            # Widget before queryset: setting the queryset hands its choices to the widget.
            field.widget = RecordPicker(
                module=related_module,
                exclude_pk=self.instance.pk if is_hierarchy else None,
                attrs=field.widget.attrs,
            )
            field.queryset = visible.exclude(pk=self.instance.pk) if is_hierarchy else visible

    def clean(self):
        cleaned = super().clean()
        hierarchy = self.module.hierarchy_field
        parent = cleaned.get(hierarchy) if hierarchy in self.fields else None
        if parent is not None and self.instance.pk and self._would_cycle(parent):
            label = self.fields[hierarchy].label
            self.add_error(hierarchy, f"{label} cannot be this record or one of the records below it.")
        if "assigned_to" in self.fields and cleaned.get("assigned_to"):
            kind, _, pk = cleaned["assigned_to"].partition(":")
            self.instance.assigned_user_id = int(pk) if kind == "user" else None
            self.instance.assigned_group_id = int(pk) if kind == "group" else None
        return cleaned

    def _would_cycle(self, parent: Record) -> bool:
        """True if ``parent`` is this record or one of its descendants (walking up from the parent)."""
        seen = set()
        model, field = self._meta.model, self.module.hierarchy_field
        node_id = parent.pk
        while node_id is not None and node_id not in seen:
            if node_id == self.instance.pk:
                return True
            seen.add(node_id)
            node_id = model.all_objects.filter(pk=node_id).values_list(f"{field}_id", flat=True).first()
        return False

    def save(self, commit: bool = True):
        for name in self.custom_fields:
            if name in self.fields:
                value = json_value(self.cleaned_data.get(name))
                if value is None:
                    self.instance.custom.pop(name, None)
                else:
                    self.instance.custom[name] = value
        return super().save(commit=commit)


def form_for(module) -> type[RecordForm]:
    """A RecordForm with every editable model field named in the module's blocks, in block order."""
    editable = {f.name for f in module.model._meta.get_fields() if getattr(f, "editable", False) and f.concrete}
    names = [name for block in module.blocks for name in block.fields if name in editable]
    meta = type("Meta", (RecordForm.Meta,), {"model": module.model, "fields": names})
    return type(f"{module.model.__name__}Form", (RecordForm,), {"Meta": meta})


def _css_class(field: forms.Field) -> str:
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"
