"""Lead picklists (Salutation, Lead Source, Lead Status, Rating and Industry, with the values of the contact and
account picklists of the same name), the default Lead Conversion Mapping (SEMANTICS.md), and the GIN index on
the leads' custom values. The lists are copied here, not imported, so that this migration stays as it was."""

from django.db import migrations

from secondcrm.picklists.migration_ops import seed_picklist
from secondcrm.records.migration_ops import custom_values_index

SALUTATIONS = ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]
LEAD_SOURCES = [
    "Cold Call",
    "Existing Customer",
    "Self Generated",
    "Employee",
    "Partner",
    "Public Relations",
    "Direct Mail",
    "Conference",
    "Trade Show",
    "Web Site",
    "Word of mouth",
    "Other",
]
LEAD_STATUSES = [
    "Attempted to Contact",
    "Cold",
    "Contact in Future",
    "Contacted",
    "Hot",
    "Junk Lead",
    "Lost Lead",
    "Not Contacted",
    "Pre Qualified",
    "Qualified",
    "Warm",
]
RATINGS = ["Acquired", "Active", "Market Failed", "Project Cancelled", "Shutdown"]
INDUSTRIES = [
    "Apparel",
    "Banking",
    "Biotechnology",
    "Chemicals",
    "Communications",
    "Construction",
    "Consulting",
    "Education",
    "Electronics",
    "Energy",
    "Engineering",
    "Entertainment",
    "Finance",
    "Food & Beverage",
    "Government",
    "Healthcare",
    "Hospitality",
    "Insurance",
    "Machinery",
    "Manufacturing",
    "Media",
    "Recreation",
    "Retail",
    "Shipping",
    "Technology",
    "Telecommunications",
    "Transportation",
    "Utilities",
    "Other",
]
# (lead field, account field, contact field, potential field), as leads.mapping.DEFAULT_MAPPING had it.
DEFAULT_MAPPING = [
    ("company", "account_name", "", "potential_name"),
    ("salutation", "", "salutation", ""),
    ("first_name", "", "first_name", ""),
    ("last_name", "", "last_name", ""),
    ("designation", "", "title", ""),
    ("email", "email", "email", ""),
    ("secondary_email", "", "secondary_email", ""),
    ("phone", "phone", "office_phone", ""),
    ("mobile", "", "mobile", ""),
    ("fax", "fax", "fax", ""),
    ("website", "website", "", ""),
    ("lead_source", "", "lead_source", "lead_source"),
    ("industry", "industry", "", ""),
    ("rating", "rating", "", ""),
    ("employees", "employees", "", ""),
    ("annual_revenue", "annual_revenue", "", ""),
    ("street", "bill_street", "mailing_street", ""),
    ("po_box", "bill_po_box", "mailing_po_box", ""),
    ("city", "bill_city", "mailing_city", ""),
    ("state", "bill_state", "mailing_state", ""),
    ("postal_code", "bill_code", "mailing_code", ""),
    ("country", "bill_country", "mailing_country", ""),
    ("street", "ship_street", "", ""),
    ("po_box", "ship_po_box", "", ""),
    ("city", "ship_city", "", ""),
    ("state", "ship_state", "", ""),
    ("postal_code", "ship_code", "", ""),
    ("country", "ship_country", "", ""),
    ("description", "description", "description", "description"),
]


def seed_mapping(apps, schema_editor):
    LeadFieldMapping = apps.get_model("leads", "LeadFieldMapping")
    if LeadFieldMapping.objects.exists():
        return
    LeadFieldMapping.objects.bulk_create(
        LeadFieldMapping(
            lead_field=lead, account_field=account, contact_field=contact, potential_field=potential, position=position
        )
        for position, (lead, account, contact, potential) in enumerate(DEFAULT_MAPPING)
    )


def unseed_mapping(apps, schema_editor):
    apps.get_model("leads", "LeadFieldMapping").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0001_initial"),
        ("access", "0002_default_roles"),
        ("picklists", "0001_initial"),
    ]

    operations = [
        seed_picklist("leads", "salutation", SALUTATIONS),
        seed_picklist("leads", "lead_source", LEAD_SOURCES),
        seed_picklist("leads", "lead_status", LEAD_STATUSES, system_values=("Qualified",)),
        seed_picklist("leads", "rating", RATINGS),
        seed_picklist("leads", "industry", INDUSTRIES),
        migrations.RunPython(seed_mapping, unseed_mapping),
        custom_values_index("leads", "lead"),
    ]
