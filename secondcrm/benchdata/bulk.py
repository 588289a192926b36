"""Writing rows by the hundred thousand: PostgreSQL COPY of plain rows (ids come from
``secondcrm.records.copying.reserve_ids``), and nothing else (no save(), no signals, no per-row round trip)."""

from collections.abc import Iterable
from itertools import chain

from django.db import connection, models

from secondcrm.records.copying import copy_rows as insert_plain_rows


def copy_rows(model: type[models.Model], rows: Iterable[dict]) -> int:
    """Write ``rows`` (column → value, every row with the same columns in the same order) into ``model``'s table
    with one COPY. A column the rows leave out gets what an empty form stores: NULL where allowed, else the field's
    default or ''. JSON columns take Python values. Returns how many rows were written."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    fields = {field.column: field for field in model._meta.concrete_fields}
    given = list(first)
    filled = [column for column in fields if column not in first and not fields[column].primary_key]
    filler = tuple(_empty_value(fields[column]) for column in filled)
    written = 0

    def values():
        nonlocal written
        for row in chain([first], rows):
            written += 1
            yield (*row.values(), *filler)

    insert_plain_rows(model, [fields[column].attname for column in given + filled], values())
    return written


def _empty_value(field: models.Field):
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    if field.empty_strings_allowed:
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} is required and was not given.")


def drop_indexes_for_load(model: type[models.Model], adding: int) -> list[str]:
    """Before a load of ``adding`` rows into ``model``'s table: when they are at least as many as the rows there,
    drop the table's indexes (but those of its primary key and unique constraints) and return their definitions,
    for ``build_indexes`` to run after the load, as pg_restore does. Building an index over a million rows at
    once takes a fraction of the time of updating it row by row, a trigram index most of all. Call it inside a
    transaction, so that a failed load gets the indexes back; the table stays locked until it commits."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        if adding < cursor.fetchone()[0]:
            return []
        cursor.execute(
            """SELECT index.indexrelid::regclass::text, pg_get_indexdef(index.indexrelid)
            FROM pg_index index
            WHERE index.indrelid = %s::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE pg_constraint.conindid = index.indexrelid)""",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes]


def build_indexes(definitions: list[str]) -> None:
    with connection.cursor() as cursor:
        # CREATE INDEX refuses a table with foreign key checks pending: run them now, and defer again after,
        # as Django's constraints are.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for definition in definitions:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
