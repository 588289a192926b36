"""The model field of a standard picklist (Account Type, Industry, Lead Source...)."""

from django.db import models


class PicklistField(models.CharField):
    """A text column whose allowed values are a picklist kept in the database (``PicklistValue``) rather than
    in ``choices=``: admins add, rename, reorder and assign them per role in the Picklist Editor without a
    migration. Being its own class is what marks a standard field as a picklist everywhere (forms, filters,
    the editor). The column stays a plain varchar; ``max_length`` bounds the values the editor accepts."""

    description = "Picklist"
