from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Customers: Accounts (organizations) and their Contacts (people)."""

    name = "accounts"
    verbose_name = "Customers"

    def ready(self) -> None:
        from . import modules  # noqa: F401
