"""What a new installation's potentials start with: the Sales Stage, Lead Source and Type picklists for every
role (Closed Won and Closed Lost are system values: reports and the pipeline rely on them), the probability
each stage starts with, and the GIN index on custom field values."""

from decimal import Decimal

from django.db import migrations

from secondcrm.picklists.migration_ops import seed_picklist
from secondcrm.records.migration_ops import custom_values_index

# Frozen copies: a migration must not change when the code's defaults do.
SALES_STAGES = [
    ("Prospecting", 10),
    ("Qualification", 20),
    ("Needs Analysis", 25),
    ("Value Proposition", 30),
    ("Id. Decision Makers", 40),
    ("Perception Analysis", 50),
    ("Proposal/Price Quote", 65),
    ("Negotiation/Review", 80),
    ("Closed Won", 100),
    ("Closed Lost", 0),
]
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
TYPES = ["New Business", "Existing Business"]


def seed_probabilities(apps, schema_editor):
    SalesStageProbability = apps.get_model("potentials", "SalesStageProbability")
    for stage, probability in SALES_STAGES:
        SalesStageProbability.objects.get_or_create(stage=stage, defaults={"probability": Decimal(probability)})


def unseed_probabilities(apps, schema_editor):
    apps.get_model("potentials", "SalesStageProbability").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("potentials", "0001_initial"),
        ("access", "0002_default_roles"),
        ("picklists", "0001_initial"),
    ]

    operations = [
        seed_picklist(
            "potentials", "sales_stage", [stage for stage, _ in SALES_STAGES], system_values=("Closed Won", "Closed Lost")
        ),
        seed_picklist("potentials", "lead_source", LEAD_SOURCES),
        seed_picklist("potentials", "potential_type", TYPES),
        migrations.RunPython(seed_probabilities, unseed_probabilities),
        custom_values_index("potentials", "potential"),
    ]
