"""Finding the records a chunk of rows refers to, with one query per question and chunk: the records that record
links name (a contact's account), and the records that rows duplicate.

Both look only among records the importing user may see, and both remember what this run created, so that rows
of one file that name or duplicate each other agree whether or not the earlier row has been written yet (a dry
run never writes it)."""

from django.db.models import CharField, F, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Lower

from secondcrm.access.permissions import access_for
from secondcrm.records.models import Record

from .conversion import BLANK, RowError
from .fields import ACCOUNTS, ImportField, Kind


class LinkResolver:
    """Replaces the title a link column holds ("Acme Ltd") with the visible record of that title, the oldest if
    several share it. A missing account is created when ``create_accounts`` is on and the user may create
    accounts: owned by them, numbered when written; ``new`` holds those not written yet."""

    def __init__(self, fields: list[ImportField], user, *, create_accounts: bool):
        self.fields = fields
        self.user = user
        self.create_accounts = create_accounts
        self.may_create = access_for(user).can(ACCOUNTS, "create")
        self.created: dict[tuple[str, str], Record] = {}
        self.new: list[Record] = []

    def resolve(self, rows) -> None:
        """Put the linked record in each row's values; a row naming a record that cannot be found fails."""
        for field in self.fields:
            target = field.link
            titles = (row.values[field.name] for row in rows if not row.failed)
            wanted = {title.lower() for title in titles if title is not BLANK}
            if not wanted:
                continue
            records = target.model.objects.visible_to(self.user, "view").annotate(_title=Lower(target.title_field))
            found: dict[str, Record] = {}
            for record in records.filter(_title__in=wanted).order_by("pk"):
                found.setdefault(record._title, record)
            for row in rows:
                if row.failed or row.values[field.name] is BLANK:
                    continue
                title = row.values[field.name]
                try:
                    row.values[field.name] = found.get(title.lower()) or self._created(field, title)
                except RowError as error:
                    row.fail(str(error))

    def _created(self, field: ImportField, title: str) -> Record:
        target = field.link
        key = (target.name, title.lower())
        if key in self.created:
            return self.created[key]
        singular = target.singular.lower()
        if target.name != ACCOUNTS or not self.create_accounts:
            raise RowError(f'{field.label}: there is no {singular} called "{title}" that you can see.')
        if not self.may_create:
            raise RowError(f'{field.label}: there is no {singular} called "{title}", and you may not create accounts.')
        title_field = target.model._meta.get_field(target.title_field)
        if title_field.max_length and len(title) > title_field.max_length:
            raise RowError(f"{field.label}: a {singular} name has at most {title_field.max_length} characters.")
        record = target.model(**{target.title_field: title}, assigned_user=self.user)
        self.created[key] = record
        self.new.append(record)
        return record

    def take_new(self) -> list[Record]:
        """The records created since the last call, to be written before the rows that link to them."""
        new, self.new = self.new, []
        return new


class DuplicateFinder:
    """The record a row duplicates: one with the same values in the chosen fields (text in any case), among
    the records the user may see or those this run created or changed. A row with an empty value in one of the
    chosen fields duplicates nothing."""

    def __init__(self, model, fields: list[ImportField], user):
        self.model = model
        self.fields = fields
        self.user = user
        # Keys of the records this run created or changed: their id, or None until written (never, in a dry run).
        self.seen: dict[tuple, int | None] = {}
        self.ours: set[int] = set()

    def remember(self, key: tuple, pk: int | None) -> None:
        self.seen[key] = pk
        if pk is not None:
            self.ours.add(pk)

    def key(self, values: dict) -> tuple | None:
        parts = []
        for field in self.fields:
            value = values.get(field.name, BLANK)
            if value is BLANK or value in ("", None):
                return None
            parts.append(_comparable(field, value))
        return tuple(parts)

    def record_key(self, record: Record) -> tuple | None:
        return self.key({field.name: _stored(record, field) for field in self.fields})

    def existing(self, keys: set[tuple]) -> dict[tuple, Record]:
        """The oldest visible record of each key (one query), and the records this run wrote under those keys."""
        if not keys:
            return {}
        condition = Q()
        for index, field in enumerate(self.fields):
            condition &= Q(**{f"{_lookup(field)}__in": {key[index] for key in keys}})
        visible = self.model.objects.visible_to(self.user, "view").order_by()
        records = visible.alias(**_aliases(self.fields)).filter(condition)
        ours = [self.seen[key] for key in keys if self.seen.get(key) is not None]
        if ours:
            # A query of its own: OR-ed into the one above, it would keep PostgreSQL from the index on the fields
            # (a Lower(email) index) whatever the table's size, and read the whole table for every chunk.
            records = records.union(visible.filter(pk__in=ours))
        found: dict[tuple, Record] = {}
        for record in records.order_by("pk"):
            key = self.record_key(record)
            if key in keys:
                found.setdefault(key, record)
        return found


def _stored(record: Record, field: ImportField):
    if field.kind == Kind.CUSTOM:
        return record.custom.get(field.name)
    return getattr(record, field.model_field.attname)


def _comparable(field: ImportField, value):
    """What a value is compared as: text in lower case (a custom value as the text its JSON holds), other model
    values (numbers, dates) as they are."""
    if field.kind == Kind.CUSTOM or isinstance(value, str):
        return str(value).strip().lower()
    return value


def _lookup(field: ImportField) -> str:
    return f"_dup_{field.name}"


def _aliases(fields: list[ImportField]) -> dict:
    """The expression each chosen field is compared with: lower-cased text (which a Lower(email) index answers),
    a custom value as text, other columns as they are."""
    aliases = {}
    for field in fields:
        if field.kind == Kind.CUSTOM:
            aliases[_lookup(field)] = Lower(KT(f"custom__{field.name}"))
        elif isinstance(field.model_field, CharField):
            aliases[_lookup(field)] = Lower(field.model_field.name)
        else:
            aliases[_lookup(field)] = F(field.model_field.name)
    return aliases
