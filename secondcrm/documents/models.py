"""Documents: an uploaded file ("Internal") or a link ("External"), kept in a folder, attached to records."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from secondcrm.records.fields import WebsiteField
from secondcrm.records.models import Record


class Folder(models.Model):
    """A folder of the Content Library."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def default_folder_id() -> int:
    return Folder.objects.get_or_create(name="Default")[0].pk


class Document(Record):
    class Location(models.TextChoices):
        INTERNAL = "internal", "Internal"
        EXTERNAL = "external", "External"

    title = models.CharField("Title", max_length=200)
    folder = models.ForeignKey(Folder, on_delete=models.PROTECT, default=default_folder_id, related_name="documents")
    location = models.CharField("File Type", max_length=10, choices=Location.choices, default=Location.INTERNAL)
    file = models.FileField("File", upload_to="documents/%Y/%m/", blank=True, max_length=255)
    file_name = models.CharField("File Name", max_length=255, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField("File Size", null=True, blank=True, editable=False)
    url = WebsiteField("External URL", max_length=500, blank=True)

    class Meta(Record.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"

    def __str__(self) -> str:
        return self.title

    def field_url(self, name: str) -> str:
        """Links for the detail view: the file is only ever served through the access-checked download."""
        if name in {"file", "file_name", "url"} and (self.file or self.url):
            return reverse("documents:download", kwargs={"pk": self.pk})
        return ""


class DocumentLink(models.Model):
    """A document attached to a record of any module."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "content_type", "object_id"], name="document_link_unique")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="document_link_record_idx")]

    def __str__(self) -> str:
        return f"{self.document} → {self.content_type.model} #{self.object_id}"
