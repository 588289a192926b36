from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The Content Library: files and external links in folders, attached to any record."""

    name = "secondcrm.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from . import modules, signals  # noqa: F401
