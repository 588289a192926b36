"""Leads: people or organizations that may become customers, and how Convert Lead carries their fields over.

A converted lead is kept (so the new records can say where they came from) but leaves every list, picker and
page: ``Lead.objects`` reads only leads not yet converted, and every page reads through it. The picklists
(Salutation, Lead Source, Lead Status, Rating, Industry) keep their values in the database, seeded by
migration 0001; the choices below are names for code and tests, not a limit on what a lead may hold."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from secondcrm.picklists.fields import PicklistField
from secondcrm.records.fields import PhoneField, WebsiteField
from secondcrm.records.models import Record
from secondcrm.records.querysets import RecordManager, RecordQuerySet

# The status Convert Lead gives a lead; a system value of the Lead Status picklist, so it cannot be deleted.
QUALIFIED = "Qualified"


class LeadStatus(models.TextChoices):
    ATTEMPTED_TO_CONTACT = "Attempted to Contact"
    COLD = "Cold"
    CONTACT_IN_FUTURE = "Contact in Future"
    CONTACTED = "Contacted"
    HOT = "Hot"
    JUNK_LEAD = "Junk Lead"
    LOST_LEAD = "Lost Lead"
    NOT_CONTACTED = "Not Contacted"
    PRE_QUALIFIED = "Pre Qualified"
    QUALIFIED = QUALIFIED
    WARM = "Warm"


class LeadRating(models.TextChoices):
    ACQUIRED = "Acquired"
    ACTIVE = "Active"
    MARKET_FAILED = "Market Failed"
    PROJECT_CANCELLED = "Project Cancelled"
    SHUTDOWN = "Shutdown"


class LeadManager(RecordManager):
    """Leads still to work on: not in the Recycle Bin and not converted."""

    def get_queryset(self) -> RecordQuerySet:
        return super().get_queryset().filter(converted=False)


def conversion_link(model: str, verbose_name: str) -> models.ForeignKey:
    """A link from a converted lead to a record the conversion created: set by the conversion only, and kept
    (as empty) if that record is purged."""
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Lead(Record):
    """A prospect: the person, their company, how they reached us and how promising they look."""

    salutation = PicklistField("Salutation", max_length=10, blank=True)
    first_name = models.CharField("First Name", max_length=80, blank=True)
    last_name = models.CharField("Last Name", max_length=80, db_index=True)
    company = models.CharField("Company", max_length=200, db_index=True)
    designation = models.CharField("Designation", max_length=100, blank=True)
    email = models.EmailField("Email", blank=True)
    secondary_email = models.EmailField("Secondary Email", blank=True)
    phone = PhoneField("Phone")
    mobile = PhoneField("Mobile")
    fax = PhoneField("Fax")
    website = WebsiteField("Website", max_length=300, blank=True)
    lead_source = PicklistField("Lead Source", max_length=30, blank=True)
    lead_status = PicklistField("Lead Status", max_length=30, blank=True)
    rating = PicklistField("Rating", max_length=30, blank=True)
    industry = PicklistField("Industry", max_length=30, blank=True)
    annual_revenue = models.DecimalField("Annual Revenue", max_digits=18, decimal_places=2, null=True, blank=True)
    employees = models.PositiveIntegerField("No. of Employees", null=True, blank=True)
    street = models.CharField("Street", max_length=250, blank=True)
    po_box = models.CharField("PO Box", max_length=30, blank=True)
    city = models.CharField("City", max_length=100, blank=True)
    state = models.CharField("State", max_length=100, blank=True)
    postal_code = models.CharField("Postal Code", max_length=30, blank=True)
    country = models.CharField("Country", max_length=100, blank=True)
    email_opt_out = models.BooleanField("Email Opt Out", default=False)

    # Set by Convert Lead only (lead_convert): never on a form.
    converted = models.BooleanField("Converted", default=False, db_index=True, editable=False)
    converted_at = models.DateTimeField("Converted Time", null=True, blank=True, editable=False)
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Converted By",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    converted_account = conversion_link("accounts.Account", "Converted to Account")
    converted_contact = conversion_link("accounts.Contact", "Converted to Contact")
    converted_potential = conversion_link("potentials.Potential", "Converted to Potential")

    objects = LeadManager()
    all_objects = RecordQuerySet.as_manager()

    class Meta(Record.Meta):
        verbose_name = "lead"
        verbose_name_plural = "leads"
        # Finding duplicates by email (import, Find Duplicates) compares lower-cased addresses.
        indexes = [
            *Record.Meta.indexes,
            models.Index(Lower("email"), name="leads_lead_email_lower"),
            # The list's sortable columns (Last Name and Company have theirs): a page sorted by one walks its index
            # instead of sorting every lead its user may see.
            models.Index(fields=["first_name"], name="leads_lead_first_name_sort"),
            models.Index(fields=["email"], name="leads_lead_email_sort"),
            models.Index(fields=["phone"], name="leads_lead_phone_sort"),
            models.Index(fields=["lead_status"], name="leads_lead_lead_status_sort"),
        ]

    def __str__(self) -> str:
        name = " ".join(part for part in (self.first_name, self.last_name) if part)
        return f"{name} ({self.company})" if self.company else name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.salutation, self.first_name, self.last_name) if part)


class LeadFieldMapping(models.Model):
    """One row of Settings > Lead Conversion Mapping: the lead field whose value Convert Lead copies into an
    account, a contact and a potential field (blank: not copied there). Fields are named as the records hold
    them: model field names or custom field names (``cf_...``). A lead field may feed several rows (the
    address goes to both the billing and the shipping address), but a target field takes one lead field."""

    lead_field = models.CharField("Lead Field", max_length=100)
    account_field = models.CharField("Account Field", max_length=100, blank=True)
    contact_field = models.CharField("Contact Field", max_length=100, blank=True)
    potential_field = models.CharField("Potential Field", max_length=100, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account_field"], condition=~models.Q(account_field=""), name="lead_mapping_account_once"
            ),
            models.UniqueConstraint(
                fields=["contact_field"], condition=~models.Q(contact_field=""), name="lead_mapping_contact_once"
            ),
            models.UniqueConstraint(
                fields=["potential_field"],
                condition=~models.Q(potential_field=""),
                name="lead_mapping_potential_once",
            ),
        ]

    def __str__(self) -> str:
        targets = ", ".join(t for t in (self.account_field, self.contact_field, self.potential_field) if t)
        return f"{self.lead_field} → {targets or 'nothing'}"
