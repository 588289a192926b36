"""Migration operations every module's app uses for what its record tables need beyond the model state."""

from django.db import migrations


def custom_values_index(app_label: str, model_name: str) -> migrations.RunPython:
    """A GIN index on the record table's ``custom`` JSON, so that filtering on a custom field value
    (``custom @> '{"cf_region": "North"}'``) stays indexed. PostgreSQL only: the embedded SQLite default has
    no GIN indexes, and its small databases need none."""
    index = f"{app_label}_{model_name}_custom_gin"

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = apps.get_model(app_label, model_name)._meta.db_table
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" USING gin ("custom" jsonb_path_ops)'
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')

    return migrations.RunPython(create, drop)
