"""Generate a CRM's worth of related records, and remove them again.

At scale 1: 200,000 accounts, 500,000 contacts at them, 300,000 potentials with them, 1,000,000 leads, 500,000
comments and an Updates history of 2,700,000 entries (every record's creation, 700,000 status and stage
changes), owned by the 50 users of ``team``. Records take their numbers from their module's sequence, which
then continues after them, and are written with COPY in one transaction: a failed run leaves only the team and
a gap in the numbering. While it runs, the tables it writes are locked (their indexes are rebuilt at the end when
that is quicker). Everything the team owns is what ``clear_data`` removes."""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from itertools import chain

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from secondcrm.records.copying import reserve_ids
from secondcrm.records.display import field_label
from secondcrm.records.models import Comment, Update
from secondcrm.records.numbering import reserve_record_numbers
from secondcrm.records.registry import registry

from . import makers
from .bulk import build_indexes, copy_rows, drop_indexes_for_load
from .team import Team, build_team, generated_users, remove_team


@dataclass(frozen=True)
class Volumes:
    """How many of each to generate; ``changes`` are "updated" history entries besides each record's
    "created" one."""

    accounts: int = 0
    contacts: int = 0
    potentials: int = 0
    leads: int = 0
    comments: int = 0
    changes: int = 0

    @classmethod
    def at_scale(cls, scale: float) -> "Volumes":
        """The volumes of scale 1 (issue 7's mix) times ``scale``: 0.01 is a tenth of a percent of a million."""
        if scale <= 0:
            raise ValueError("The scale must be above 0.")
        return cls(**{f.name: round(getattr(SCALE_1, f.name) * scale) for f in fields(cls)})

    @property
    def records(self) -> int:
        return self.accounts + self.contacts + self.potentials + self.leads


SCALE_1 = Volumes(
    accounts=200_000, contacts=500_000, potentials=300_000, leads=1_000_000, comments=500_000, changes=700_000
)


def generate_data(
    volumes: Volumes, *, seed: int = 1, now: datetime | None = None, report: Callable[[str], None] = print
) -> Team:
    """Write ``volumes`` of records owned by the generated team (created if missing) and return the team.
    The same seed and ``now`` (the time the records' history ends at; the current time when None) give the
    same rows."""
    if volumes.potentials and not volumes.accounts:
        raise ValueError("Potentials belong to accounts: generate some accounts with them.")
    now = now or timezone.now()
    started = time.perf_counter()
    team = build_team(seed)
    users = team.users
    owner_ids = [user.pk for user in users]
    report(f"Team of {len(users)} users ready in {time.perf_counter() - started:.1f} s")

    def maker(name: str, count: int) -> makers.RowMaker:
        module = registry.get(name)
        numbers = reserve_record_numbers(module, count) if count else []
        return makers.RowMaker(module, seed=seed, now=now, team=users, numbers=numbers)

    # Numbers first, each module's in a short transaction of its own: people may create records meanwhile.
    account_maker, contact_maker = maker("accounts", volumes.accounts), maker("contacts", volumes.contacts)
    potential_maker, lead_maker = maker("potentials", volumes.potentials), maker("leads", volumes.leads)

    with transaction.atomic():
        accounts = _write(account_maker, volumes.accounts, report, lambda w: makers.accounts(account_maker, w))
        contacts = _write(
            contact_maker, volumes.contacts, report, lambda w: makers.contacts(contact_maker, w, accounts)
        )
        stages = _sales_stages()
        potentials = _write(
            potential_maker,
            volumes.potentials,
            report,
            lambda w: makers.potentials(potential_maker, w, accounts, contacts, stages),
        )
        leads = _write(lead_maker, volumes.leads, report, lambda w: makers.leads(lead_maker, w))

        written = [(records, _content_type(records)) for records in (accounts, contacts, potentials, leads)]
        comments = makers.comments(seed=seed, now=now, count=volumes.comments, written=written, owner_ids=owner_ids)
        _load(report, "comments", Comment, volumes.comments, comments)
        tracked = [
            _tracked(potentials, "sales_stage", list(stages)),
            _tracked(leads, "lead_status", makers.picklist("leads", "lead_status")),
        ]
        history = chain(
            makers.creations(now=now, written=written, owner_ids=owner_ids),
            makers.changes(seed=seed, now=now, count=volumes.changes, tracked=tracked, owner_ids=owner_ids),
        )
        _load(report, "updates history", Update, volumes.records + volumes.changes, history)
    _timed(report, "statistics", lambda: _analyze([records.module.model for records, _ in written] + [Comment, Update]))
    report(f"Generated {volumes.records:,} records in {time.perf_counter() - started:.1f} s")
    return team


