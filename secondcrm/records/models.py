"""The Record base every CRM entity subclasses, and the platform tables that attach to any record."""

import copy

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from taggit.managers import TaggableManager

from .changes import current_actor
from .querysets import RecordManager, RecordQuerySet


class Record(models.Model):
    """A CRM record: numbered per module, assigned to a user or a group, with history, comments, tags,
    custom field values and a recycle bin. Subclasses only add the fields special to their module."""

    number = models.CharField("Record No", max_length=40, unique=True, editable=False)
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Assigned To",
    )
    assigned_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="Assigned Group"
    )
    description = models.TextField(blank=True, max_length=20000)
    custom = models.JSONField("Custom fields", default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField("Created Time", auto_now_add=True)
    modified_at = models.DateTimeField("Modified Time", auto_now=True, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    tags = TaggableManager(blank=True)
    # Generic relations so that purging a record also removes what hangs off it.
    comments = GenericRelation("records.Comment")
    updates = GenericRelation("records.Update")

    objects = RecordManager()
    all_objects = RecordQuerySet.as_manager()

    # Filled in by the registry: the Module this model belongs to.
    module = None

    class Meta:
        abstract = True
        ordering = ["-modified_at"]
        # "Owned by me or by a user below my role" is the visibility condition of every Private list; on live
        # records only, so that counting them can be answered from the index alone.
        indexes = [
            models.Index(
                fields=["assigned_user"],
                condition=models.Q(deleted_at__isnull=True),
                name="%(app_label)s_%(class)s_owner",
            ),
            models.Index(
                fields=["assigned_group"],
                condition=models.Q(deleted_at__isnull=True),
                name="%(app_label)s_%(class)s_group",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assigned_user__isnull=False, assigned_group__isnull=True)
                | models.Q(assigned_user__isnull=True, assigned_group__isnull=False),
                name="%(app_label)s_%(class)s_assigned_to_one",
            )
        ]

    def save(self, *args, **kwargs) -> None:
        from .history import record_changes
        from .numbering import next_record_number

        actor = current_actor()
        creating = self._state.adding
        if creating:
            if not self.number:
                self.number = next_record_number(self.module)
            self.created_by = self.created_by or actor
            if self.assigned_user_id is None and self.assigned_group_id is None and actor is not None:
                self.assigned_user = actor
        if actor is not None:
            self.modified_by = actor
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "modified_by", "modified_at"}
        super().save(*args, **kwargs)
        record_changes(self, actor=actor, created=creating)
        self._loaded = _snapshot((f.attname, getattr(self, f.attname)) for f in self._meta.concrete_fields)

    def get_absolute_url(self) -> str:
        return reverse("records:detail", kwargs={"module": self.module.name, "pk": self.pk})

    @classmethod
    def from_db(cls, db, field_names, values):
        # Remember what was loaded, so that save() can tell which fields changed (the Updates history).
        instance = super().from_db(db, field_names, values)
        instance._loaded = _snapshot(zip(field_names, values, strict=True))
        return instance

    @property
    def assigned_to(self):
        return self.assigned_user or self.assigned_group

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def _snapshot(pairs) -> dict:
    """Field values as loaded; JSON values are copied so in-place edits of ``custom`` show as changes."""
    return {name: copy.deepcopy(value) if isinstance(value, dict | list) else value for name, value in pairs}


class ModuleNumbering(models.Model):
    """The numbering sequence of one module: ``prefix`` + ``next_number`` (ACC1, ACC2, ...)."""

    module = models.CharField(max_length=50, unique=True)
    prefix = models.CharField(max_length=20)
    next_number = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.module}: {self.prefix}{self.next_number}"


