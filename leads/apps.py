from django.apps import AppConfig


class LeadsConfig(AppConfig):
    """Leads (the first phase of a customer relationship) and Convert Lead, which turns one into an account,
    a contact and a potential."""

    name = "leads"
    verbose_name = "Leads"

    def ready(self) -> None:
        from . import modules  # noqa: F401
