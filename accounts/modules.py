"""Accounts and Contacts, declared to the record platform."""

from secondcrm.records.registry import Block, Module, RelatedList, registry

from .models import BILLING_ADDRESS, MAILING_ADDRESS, OTHER_ADDRESS, SHIPPING_ADDRESS, Account, Contact

registry.register(
    Module(
        name="accounts",
        model=Account,
        list_fields=("account_name", "bill_city", "website", "phone", "account_type", "assigned_to"),
        blocks=(
            Block(
                "Account Information",
                (
                    "account_name",
                    "number",
                    "parent",
                    "account_type",
                    "industry",
                    "rating",
                    "website",
                    "phone",
                    "other_phone",
                    "fax",
                    "email",
                    "secondary_email",
                    "ticker_symbol",
                    "ownership",
                    "employees",
                    "sic_code",
                    "annual_revenue",
                    "email_opt_out",
                    "notify_owner",
                    "assigned_to",
                ),
            ),
            Block("Billing Address", BILLING_ADDRESS, is_address=True),
            Block("Shipping Address", SHIPPING_ADDRESS, is_address=True),
            Block("Description Information", ("description",)),
        ),
        summary_fields=(
            "account_name",
            "account_type",
            "industry",
            "website",
            "phone",
            "email",
            "bill_city",
            "assigned_to",
        ),
        related=(
            RelatedList(
                "accounts.Contact", "account", "Contacts", ("first_name", "last_name", "title", "email", "office_phone")
            ),
            RelatedList("accounts.Account", "parent", "Member Accounts", ("account_name", "bill_city", "phone")),
        ),
        menu_group="Sales & Marketing",
        number_prefix="ACC",
        title_field="account_name",
        search_fields=("account_name", "website", "phone", "email", "bill_city", "bill_country"),
        filter_fields=("account_type", "industry", "rating"),
        quick_create_fields=("website", "phone", "email"),
        hierarchy_field="parent",
        icon="building",
    )
)

registry.register(
    Module(
        name="contacts",
        model=Contact,
        list_fields=("first_name", "last_name", "title", "account", "email", "office_phone", "assigned_to"),
        blocks=(
            Block(
                "Contact Information",
                (
                    "salutation",
                    "first_name",
                    "last_name",
                    "number",
                    "account",
                    "title",
                    "department",
                    "lead_source",
                    "email",
                    "secondary_email",
                    "office_phone",
                    "mobile",
                    "home_phone",
                    "other_phone",
                    "fax",
                    "birthday",
                    "assistant",
                    "assistant_phone",
                    "reports_to",
                    "email_opt_out",
                    "do_not_call",
                    "assigned_to",
                ),
            ),
            Block("Mailing Address", MAILING_ADDRESS, is_address=True),
            Block("Other Address", OTHER_ADDRESS, is_address=True),
            Block("Description Information", ("description",)),
        ),
        summary_fields=(
            "first_name",
            "last_name",
            "account",
            "title",
            "email",
            "office_phone",
            "mobile",
            "assigned_to",
        ),
        related=(
            RelatedList(
                "accounts.Contact", "reports_to", "Direct Reports", ("first_name", "last_name", "title", "email")
            ),
        ),
        menu_group="Sales & Marketing",
        number_prefix="CON",
        title_field="last_name",
        search_fields=("first_name", "last_name", "email", "office_phone", "mobile", "title"),
        filter_fields=("lead_source",),
        quick_create_fields=("first_name", "account", "email", "office_phone"),
        hierarchy_field="reports_to",
        icon="person-vcard",
    )
)
