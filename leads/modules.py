"""Leads, declared to the record platform, and the note on converted records saying which lead they came from."""

from secondcrm.records.registry import Block, DetailLink, Module, RecordPanel, registry

from .models import Lead

registry.register(
    Module(
        name="leads",
        model=Lead,
        list_fields=("first_name", "last_name", "company", "phone", "email", "lead_status", "assigned_to"),
        blocks=(
            Block(
                "Lead Information",
                (
                    "salutation",
                    "first_name",
                    "last_name",
                    "number",
                    "company",
                    "designation",
                    "lead_source",
                    "lead_status",
                    "rating",
                    "industry",
                    "annual_revenue",
                    "employees",
                    "email",
                    "secondary_email",
                    "phone",
                    "mobile",
                    "fax",
                    "website",
                    "email_opt_out",
                    "assigned_to",
                ),
            ),
            Block(
                "Address Information",
                ("street", "po_box", "city", "state", "postal_code", "country"),
                is_address=True,
            ),
            Block("Description Information", ("description",)),
        ),
        summary_fields=(
            "first_name",
            "last_name",
            "company",
            "designation",
            "email",
            "phone",
            "lead_status",
            "rating",
            "assigned_to",
        ),
        menu_group="Sales & Marketing",
        number_prefix="LEA",
        title_field="last_name",
        search_fields=("first_name", "last_name", "company", "email", "phone", "mobile", "city"),
        filter_fields=("lead_status", "lead_source", "rating", "industry"),
        quick_create_fields=("first_name", "email", "phone", "lead_source"),
        icon="person-plus",
        detail_links=(DetailLink("Convert Lead", "leads:convert", icon="arrow-left-right", dialog=True),),
    )
)

# The records a lead turns into, by the Lead column pointing at each.
CONVERTED_INTO = {"accounts": "converted_account", "contacts": "converted_contact", "potentials": "converted_potential"}


def _origin(record, request) -> dict | None:
    """ "Converted from Lead LEA12" atop the Summary of an account, contact or potential made by Convert Lead.
    The lead itself is no longer shown anywhere, so this is its only trace on screen."""
    column = CONVERTED_INTO.get(record.module.name)
    if column is None:
        return None
    leads = list(Lead.all_objects.filter(**{column: record.pk}).select_related("converted_by").order_by("converted_at"))
    return {"leads": leads} if leads else None


registry.register_panel(
    RecordPanel("lead_origin", "Converted from Lead", "leads/origin.html", _origin, order=5, placement="summary")
)
