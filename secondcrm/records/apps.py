from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """The record platform: base model, module registry, generic pages, comments, updates, tags."""

    name = "secondcrm.records"
    label = "records"
    verbose_name = "Records"

    def ready(self) -> None:
        from . import panels  # noqa: F401  (comments and updates panels on every record)
