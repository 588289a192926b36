"""Inserting thousands of new rows at once: ``bulk_create`` by PostgreSQL's COPY.

An import writes chunks of records with their Updates entries and undo rows. Django's ``bulk_create`` builds one
INSERT with every value bound as a parameter, which costs several times what PostgreSQL spends storing the rows;
COPY streams them instead. COPY returns nothing, so the ids are taken from the table's sequence first and written
with the rows. Other databases (the embedded default's SQLite) get ``bulk_create``."""

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
    defaults are the instances' own, and fields like ``auto_now_add`` take their value on the way in."""
    if not objects:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects)
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    readers = [_reader(field, connection) for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in [meta.pk, *fields])
    ids = reserve_ids(model, len(objects))
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for instance, pk in zip(objects, ids, strict=True):
            copy.write_row([pk, *(read(instance) for read in readers)])
            instance.pk = pk
            instance._state.adding = False
            instance._state.db = connection.alias


def _reader(field: models.Field, connection):
    """How to read the value ``field`` stores for an instance: what ``pre_save`` gives (an ``auto_now`` time,
    a file's name), prepared for the database unless the driver takes it as it is."""
    attname = field.attname
    computed = type(field).pre_save is not models.Field.pre_save
    plain = isinstance(field, AS_THEY_ARE)
    if plain and not computed:
        return attrgetter(attname)
    if plain:
        return lambda instance: field.pre_save(instance, True)
    return lambda instance: field.get_db_prep_save(field.pre_save(instance, True), connection)
