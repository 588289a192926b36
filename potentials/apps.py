from django.apps import AppConfig


class PotentialsConfig(AppConfig):
    """Sales: Potentials (the deals being worked on with an account) and the pipeline board."""

    name = "potentials"
    verbose_name = "Sales"

    def ready(self) -> None:
        from . import modules  # noqa: F401
