"""The values of every picklist: one row per value, in order, with the roles that may pick it."""

from django.db import models
from django.db.models.functions import Lower


class PicklistValue(models.Model):
    """One value of the picklist ``module``.``field`` (a standard ``PicklistField`` or a custom picklist or
    multi-select picklist). A record stores the value's text itself, so renaming or deleting a value rewrites
    the records that hold it (see services). System values are ones the application relies on (a converted
    lead's status): they can be neither renamed nor deleted."""

    module = models.CharField(max_length=50)
    field = models.CharField(max_length=100)
    value = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    is_system = models.BooleanField("System value", default=False)
    roles = models.ManyToManyField(
        "access.Role", related_name="picklist_values", blank=True, verbose_name="Roles that may pick it"
    )

    class Meta:
        ordering = ["module", "field", "position", "pk"]
        constraints = [
            # "Banking" and "banking" are one value: a user could not tell them apart in a select.
            models.UniqueConstraint("module", "field", Lower("value"), name="picklist_value_unique_ci"),
        ]
        indexes = [models.Index(fields=["module", "field", "position"], name="picklist_value_order")]

    def __str__(self) -> str:
        return self.value
