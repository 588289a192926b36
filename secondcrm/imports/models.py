"""An import of one file into one module: what the user chose in the wizard, how far the background run got,
and what it did to each record (so that it can be undone)."""

from django.conf import settings
from django.db import models


class DuplicateMode(models.TextChoices):
    """What a row does when a record with the same values in the chosen fields exists."""

    CREATE = "create", "Import it as a new record anyway"
    SKIP = "skip", "Skip the row"
    OVERWRITE = "overwrite", "Overwrite the existing record"
    MERGE = "merge", "Merge: fill only the existing record's empty fields"


class ImportJob(models.Model):
    """One import. The wizard fills the file facts, the mapping and the options; the preview run counts what
    would happen without writing; the real run writes chunk by chunk, committing ``rows_done`` with each chunk,
    so that a run interrupted by a killed worker resumes after the last committed chunk and never imports a row
    twice."""

    class Status(models.TextChoices):
        MAPPING = "mapping", "Choosing the mapping"
        PREVIEWING = "previewing", "Preparing the preview"
        READY = "ready", "Ready to import"
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"
        UNDOING = "undoing", "Undoing"
        UNDONE = "undone", "Undone"

    class FileKind(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    module = models.CharField(max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="imports/%Y/%m/")
    file_name = models.CharField(max_length=255)
    file_kind = models.CharField(max_length=4, choices=FileKind.choices, default=FileKind.CSV)
    encoding = models.CharField(max_length=20, default="utf-8")
    delimiter = models.CharField(max_length=1, default=",")
    has_header = models.BooleanField("The first row holds the column names", default=True)
    # The columns of the file (its header, or "Column 1", "Column 2"...), and for each column index (as text)
    # the field it fills: {"0": "firstname", "3": "cf_region", "5": "account"}; unmapped columns are absent.
    columns = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    duplicate_mode = models.CharField(max_length=10, choices=DuplicateMode.choices, default=DuplicateMode.CREATE)
    duplicate_fields = models.JSONField(default=list, blank=True)
    create_missing_accounts = models.BooleanField("Create accounts that do not exist yet", default=False)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.MAPPING)
    total_rows = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    merged_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    # What "Undo last import" did: records put back (created ones to the Recycle Bin, overwritten or merged ones
    # to their values before), and records left alone because someone changed them after the import.
    undone_count = models.PositiveIntegerField(default=0)
    undo_kept_count = models.PositiveIntegerField(default=0)
    # The preview's counts ({"created": n, "updated": n, ...}) and its first rows as they would be saved.
    preview = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written with every committed chunk: a running job whose heartbeat is old lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["module", "user", "-created_at"], name="import_job_latest")]

    def __str__(self) -> str:
        return f"{self.file_name} into {self.module} ({self.get_status_display()})"


class ImportedRecord(models.Model):
    """A record an import created, overwrote or merged into; for the last two, the values it had before (as
    stored: model field attnames and custom keys), so that undo can put them back."""

    class Action(models.TextChoices):
        CREATED = "created", "created"
        UPDATED = "updated", "overwritten"
        MERGED = "merged", "merged"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="records")
    # Empty for a record of the job's module; "accounts" for an account created because a row named it.
    module = models.CharField(max_length=50, blank=True)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    before = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["job", "action"], name="imported_record_job")]

    def __str__(self) -> str:
        return f"{self.job_id}: {self.object_id} {self.action}"


class ImportFailure(models.Model):
    """A row that was not imported, with the file's values and the reason, for the failed-rows CSV."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="failures")
    row_number = models.PositiveIntegerField(help_text="The row's line in the file, counting the header.")
    values = models.JSONField(default=list)
    reason = models.TextField()

    class Meta:
        ordering = ["job", "row_number"]

    def __str__(self) -> str:
        return f"Row {self.row_number}: {self.reason}"


class SavedImportMapping(models.Model):
    """A mapping saved by name ("Save as Custom Mapping"): for each column header, the field it fills. Applied
    to another file by header name, so the columns may come in another order."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.CharField(max_length=50)
    name = models.CharField(max_length=100)
    fields = models.JSONField(default=dict, help_text='{"Column header": "field name"}')

    class Meta:
        ordering = ["module", "name"]
        constraints = [models.UniqueConstraint(fields=["user", "module", "name"], name="import_mapping_unique_name")]

    def __str__(self) -> str:
        return f"{self.module}: {self.name}"
