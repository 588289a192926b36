"""Model fields with the CRM's own validation rules."""

from django.core.validators import RegexValidator
from django.db import models
from django.forms import URLField as URLFormField

phone_validator = RegexValidator(
    regex=r"^\+?[0-9 ()./-]{3,25}(\s*(x|ext\.?)\s*[0-9]{1,6})?$",
    message="Enter a phone number: digits, spaces and + ( ) - . only, optionally followed by 'ext 123'.",
)


class PhoneField(models.CharField):
    """A phone number as people type it; validated, never reformatted."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        self.validators.append(phone_validator)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 30:
            del kwargs["max_length"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs


class WebsiteField(models.URLField):
    """A web address; "www.example.com" typed without a scheme is read as https."""

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", URLFormField)
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


ADDRESS_PARTS = (
    ("street", "Street", 250),
    ("po_box", "PO Box", 30),
    ("city", "City", 100),
    ("state", "State", 100),
    ("code", "Postal Code", 30),
    ("country", "Country", 100),
)


def add_address(model: type[models.Model], prefix: str, label: str) -> tuple[str, ...]:
    """Add one address (street, PO box, city, state, postal code, country) to ``model`` as ``<prefix>_*``
    fields labelled "<label> Street" and so on; returns the field names in order, for a Block."""
    names = []
    for part, part_label, length in ADDRESS_PARTS:
        name = f"{prefix}_{part}"
        model.add_to_class(name, models.CharField(f"{label} {part_label}", max_length=length, blank=True))
        names.append(name)
    return tuple(names)