class AliveManager(models.Manager):
    """Rows not deleted: a deleted custom field keeps its values in the records until it is purged."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class CustomField(models.Model):
    """The definition of a field added to a module without a migration; values live in ``Record.custom``.
    Where it sits (block, position) is its own; standard fields keep theirs in ``FieldPlacement``."""

    class Type(models.TextChoices):
        TEXT = "text", "Text"
        TEXTAREA = "textarea", "Text Area"
        NUMBER = "number", "Number"
        DECIMAL = "decimal", "Decimal"
        CURRENCY = "currency", "Currency"
        PERCENT = "percent", "Percent"
        DATE = "date", "Date"
        DATETIME = "datetime", "Date and Time"
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        URL = "url", "URL"
        CHECKBOX = "checkbox", "Checkbox"
        PICKLIST = "picklist", "Picklist"
        MULTIPICKLIST = "multipicklist", "Multi-Select Picklist"

    module = models.CharField(max_length=50)
    name = models.SlugField(max_length=60, help_text="Key in the record's custom values, e.g. cf_region.")
    label = models.CharField(max_length=100)
    field_type = models.CharField(max_length=20, choices=Type.choices, default=Type.TEXT)
    block = models.CharField(max_length=100, default="Custom Information")
    mandatory = models.BooleanField(default=False)
    choices = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    default = models.JSONField("Default value", null=True, blank=True)
    help_text = models.CharField(max_length=255, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = AliveManager()
    all_objects = models.Manager()  # noqa: DJ012 (ruff takes the custom manager above for a field)

    class Meta:
        ordering = ["module", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["module", "name"], name="custom_field_unique_name")]

    def __str__(self) -> str:
        return f"{self.module}.{self.label}"


class LayoutBlock(models.Model):
    """A block of a module's layout as the admin arranged it: a block the module declares (to move it) or
    one the admin added. Modules without rows show their declared blocks in declared order."""

    module = models.CharField(max_length=50)
    title = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["module", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["module", "title"], name="layout_block_unique_title")]

    def __str__(self) -> str:
        return f"{self.module}: {self.title}"


class FieldPlacement(models.Model):
    """Where the layout editor put a standard field, whether it is hidden, and its label if renamed.
    A standard field without a row stays where the module declares it."""

    module = models.CharField(max_length=50)
    field = models.CharField(max_length=100)
    block = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    label = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["module", "block", "position"]
        constraints = [models.UniqueConstraint(fields=["module", "field"], name="field_placement_once")]

    def __str__(self) -> str:
        return f"{self.module}.{self.field} in {self.block}"


class RecordAttachment(models.Model):
    """Base for rows that hang off any record (comments, updates): a generic pointer plus its time."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="%(class)s_record_idx")]


class Comment(RecordAttachment):
    """A comment on a record, shown in chronological order with its author."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=5000)

    class Meta(RecordAttachment.Meta):
        pass

    def __str__(self) -> str:
        return self.body[:60]


class Update(RecordAttachment):
    """One entry of a record's Updates history: who created, changed, deleted or restored it, and for a
    change, each field with its value before and after (as shown on screen at that time)."""

    class Action(models.TextChoices):
        CREATED = "created", "created"
        UPDATED = "updated", "updated"
        DELETED = "deleted", "moved to the Recycle Bin"
        RESTORED = "restored", "restored"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    changes = models.JSONField(default=list, blank=True)

    class Meta(RecordAttachment.Meta):
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()}"


class ListColumns(models.Model):
    """The list view columns one user chose for one module, in order. Without a row the module's declared
    ``list_fields`` show; names of fields since removed or made invisible to the user are skipped on reading."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.CharField(max_length=50)
    columns = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="list_columns_once")]

    def __str__(self) -> str:
        return f"{self.user} on {self.module}: {', '.join(self.columns)}"


class SavedFilter(models.Model):
    """A saved filter (the manual's custom view) of one module's list: conditions on its fields (all or any of
    them), a standard date range on a date field, and optionally the columns to show. Private to its owner unless
    shared; ``secondcrm.records.saved_filters`` turns it into a query condition."""

    class DateRange(models.TextChoices):
        TODAY = "today", "Today"
        YESTERDAY = "yesterday", "Yesterday"
        THIS_WEEK = "this_week", "This week"
        LAST_WEEK = "last_week", "Last week"
        THIS_MONTH = "this_month", "This month"
        LAST_MONTH = "last_month", "Last month"
        THIS_YEAR = "this_year", "This year"
        LAST_30_DAYS = "last_30_days", "Last 30 days"

    class Match(models.TextChoices):
        ALL = "all", "All conditions"
        ANY = "any", "Any condition"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.CharField(max_length=50)
    name = models.CharField("Filter name", max_length=100)
    shared = models.BooleanField("Share with other users", default=False)
    columns = models.JSONField(default=list, blank=True)
    date_field = models.CharField(max_length=100, blank=True)
    date_range = models.CharField(max_length=20, choices=DateRange.choices, blank=True)
    match = models.CharField(max_length=3, choices=Match.choices, default=Match.ALL)
    # [{"field": name, "operator": "equals", "value": "text"}, ...], values as text, parsed when applied.
    conditions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["module", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "module", "name"], name="saved_filter_unique_name")]

    def __str__(self) -> str:
        return f"{self.module}: {self.name}"


class PdfExportTemplate(models.Model):
    """A saved layout for exporting a module's list to PDF (the manual's export template): the title, the
    columns, portrait or landscape, and whether the company logo heads the pages. Private to its owner unless
    shared, like a SavedFilter; ``secondcrm.records.pdf_export`` applies it."""

    class Orientation(models.TextChoices):
        PORTRAIT = "portrait", "Portrait"
        LANDSCAPE = "landscape", "Landscape"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.CharField(max_length=50)
    name = models.CharField("Template name", max_length=100)
    shared = models.BooleanField("Share with other users", default=False)
    title = models.CharField("Title", max_length=200, blank=True)
    columns = models.JSONField(default=list, blank=True)
    orientation = models.CharField(max_length=10, choices=Orientation.choices, default=Orientation.PORTRAIT)
    show_logo = models.BooleanField("Show the company logo", default=True)

    class Meta:
        ordering = ["module", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "module", "name"], name="pdf_export_template_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.module}: {self.name}"
