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


def search_indexes(app_label: str, model_name: str, fields: tuple[str, ...]) -> migrations.RunPython:
    """Indexes for searching a record table as Django's ``icontains`` and ``iexact`` do on PostgreSQL
    (``UPPER("column"::text) LIKE UPPER('%text%')``; see ``secondcrm.records.filters``): a trigram GIN index on the
    upper-cased text of each of ``fields`` and of the custom values, and a B-tree on the upper-cased record number.
    Each matches the expression of its condition exactly, or PostgreSQL could not use it. PostgreSQL only: the
    embedded SQLite default scans its small tables. The pg_trgm extension is created when missing and left in
    place when the migration is reversed, since other tables' indexes may use it."""
    expressions = {f"{field}_trgm": f'UPPER("{field}"::text) gin_trgm_ops' for field in fields}
    expressions["custom_trgm"] = 'UPPER("custom"::text) gin_trgm_ops'
    names = [f"{app_label}_{model_name}_{suffix}" for suffix in [*expressions, "number_upper"]]

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model(app_label, model_name)._meta.db_table
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for suffix, expression in expressions.items():
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{app_label}_{model_name}_{suffix}" ON "{table}" USING gin ({expression})'
            )
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{app_label}_{model_name}_number_upper" ON "{table}" (UPPER("number"::text))'
        )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name in names:
                schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop)
