"""Accounts (the organizations you do business with) and Contacts (the people at them).

The picklists (Type, Industry, Rating, Salutation, Lead Source) keep their values in the database, where the
Picklist Editor changes them; the TextChoices below are the values a new installation starts with (seeded by
migration 0004) and names for code and tests, not a limit on what a record may hold."""

from django.db import models
from django.db.models.functions import Lower

from secondcrm.picklists.fields import PicklistField
from secondcrm.records.fields import PhoneField, WebsiteField, add_address
from secondcrm.records.models import Record


class Industry(models.TextChoices):
    APPAREL = "Apparel"
    BANKING = "Banking"
    BIOTECHNOLOGY = "Biotechnology"
    CHEMICALS = "Chemicals"
    COMMUNICATIONS = "Communications"
    CONSTRUCTION = "Construction"
    CONSULTING = "Consulting"
    EDUCATION = "Education"
    ELECTRONICS = "Electronics"
    ENERGY = "Energy"
    ENGINEERING = "Engineering"
    ENTERTAINMENT = "Entertainment"
    FINANCE = "Finance"
    FOOD_BEVERAGE = "Food & Beverage"
    GOVERNMENT = "Government"
    HEALTHCARE = "Healthcare"
    HOSPITALITY = "Hospitality"
    INSURANCE = "Insurance"
    MACHINERY = "Machinery"
    MANUFACTURING = "Manufacturing"
    MEDIA = "Media"
    RECREATION = "Recreation"
    RETAIL = "Retail"
    SHIPPING = "Shipping"
    TECHNOLOGY = "Technology"
    TELECOMMUNICATIONS = "Telecommunications"
    TRANSPORTATION = "Transportation"
    UTILITIES = "Utilities"
    OTHER = "Other"


class Account(Record):
    """An organization: customer, prospect, partner, competitor... with its billing and shipping address."""

    class Type(models.TextChoices):
        ANALYST = "Analyst"
        COMPETITOR = "Competitor"
        CUSTOMER = "Customer"
        INTEGRATOR = "Integrator"
        INVESTOR = "Investor"
        PARTNER = "Partner"
        PRESS = "Press"
        PROSPECT = "Prospect"
        RESELLER = "Reseller"
        OTHER = "Other"

    class Rating(models.TextChoices):
        ACQUIRED = "Acquired"
        ACTIVE = "Active"
        MARKET_FAILED = "Market Failed"
        PROJECT_CANCELLED = "Project Cancelled"
        SHUTDOWN = "Shutdown"

    account_name = models.CharField("Account Name", max_length=200, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="Member Of", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    account_type = PicklistField("Type", max_length=30, blank=True)
    industry = PicklistField("Industry", max_length=30, blank=True)
    rating = PicklistField("Rating", max_length=30, blank=True)
    website = WebsiteField("Website", max_length=300, blank=True)
    phone = PhoneField("Phone")
    other_phone = PhoneField("Other Phone")
    fax = PhoneField("Fax")
    email = models.EmailField("Email", blank=True)
    secondary_email = models.EmailField("Other Email", blank=True)
    ticker_symbol = models.CharField("Ticker Symbol", max_length=30, blank=True)
    ownership = models.CharField("Ownership", max_length=50, blank=True)
    employees = models.PositiveIntegerField("Employees", null=True, blank=True)
    sic_code = models.CharField("SIC Code", max_length=30, blank=True)
    annual_revenue = models.DecimalField("Annual Revenue", max_digits=18, decimal_places=2, null=True, blank=True)
    email_opt_out = models.BooleanField("Email Opt Out", default=False)
    notify_owner = models.BooleanField("Notify Owner", default=False)

    class Meta(Record.Meta):
        verbose_name = "account"
        verbose_name_plural = "accounts"
        # The list's sortable columns (Account Name has its own): a page sorted by one walks its index instead of
        # sorting every account its user may see.
        indexes = [
            *Record.Meta.indexes,
            models.Index(fields=["bill_city"], name="accounts_account_city_sort"),
            models.Index(fields=["website"], name="accounts_account_website_sort"),
            models.Index(fields=["phone"], name="accounts_account_phone_sort"),
            models.Index(fields=["account_type"], name="accounts_account_type_sort"),
        ]

    def __str__(self) -> str:
        return self.account_name


BILLING_ADDRESS = add_address(Account, "bill", "Billing")
SHIPPING_ADDRESS = add_address(Account, "ship", "Shipping")


class Contact(Record):
    """A person, usually at an account; contacts can report to one another."""

    class Salutation(models.TextChoices):
        MR = "Mr."
        MS = "Ms."
        MRS = "Mrs."
        DR = "Dr."
        PROF = "Prof."

    class LeadSource(models.TextChoices):
        COLD_CALL = "Cold Call"
        EXISTING_CUSTOMER = "Existing Customer"
        SELF_GENERATED = "Self Generated"
        EMPLOYEE = "Employee"
        PARTNER = "Partner"
        PUBLIC_RELATIONS = "Public Relations"
        DIRECT_MAIL = "Direct Mail"
        CONFERENCE = "Conference"
        TRADE_SHOW = "Trade Show"
        WEB_SITE = "Web Site"
        WORD_OF_MOUTH = "Word of mouth"
        OTHER = "Other"

    salutation = PicklistField("Salutation", max_length=10, blank=True)
    first_name = models.CharField("First Name", max_length=80, blank=True)
    last_name = models.CharField("Last Name", max_length=80, db_index=True)
    account = models.ForeignKey(
        Account,
        verbose_name="Account Name",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    title = models.CharField("Title", max_length=100, blank=True)
    department = models.CharField("Department", max_length=100, blank=True)
    lead_source = PicklistField("Lead Source", max_length=30, blank=True)
    email = models.EmailField("Email", blank=True)
    secondary_email = models.EmailField("Secondary Email", blank=True)
    office_phone = PhoneField("Office Phone")
    mobile = PhoneField("Mobile")
    home_phone = PhoneField("Home Phone")
    other_phone = PhoneField("Other Phone")
    fax = PhoneField("Fax")
    birthday = models.DateField("Birthdate", null=True, blank=True)
    assistant = models.CharField("Assistant", max_length=100, blank=True)
    assistant_phone = PhoneField("Assistant Phone")
    reports_to = models.ForeignKey(
        "self", verbose_name="Reports To", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    email_opt_out = models.BooleanField("Email Opt Out", default=False)
    do_not_call = models.BooleanField("Do Not Call", default=False)

    class Meta(Record.Meta):
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        # Finding duplicates by email (import, Find Duplicates) compares lower-cased addresses.
        indexes = [
            *Record.Meta.indexes,
            models.Index(Lower("email"), name="accounts_contact_email_lower"),
            # The list's sortable columns, as for accounts (Last Name has its own).
            models.Index(fields=["first_name"], name="accounts_contact_first_sort"),
            models.Index(fields=["title"], name="accounts_contact_title_sort"),
            models.Index(fields=["email"], name="accounts_contact_email_sort"),
            models.Index(fields=["office_phone"], name="accounts_contact_phone_sort"),
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


MAILING_ADDRESS = add_address(Contact, "mailing", "Mailing")
OTHER_ADDRESS = add_address(Contact, "other", "Other")
