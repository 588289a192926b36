from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Users, roles and login history: the one place that answers who may do what."""

    name = "secondcrm.access"
    label = "access"
    verbose_name = "Access control"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login history, access cache)
