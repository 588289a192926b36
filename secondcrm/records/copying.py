"""Inserting thousands of new rows at once: ``bulk_create`` by PostgreSQL's COPY.

An import writes chunks of records with their Updates entries and undo rows. Django's ``bulk_create`` builds one
INSERT with every value bound as a parameter, which costs several times what PostgreSQL spends storing the rows;
COPY streams them instead. ``insert_rows`` writes model instances that need their ids afterwards: COPY returns
nothing, so the ids are taken from the table's sequence first and written with the rows. ``copy_rows`` writes
plain tuples whose ids nobody needs (history, undo rows), without building an instance for each. Other databases
(the embedded default's SQLite) get ``bulk_create``."""

import json
from collections.abc import Iterable, Sequence
from operator import attrgetter

from django.db import DEFAULT_DB_ALIAS, connections, models

# Fields whose Python values PostgreSQL's driver writes as they are: preparing them for the database (a method call
# per value, most of the time spent) would change nothing. Every other field is prepared as a save prepares it.
AS_THEY_ARE = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.DecimalField,
    models.DateField,
    models.ForeignKey,
)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new ids of ``model``'s table, from its identity sequence: ids nobody else will be given, so rows
    written later in the same COPY (or another) can refer to them."""
    if count == 0:
        return []
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_rows(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert the unsaved ``objects`` of ``model`` and give them their ids, as ``bulk_create`` would: model
    defaults are the instances' own, and fields like ``auto_now_add`` take their value on the way in (one value
    for the whole batch, written at one moment)."""
    if not objects:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects)
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    for field in fields:
        if _is_timestamp(field):
            moment = field.pre_save(objects[0], True)
            for instance in objects:
                setattr(instance, field.attname, moment)
    # Most values are read with one call per instance; the few that need preparing follow them.
    plain = [field for field in fields if _as_it_is(field)]
    prepared = [field for field in fields if not _as_it_is(field)]
    read_plain = _values_getter([field.attname for field in plain])
    preparers = [_preparer(field, connection) for field in prepared]
    ids = reserve_ids(model, len(objects))
    rows = (
        (pk, *read_plain(instance), *(prepare(instance) for prepare in preparers))
        for instance, pk in zip(objects, ids, strict=True)
    )
    _copy(connection, model, [meta.pk, *plain, *prepared], rows)
    for instance, pk in zip(objects, ids, strict=True):
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = connection.alias


def copy_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert ``rows`` of plain values into ``model``'s table: each a tuple of the values of the fields ``names``
    names (attnames: ``user_id``), in that order, as the model would hold them (JSON as Python values). The ids
    come from the table's sequence; a field left out gets no default from Django, so every field without one in
    the database must be named, ``auto_now_add`` times included."""
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    if connection.vendor != "postgresql":
        attnames = [field.attname for field in fields]
        model.objects.bulk_create([model(**dict(zip(attnames, row, strict=True))) for row in rows])
        return
    json_at = [index for index, field in enumerate(fields) if isinstance(field, models.JSONField)]
    if json_at:
        encoders = {index: fields[index].encoder for index in json_at}
        rows = (_with_json(row, encoders) for row in rows)
    _copy(connection, model, fields, rows)


def _copy(connection, model: type[models.Model], fields: list[models.Field], rows: Iterable[Sequence]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _with_json(row: Sequence, encoders: dict) -> list:
    """The row with its JSON values as the text COPY takes (SQL NULL stays NULL)."""
    row = list(row)
    for index, encoder in encoders.items():
        if row[index] is not None:
            row[index] = json.dumps(row[index], cls=encoder)
    return row


def _is_timestamp(field: models.Field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _as_it_is(field: models.Field) -> bool:
    """Whether the instance holds the value to write: the driver takes it as it is, and ``pre_save`` has nothing
    to compute (timestamps were set beforehand, and a date field's ``pre_save`` computes only those)."""
    computes = type(field).pre_save is not models.Field.pre_save and not isinstance(field, models.DateField)
    return isinstance(field, AS_THEY_ARE) and not computes


def _values_getter(attnames: list[str]):
    """A function giving an instance's values of ``attnames`` as a tuple, in one call."""
    if len(attnames) == 1:
        name = attnames[0]
        return lambda instance: (getattr(instance, name),)
    return attrgetter(*attnames) if attnames else lambda instance: ()


def _preparer(field: models.Field, connection):
    """The value to write for an instance of a field the driver does not take as it is (JSON), or whose
    ``pre_save`` computes it (a file's name): what a save would write."""
    return lambda instance: field.get_db_prep_save(field.pre_save(instance, True), connection)
