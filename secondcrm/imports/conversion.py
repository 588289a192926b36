"""A row's cells as field values, by the manual's rules for import files.

Each cell goes through the ``clean()`` of its field's form field, taken from the module's form built once for the
importing user, so a value is accepted exactly when the add/edit form would accept it: picklist values of the
user's role, custom field types, lengths. On top of that, the file format of the manual: dates as
``yyyy-mm-dd`` (a date and time as ``yyyy-mm-dd hh:mm:ss``), checkboxes as 1/0, numbers without thousand
separators, multi-select values separated by ``|##|``, and ``--None--`` for an empty picklist."""

import datetime
import re
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils import timezone

from secondcrm.access.permissions import access_for
from secondcrm.records.forms import json_value

from .fields import ImportField, Kind

NONE_VALUE = "--None--"
MULTI_SEPARATOR = "|##|"
YES, NO = {"1", "yes", "true", "on"}, {"0", "no", "false", "off"}
DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?")


class RowError(Exception):
    """A row cannot be imported; ``str(error)`` is the reason, for the user."""


class Blank:
    """An empty cell: on a new record the field keeps its default, Overwrite empties it, Merge ignores it."""

    def __repr__(self) -> str:
        return "BLANK"


BLANK = Blank()


class RowConverter:
    """Turns the cells of a row into {field name: value} for the mapped fields: a Python value as the field's form
    would clean it (a custom field's as stored in ``Record.custom``), BLANK for an empty cell, the User or Group
    of an owner column, and the text of a record link (the title of the record it names, found per chunk)."""

    def __init__(self, fields: dict[str, ImportField], mapping: dict[str, str], user, model):
        self.columns = sorted((int(column), fields[name]) for column, name in mapping.items() if name)
        self.parsers = {field.name: self._parser(field, user, model) for _, field in self.columns}
        self.none_is_blank = {
            field.name for _, field in self.columns if isinstance(field.form_field, forms.ChoiceField)
        }

    def convert(self, cells: list[str]) -> dict:
        """The values of a row that has a cell for every column. Raises RowError for the first bad value."""
        values = {}
        for index, field in self.columns:
            text = cells[index].strip()
            if text == "" or (text == NONE_VALUE and field.name in self.none_is_blank):
                values[field.name] = BLANK
            else:
                values[field.name] = self.parsers[field.name](text)
        return values

    def _parser(self, field: ImportField, user, model):
        if field.kind == Kind.OWNER:
            return Owners(user, model).find
        if field.kind == Kind.LINK:
            return str  # the title of the linked record, found for the whole chunk at once
        clean = _cleaner(field, user)
        extra = _model_validators(field)
        as_stored = json_value if field.kind == Kind.CUSTOM else None

        def parse(text: str):
            try:
                value = clean(text)
                for validator in extra:
                    validator(value)
            except ValidationError as error:
                raise RowError(f"{field.label}: {_message(error)}") from error
            return as_stored(value) if as_stored else value

        return parse


