from django.apps import AppConfig


class CompanyConfig(AppConfig):
    """Company Details (Settings): the companies whose name, address and logo head the documents the CRM
    prints, such as PDF exports now and quotes and invoices later."""

    name = "secondcrm.company"
    label = "company"
    verbose_name = "Company Details"
