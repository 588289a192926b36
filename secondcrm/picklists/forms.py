"""Picklists in record forms: each picklist offers the values of the user's role (every value to an admin).

A record may hold a value the user's role cannot pick (set by someone in another role, or removed from the
role since). The select shows it, chosen, as "<value> (not accessible)", so that saving the form unchanged
keeps it; any other value outside the role's list is refused as an invalid choice.
"""

from django import forms

from .choices import NOT_ACCESSIBLE, PICKLIST_TYPES, is_standard_picklist, picklist_choices

EMPTY_CHOICE = ("", "--None--")


def _held(form, name: str, custom) -> list[str]:
    """The values the form's record holds in picklist ``name`` (none for a new record)."""
    instance = form.instance
    if instance.pk is None:
        return []
    held = instance.custom.get(name) if custom is not None else getattr(instance, name, None)
    if held in (None, ""):
        return []
    return [str(item) for item in held] if isinstance(held, list) else [str(held)]


def picklist_options(values: list[str], held: list[str]) -> list[tuple[str, str]]:
    """The options of a picklist select: the role's values, then the held values the role cannot pick."""
    hidden = [value for value in dict.fromkeys(held) if value not in values]
    return [(value, value) for value in values] + [(value, NOT_ACCESSIBLE.format(value)) for value in hidden]


def apply_picklists(form) -> None:
    """Give every picklist field of a ``RecordForm`` the choices of the form's user. Standard picklists are
    plain text model fields, so their form fields become selects here; custom ones are selects already."""
    custom_fields = getattr(form, "custom_fields", {})
    names = []
    for name in form.fields:
        custom = custom_fields.get(name)
        if (custom is not None and custom.field_type in PICKLIST_TYPES) or (
            custom is None and is_standard_picklist(form.module, name)
        ):
            names.append(name)
    if not names:
        return
    allowed = picklist_choices(form.module, form.user, names)
    for name in names:
        custom = custom_fields.get(name)
        current = form.fields[name]
        options = picklist_options(allowed.get(name, []), _held(form, name, custom))
        if isinstance(current, forms.MultipleChoiceField):
            current.choices = options
            continue
        choices = options if current.required else [EMPTY_CHOICE, *options]
        if isinstance(current, forms.ChoiceField):
            current.choices = choices
            continue
        form.fields[name] = forms.ChoiceField(
            choices=choices,
            required=current.required,
            label=current.label,
            help_text=current.help_text,
            initial=current.initial,
            disabled=current.disabled,
        )
