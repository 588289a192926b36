"""Account and Contact picklists move from ``choices=`` to the Picklist Editor's table: their values, in the
order they had, are seeded for every role, then the fields lose their ``choices`` (the columns are unchanged,
so records keep every value they hold)."""

from django.db import migrations

import secondcrm.picklists.fields
from secondcrm.picklists.migration_ops import seed_picklist

ACCOUNT_TYPES = [
    "Analyst",
    "Competitor",
    "Customer",
    "Integrator",
    "Investor",
    "Partner",
    "Press",
    "Prospect",
    "Reseller",
    "Other",
]
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
RATINGS = ["Acquired", "Active", "Market Failed", "Project Cancelled", "Shutdown"]
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


def picklist(verbose_name: str, max_length: int = 30):
    return secondcrm.picklists.fields.PicklistField(blank=True, max_length=max_length, verbose_name=verbose_name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_custom_values_index"),
        ("access", "0002_default_roles"),
        ("picklists", "0001_initial"),
    ]

    operations = [
        seed_picklist("accounts", "account_type", ACCOUNT_TYPES),
        seed_picklist("accounts", "industry", INDUSTRIES),
        seed_picklist("accounts", "rating", RATINGS),
        seed_picklist("contacts", "salutation", SALUTATIONS),
        seed_picklist("contacts", "lead_source", LEAD_SOURCES),
        migrations.AlterField(model_name="account", name="account_type", field=picklist("Type")),
        migrations.AlterField(model_name="account", name="industry", field=picklist("Industry")),
        migrations.AlterField(model_name="account", name="rating", field=picklist("Rating")),
        migrations.AlterField(model_name="contact", name="lead_source", field=picklist("Lead Source")),
        migrations.AlterField(model_name="contact", name="salutation", field=picklist("Salutation", 10)),
    ]