def clear_data(report: Callable[[str], None] = print) -> int:
    """Remove every record the generated team owns, with its comments and history, then the team: how many
    records went. Refused, with nothing removed, if a record not generated refers to a generated one."""
    owners = list(generated_users().values_list("pk", flat=True))
    removed = {}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for module in registry:
            table = connection.ops.quote_name(module.model._meta.db_table)
            owned = f"SELECT id FROM {table} WHERE assigned_user_id = ANY(%s)"
            content_type = ContentType.objects.get_for_model(module.model).pk
            for attachment in (Comment, Update):
                cursor.execute(
                    f"DELETE FROM {attachment._meta.db_table} WHERE content_type_id = %s AND object_id IN ({owned})",
                    [content_type, owners],
                )
            cursor.execute(f"DELETE FROM {table} WHERE assigned_user_id = ANY(%s)", [owners])
            removed[module.label.lower()] = cursor.rowcount
        remove_team()
        # Check now, not at the commit of an outer transaction, that no remaining row refers to a removed one.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for label, count in removed.items():
        if count:
            report(f"Removed {count:,} {label}")
    total = sum(removed.values())
    report(f"Removed {total:,} generated records and their team in {time.perf_counter() - started:.1f} s")
    return total


def _write(maker: makers.RowMaker, count: int, report, rows) -> makers.Written:
    """Write ``count`` records of ``maker``'s module with the rows ``rows(written)`` yields."""
    written = makers.Written(maker.module, reserve_ids(maker.module.model, count))
    _load(report, maker.module.label.lower(), maker.module.model, count, rows(written))
    return written


def _load(report, label: str, model, count: int, rows: Iterable[dict]) -> None:
    """Copy about ``count`` ``rows`` into ``model``'s table; its indexes are built afterwards when that is quicker."""
    if not count:
        return
    indexes = drop_indexes_for_load(model, count)
    _timed(report, label, lambda: copy_rows(model, rows))
    if indexes:
        _timed(report, f"{label}: {len(indexes)} indexes built", lambda: build_indexes(indexes))


def _timed(report, what: str, action: Callable[[], int | None]) -> None:
    started = time.perf_counter()
    count = action()
    seconds = time.perf_counter() - started
    rate = f" ({count / seconds:,.0f} a second)" if count and seconds else ""
    report(f"{what}: {f'{count:,} rows ' if count is not None else ''}in {seconds:.1f} s{rate}")


def _content_type(records: makers.Written) -> int:
    return ContentType.objects.get_for_model(records.module.model).pk


def _tracked(records: makers.Written, name: str, values: list[str]) -> makers.Tracked:
    label = field_label(records.module.model._meta.get_field(name))
    return makers.Tracked(records, _content_type(records), name, label, values)


def _sales_stages() -> dict:
    """The sales stages in pipeline order, each with the probability a potential entering it gets."""
    probabilities = apps.get_model("potentials", "SalesStageProbability").objects.values_list("stage", "probability")
    by_stage = {stage.lower(): probability for stage, probability in probabilities}
    return {stage: by_stage.get(stage.lower()) for stage in makers.picklist("potentials", "sales_stage")}


def _analyze(models: list) -> None:
    """Fresh planner statistics for the tables written; vacuumed too (for index-only scans) unless inside a
    transaction, where VACUUM cannot run."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