def _cleaner(field: ImportField, user):
    """The function that turns a cell's text into the field's value, raising ValidationError."""
    form_field = field.form_field
    if isinstance(form_field, forms.BooleanField | forms.NullBooleanField):
        return _checkbox
    if isinstance(form_field, forms.DateTimeField):
        zone = ZoneInfo(user.time_zone)
        return lambda text: form_field.clean(_moment(text, zone))
    if isinstance(form_field, forms.DateField):
        return lambda text: form_field.clean(_date(text))
    if isinstance(form_field, forms.ChoiceField):
        return _choice_cleaner(form_field)
    if isinstance(form_field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        form_field.error_messages["invalid"] = "use digits only, without thousand separators (3800, not 3,800)"
    if _cleans_as_text(form_field):
        return _text_cleaner(form_field)
    return form_field.clean


def _cleans_as_text(form_field: forms.Field) -> bool:
    """Whether the form field cleans as a plain CharField does (an EmailField too): its value is the text itself,
    once stripped, when the text passes its validators."""
    kind = type(form_field)
    return (
        isinstance(form_field, forms.CharField)
        and kind.clean is forms.Field.clean
        and kind.to_python is forms.CharField.to_python
        and kind.validate is forms.Field.validate
    )


def _text_cleaner(form_field: forms.CharField):
    """``form_field.clean`` for the stripped, non-empty text of a cell, without its per-value overhead (a tenth of
    an import's time): the length and null-character checks every CharField has are made inline, other validators
    (an email's shape) called directly. A value that fails goes through ``clean`` itself, for the form's message."""
    limit = form_field.max_length
    inline = (ProhibitNullCharactersValidator, MaxLengthValidator)
    checks = [
        validator
        for validator in form_field.validators
        if not isinstance(validator, inline)
        or (isinstance(validator, MaxLengthValidator) and validator.limit_value != limit)
    ]

    def clean(text: str) -> str:
        if (limit is None or len(text) <= limit) and "\x00" not in text:
            try:
                for check in checks:
                    check(text)
                return text
            except ValidationError:
                pass
        return form_field.clean(text)  # raises the error with the form's own message

    return clean


def _checkbox(text: str) -> bool:
    answer = text.lower()
    if answer in YES or answer in NO:
        return answer in YES
    raise ValidationError("use 1 for yes or 0 for no")


def _date(text: str) -> datetime.date:
    if not DATE_SHAPE.fullmatch(text):
        raise ValidationError("use yyyy-mm-dd")
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError as error:
        raise ValidationError("use yyyy-mm-dd, with a month and day that exist") from error


def _moment(text: str, zone: ZoneInfo) -> datetime.datetime:
    """A date and time in the importing user's time zone (a date alone is its midnight)."""
    if not DATE_SHAPE.fullmatch(text):
        raise ValidationError("use yyyy-mm-dd hh:mm:ss")
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError as error:
        raise ValidationError("use yyyy-mm-dd hh:mm:ss, with a date and time that exist") from error
    return timezone.make_aware(moment, zone)


def _choice_cleaner(form_field: forms.ChoiceField):
    """Picklist values in any case, by value or by label; several values of a multi-select separated by |##|."""
    canonical = {}
    for value, label in _flat_choices(form_field.choices):
        if value not in ("", None):
            canonical.setdefault(str(value).lower(), value)
            canonical.setdefault(str(label).lower(), value)

    def pick(text: str):
        value = canonical.get(text.lower())
        if value is None:
            raise ValidationError(f'"{text}" is not one of the values you may choose')
        return value

    if isinstance(form_field, forms.MultipleChoiceField):
        return lambda text: form_field.clean([pick(part.strip()) for part in text.split(MULTI_SEPARATOR) if part])
    # A picklist has a few values that thousands of rows repeat: each is cleaned once.
    cleaned = {}

    def clean(text: str):
        key = text.lower()
        if key not in cleaned:
            cleaned[key] = form_field.clean(pick(text))
        return cleaned[key]

    return clean


def _flat_choices(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group of options
            yield from label
        else:
            yield value, label


def _model_validators(field: ImportField) -> list:
    """The model field's own validators (a phone number's shape, an amount's minimum) that its form field does
    not run: the add/edit form runs them when it validates the model instance."""
    if field.model_field is None:
        return []
    return [validator for validator in field.model_field.validators if validator not in field.form_field.validators]


def _message(error: ValidationError) -> str:
    text = error.messages[0] if error.messages else "this value is not valid"
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


class Owners:
    """Who an owner column may name: an active user by username, email or full name, or a group by name, any case.
    Only owners whose records the importing user will still see: themselves, users below their role and their
    groups (anyone, where they see every record of the module), as nobody may put a record out of their reach."""

    def __init__(self, user, model):
        self.by_key: dict[tuple[str, str], list] = {}
        for owner in get_user_model().objects.filter(is_active=True):
            self._add("username", owner.username, owner)
            self._add("email", owner.email, owner)
            self._add("name", owner.get_full_name(), owner)
        for group in Group.objects.all():
            self._add("group", group.name, group)
        access = access_for(user)
        self.anyone = access.condition(model, "view") is None
        self.users = {user.pk, *access.policy.users_below}
        self.groups = set(access.group_ids)
        self.singular = model.module.singular.lower()

    def _add(self, kind: str, key: str, owner) -> None:
        if key.strip():
            self.by_key.setdefault((kind, key.strip().lower()), []).append(owner)

    def find(self, text: str):
        key = text.lower()
        for kind in ("username", "email", "name", "group"):
            found = self.by_key.get((kind, key), [])
            if len(found) > 1:
                raise RowError(f'Assigned To: "{text}" names more than one user; use the username.')
            if found:
                return self._reachable(found[0])
        raise RowError(f'Assigned To: there is no active user or group called "{text}".')

    def _reachable(self, owner):
        is_group = isinstance(owner, Group)
        if self.anyone or (owner.pk in self.groups if is_group else owner.pk in self.users):
            return owner
        raise RowError(
            f"Assigned To: you could not see a {self.singular} assigned to {owner}; assign it to yourself, "
            "to someone below your role or to one of your groups."
        )
