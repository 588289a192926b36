from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Import of CSV and Excel files into any module: the wizard, the background run, and undo."""

    name = "secondcrm.imports"
    label = "imports"
    verbose_name = "Imports"
