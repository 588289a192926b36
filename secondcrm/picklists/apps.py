from django.apps import AppConfig


class PicklistsConfig(AppConfig):
    """Picklists: the values of every picklist field (standard and custom), their order, and which roles may
    pick them. Settings > Picklist Editor changes them; record forms and list filters offer them."""

    name = "secondcrm.picklists"
    label = "picklists"
    verbose_name = "Picklists"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (new roles get values; custom picklists bring their values)
