"""Create/edit forms of Accounts and Contacts: the fields, in the order the blocks show them."""

from django import forms

from secondcrm.records.forms import RecordForm

from .models import BILLING_ADDRESS, MAILING_ADDRESS, OTHER_ADDRESS, SHIPPING_ADDRESS, Account, Contact


class AccountForm(RecordForm):
    class Meta:
        model = Account
        fields = [
            "account_name",
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
            *BILLING_ADDRESS,
            *SHIPPING_ADDRESS,
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ContactForm(RecordForm):
    class Meta:
        model = Contact
        fields = [
            "salutation",
            "first_name",
            "last_name",
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
            *MAILING_ADDRESS,
            *OTHER_ADDRESS,
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "birthday": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
