"""A web form: the Lead fields a company's web site asks its visitors for, and who gets the leads it brings.

The form itself lives on the company's site (the HTML snippet the Get HTML page gives); the CRM keeps only
what it needs to accept a post: the public key in the form's address, the fields it takes, the owner the
new lead is assigned to, where the visitor goes afterwards and whether the owner hears of it by email."""

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F
from django.utils import timezone


def refuse_owner_delete(collector, field, sub_objs, using) -> None:
    """``on_delete`` of a form's owner: a user or group that receives a web form's leads cannot be deleted
    until the form has another owner. A ValidationError (not PROTECT's ProtectedError) so that the Groups
    page, which shows a refused delete's reason, shows this one too instead of failing."""
    names = ", ".join(f"“{web_form.name}”" for web_form in sub_objs)
    raise ValidationError(
        f"{field.remote_field.model._meta.verbose_name.capitalize()} {sub_objs[0].owner} receives the leads of "
        f"the web form{'s' if len(sub_objs) > 1 else ''} {names}. Choose another owner for "
        f"{'them' if len(sub_objs) > 1 else 'it'} in Settings > Web Forms first."
    )


class WebForm(models.Model):
    """One web-to-lead form. ``fields`` lists the Lead fields it asks for, in order, as
    ``[{"name": "email", "required": true}, ...]``; Last Name and Company are always among them."""

    name = models.CharField("Form Name", max_length=100, unique=True)
    key = models.UUIDField("Public Key", default=uuid.uuid4, unique=True, editable=False)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=refuse_owner_delete, related_name="+"
    )
    owner_group = models.ForeignKey(Group, null=True, blank=True, on_delete=refuse_owner_delete, related_name="+")
    fields = models.JSONField("Fields", default=list)
    thank_you_url = models.URLField(
        "Thank-you Page",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Where visitors go after sending the form; empty: a short thank-you page of the CRM.",
    )
    notify_owner = models.BooleanField("Notify Owner by Email", default=False)
    active = models.BooleanField("Active", default=True)
    allowed_origins = models.JSONField("Allowed Web Sites", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField("Created Time", auto_now_add=True)
    modified_at = models.DateTimeField("Modified Time", auto_now=True)
    # What came of it, for the list page: leads created (spam and refused posts are not counted).
    lead_count = models.PositiveIntegerField("Leads Received", default=0, editable=False)
    last_lead_at = models.DateTimeField("Last Lead", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False, owner_group__isnull=True)
                | models.Q(owner_user__isnull=True, owner_group__isnull=False),
                name="webform_owner_is_user_or_group",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner(self):
        return self.owner_user or self.owner_group

    @property
    def field_names(self) -> list[str]:
        return [entry["name"] for entry in self.fields]

    @property
    def required_names(self) -> set[str]:
        return {entry["name"] for entry in self.fields if entry.get("required")}

    def accepts_origin(self, origin: str | None) -> bool:
        """A browser names the page's site in ``Origin``; with no list every site may post. A request without
        the header (not sent by a browser form) is not a cross-site embedding and passes."""
        if not self.allowed_origins or not origin:
            return True
        return origin.rstrip("/").lower() in {allowed.lower() for allowed in self.allowed_origins}

    def count_lead(self) -> None:
        """One more lead received; in SQL, so that simultaneous posts do not lose a count."""
        now = timezone.now()
        WebForm.objects.filter(pk=self.pk).update(lead_count=F("lead_count") + 1, last_lead_at=now)
