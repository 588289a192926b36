from django.apps import AppConfig


class BenchdataConfig(AppConfig):
    """The ``generate_data`` command: realistic, related records by the million, for benchmarks and demos."""

    name = "secondcrm.benchdata"
    label = "benchdata"
    verbose_name = "Generated data"
