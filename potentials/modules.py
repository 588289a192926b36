"""Potentials, declared to the record platform."""

from secondcrm.records.registry import Block, Module, RecordPanel, RelatedList, registry

from .forms import PotentialForm
from .models import Potential
from .views import contact_roles_context

registry.register(
    Module(
        name="potentials",
        model=Potential,
        form=PotentialForm,
        list_fields=(
            "potential_name",
            "account",
            "sales_stage",
            "amount",
            "expected_close_date",
            "assigned_to",
        ),
        blocks=(
            Block(
                "Potential Information",
                (
                    "potential_name",
                    "number",
                    "account",
                    "contact",
                    "amount",
                    "currency",
                    "expected_close_date",
                    "sales_stage",
                    "probability",
                    "lead_source",
                    "potential_type",
                    "next_step",
                    "assigned_to",
                ),
            ),
            Block("Description Information", ("description",)),
        ),
        summary_fields=(
            "potential_name",
            "account",
            "amount",
            "expected_close_date",
            "sales_stage",
            "probability",
            "next_step",
            "assigned_to",
        ),
        menu_group="Sales & Marketing",
        number_prefix="POT",
        title_field="potential_name",
        search_fields=("potential_name", "next_step"),
        filter_fields=("sales_stage", "lead_source", "potential_type"),
        quick_create_fields=("account", "amount", "expected_close_date", "sales_stage"),
        icon="currency-dollar",
        list_links=(("Pipeline", "potentials:pipeline"),),
    )
)

# A module that refers to accounts and contacts adds its related list to them, so that accounts need not know
# about potentials (and the accounts app keeps working without this one installed).
_accounts = registry.get("accounts")
_accounts.related += (
    RelatedList(
        "potentials.Potential",
        "account",
        "Potentials",
        ("potential_name", "sales_stage", "amount", "currency", "expected_close_date"),
    ),
)
_contacts = registry.get("contacts")
_contacts.related += (
    RelatedList(
        "potentials.Potential",
        "contact",
        "Potentials",
        ("potential_name", "account", "sales_stage", "amount", "currency"),
    ),
)

# The Contact Roles tab: on potentials only (the context is None for other records, which hides the tab).
registry.register_panel(
    RecordPanel("contact_roles", "Contact Roles", "potentials/contact_roles_panel.html", contact_roles_context, order=5)
)
