"""The Audit Trail: one row per action of a signed-in user (who, from where, what, on which record, when).

Names and labels are copies, so that a row still reads right after its user or record is gone."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """One user action as Settings > Audit Trail lists it; written by ``secondcrm.access.audit``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
        db_index=False,  # the (user, at) index below serves both the filter and the SET_NULL look-up
    )
    user_name = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField("IP Address", null=True)
    action = models.CharField(max_length=40)
    # A registered module's name ("accounts"); blank for pages that are not about a module's records.
    module = models.CharField(max_length=50, blank=True)
    record_id = models.PositiveBigIntegerField("Record ID", null=True)
    record_label = models.CharField("Record", max_length=200, blank=True)
    path = models.CharField(max_length=500)
    method = models.CharField(max_length=10)
    status_code = models.PositiveSmallIntegerField("Status")
    at = models.DateTimeField("Time", default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["user", "-at"], name="access_audit_user_at"),
            models.Index(fields=["module", "record_id", "-at"], name="access_audit_module_at"),
        ]

    def __str__(self) -> str:
        target = f" {self.module} #{self.record_id}" if self.record_id else (f" {self.module}" if self.module else "")
        return f"{self.user_name} {self.action}{target} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def denied(self) -> bool:
        """The attempt failed: refused (403), not found (404) or any other error answer."""
        return self.status_code >= 400
