"""The run of an import: the preview (a dry run over the whole file that writes nothing) and the real run, which
share every decision, so that the preview's counts are the run's.

The file is read in chunks of ``CHUNK_ROWS`` rows. For each chunk the rows are converted (the module's form fields,
built once; a chunk ahead, in a thread of its own, while the database stores the chunk before), their record links
and duplicates looked up (one query each), and each row gets its outcome: created, updated (Overwrite), merged,
skipped or failed. The real run then writes the chunk in one transaction with bulk inserts (COPY) and updates, the
Updates history, what undo needs, the failed rows, and the job's counters and ``rows_done``. It first locks the job
and checks that ``rows_done`` is where this runner expects it: a second runner (a task redelivered after its worker
died, or resumed by ``resume_stalled_imports``) finds the chunk done and stops, and one restarted after a crash skips
what was committed. So no row is ever imported twice."""

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from secondcrm.access.permissions import access_for
from secondcrm.records.changes import acting_as
from secondcrm.records.copying import copy_rows, insert_rows
from secondcrm.records.display import custom_field_display, model_field_raw_display
from secondcrm.records.history import custom_field_definitions, field_changes
from secondcrm.records.models import Record, Update
from secondcrm.records.numbering import reserve_record_numbers
from secondcrm.records.registry import Module, registry

from .ahead import ahead
from .conversion import BLANK, RowConverter, RowError
from .fields import ImportField, Kind, import_refusal, importable_fields, mapping_problems
from .matching import DuplicateFinder, LinkResolver
from .models import DuplicateMode, ImportedRecord, ImportFailure, ImportJob
from .reading import UnreadableFile, file_columns, read_rows

logger = logging.getLogger(__name__)

CHUNK_ROWS = 5000
PREVIEW_ROWS = 10
Status = ImportJob.Status
# The columns of the Updates entries and undo rows written with each chunk, as plain tuples.
HISTORY = ["content_type_id", "object_id", "at", "user_id", "action", "changes"]
UNDO = ["job_id", "module", "object_id", "action", "before"]


class ImportRefused(Exception):
    """The import cannot run (rights, mapping); ``str(error)`` tells the user why. Nothing was written."""


class Outcome:
    CREATED = "created"
    UPDATED = "updated"
    MERGED = "merged"
    SKIPPED = "skipped"
    FAILED = "failed"
    WRITTEN = (CREATED, UPDATED, MERGED)


@dataclass(eq=False)
class Row:
    """One data row of the file on its way through a chunk."""

    number: int
    cells: list[str]
    values: dict = field(default_factory=dict)
    outcome: str = ""
    # Why it failed, or why it was skipped when that was not the user's choice.
    reason: str = ""
    # The record it creates or changes (for a created one, not written yet).
    record: Record | None = None

    @property
    def failed(self) -> bool:
        return self.outcome == Outcome.FAILED

    def fail(self, reason: str) -> None:
        self.outcome, self.reason = Outcome.FAILED, reason


class NewRecords:
    """Makes the unsaved records of a chunk. ``Model()`` looks up each field's default by name, which costs more
    than the rest of a row's planning; these are made as Django makes the records it loads, from one value per
    field in order, the defaults found once. A default that a callable makes (``custom``'s dict) is made again for
    each record, never shared."""

    def __init__(self, model: type[Record]):
        fields = model._meta.concrete_fields
        self.model = model
        self.defaults = [field.get_default() for field in fields]
        self.fresh = [(f.attname, f.get_default) for f in fields if f.has_default() and callable(f.default)]

    def __call__(self) -> Record:
        record = self.model(*self.defaults)
        for attname, default in self.fresh:
            setattr(record, attname, default())
        return record


class ImportRun:
    """One pass over a job's file. ``plan(rows)`` decides each row's outcome without writing (and applies the
    values to the records in memory); ``write(rows)`` writes a planned chunk. Raises ImportRefused when the
    job's user may not import or its mapping cannot run."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.user = job.user
        self.module: Module = registry.get(job.module)
        self.model = self.module.model
        self.mode = job.duplicate_mode
        refusal = import_refusal(self.module, self.user, self.mode)
        if refusal:
            raise ImportRefused(refusal)
        fields = importable_fields(self.module, self.user)
        problems = mapping_problems(fields, job.mapping, self.mode, job.duplicate_fields)
        if problems:
            raise ImportRefused(" ".join(problems))
        self.width = len(job.columns) or len(file_columns(job))
        mapping = {column: name for column, name in job.mapping.items() if name}
        beyond = [int(column) + 1 for column in mapping if int(column) >= self.width]
        if beyond:
            raise ImportRefused(f"The file has no column {beyond[0]}: map only the file's columns.")
        self.mapped: dict[str, ImportField] = {name: fields[name] for _, name in sorted(mapping.items(), key=_index)}
        self.converter = RowConverter(fields, mapping, self.user, self.model)
        self.links = LinkResolver(
            [f for f in self.mapped.values() if f.kind == Kind.LINK],
            self.user,
            create_accounts=job.create_missing_accounts,
        )
        self.duplicates = None
        if self.mode != DuplicateMode.CREATE:
            self.duplicates = DuplicateFinder(self.model, [fields[name] for name in job.duplicate_fields], self.user)
        # A new record gets the default of each custom field no column fills, as the add form would offer it.
        self.custom_defaults = [
            (f, f.custom.default)
            for f in fields.values()
            if f.kind == Kind.CUSTOM and f.name not in self.mapped and f.custom.default not in (None, "", [])
        ]
        self.edits_anything = access_for(self.user).condition(self.model, "edit") is None
        self.new_record = NewRecords(self.model)
        self.counts: Counter = Counter()
        self.preview_rows: list[list[str]] = []
        self.preview_failures: list[list] = []
        self._pending: dict[tuple, Record] = {}

    # --- Reading -------------------------------------------------------------------------------------------
    def chunks(self, start: int = 0) -> Iterator[list[Row]]:
        """The file's data rows after the first ``start`` ones, in chunks, their cells converted. The next chunk is
        read and converted in a thread of its own while this one is planned and written, mostly waiting for the
        database."""
        return ahead(self._converted_chunks(start))

    def _converted_chunks(self, start: int) -> Iterator[list[Row]]:
        rows = (Row(number, cells) for number, cells in islice(read_rows(self.job), start, None))
        while chunk := list(islice(rows, CHUNK_ROWS)):
            for row in chunk:
                self._convert(row)
            yield chunk

    # --- Planning ------------------------------------------------------------------------------------------
    def plan(self, rows: list[Row]) -> None:
        """Decide the outcome of each row of a converted chunk and apply its values to its record in memory.
        Writes nothing."""
        self.links.resolve([row for row in rows if not row.failed])
        valid = [row for row in rows if not row.failed]
        keys, found, editable = {}, {}, set()
        if self.duplicates is not None:
            keys = {row: self.duplicates.key(row.values) for row in valid}
            found = self.duplicates.existing({key for key in keys.values() if key is not None})
            editable = self._editable([r for r in found.values() if r.pk not in self.duplicates.ours])
        self._pending = {}
        for row in valid:
            try:
                self._decide(row, keys.get(row), found, editable)
            except RowError as error:
                row.fail(str(error))
        for row in rows:
            self.counts[row.outcome] += 1
            self._remember_for_preview(row)

    def _convert(self, row: Row) -> None:
        cells = row.cells
        if len(cells) < self.width or any(cell.strip() for cell in cells[self.width :]):
            row.fail(f"This row has {len(cells)} columns where the file has {self.width}: check its delimiters.")
            return
        try:
            row.values = self.converter.convert(cells)
        except RowError as error:
            row.fail(str(error))

    def _editable(self, records: list[Record]) -> set[int]:
        """The ids among ``records`` the user may edit (one query, none when they may edit every record)."""
        if self.mode == DuplicateMode.SKIP or not records:
            return set()
        ids = [record.pk for record in records]
        if self.edits_anything:
            return set(ids)
        return set(self.model.objects.visible_to(self.user, "edit").filter(pk__in=ids).values_list("pk", flat=True))

    def _decide(self, row: Row, key: tuple | None, found: dict, editable: set[int]) -> None:
        target = None
        if key is not None:
            target = self._pending.get(key) or found.get(key)
            if target is None and key in self.duplicates.seen and self.duplicates.seen[key] is None:
                # A dry run's record from an earlier chunk: never written, so a stand-in takes the row's values.
                target = self.new_record()
        if target is None:
            record = self.new_record()
            self._assign(record, self._changes(record, row.values, DuplicateMode.CREATE))
            row.outcome, row.record = Outcome.CREATED, record
            if key is not None:
                self._pending[key] = record
                self.duplicates.remember(key, None)
            return
        if self.mode == DuplicateMode.SKIP:
            row.outcome = Outcome.SKIPPED
            return
        ours = target._state.adding or target.pk in self.duplicates.ours
        if not ours and target.pk not in editable:
            row.outcome = Outcome.SKIPPED
            row.reason = (
                f"Skipped: it duplicates {self.module.singular.lower()} {target.number}, which you may not edit."
            )
            return
        self._assign(target, self._changes(target, row.values, self.mode))
        row.outcome = Outcome.UPDATED if self.mode == DuplicateMode.OVERWRITE else Outcome.MERGED
        row.record = target
        self._pending[key] = target
        self.duplicates.remember(key, target.pk)

    def _changes(self, record: Record, values: dict, mode: str) -> list[tuple[ImportField, object]]:
        """The (field, value) pairs a row sets on ``record``: a new record takes every value (empty cells leave
        the default), Overwrite every value (empty cells empty the field), Merge only values for empty fields.
        Raises RowError (and sets nothing) when a mandatory field would be left empty."""
        changes = []
        for name, value in values.items():
            field = self.mapped[name]
            if value is BLANK:
                if mode == DuplicateMode.MERGE:
                    continue
                if field.mandatory:
                    raise RowError(f"{field.label}: a value is required.")
                if mode == DuplicateMode.CREATE or not _may_be_emptied(field):
                    continue
            elif mode == DuplicateMode.MERGE and not _is_empty(record, field):
                continue
            changes.append((field, value))
        if mode == DuplicateMode.CREATE:
            changes += self.custom_defaults
        return changes

    @staticmethod
    def _assign(record: Record, changes: list[tuple[ImportField, object]]) -> None:
        for target, value in changes:
            if target.kind == Kind.CUSTOM:
                if value is BLANK or value in (None, "", []):
                    record.custom.pop(target.name, None)
                else:
                    record.custom[target.name] = value
            elif target.kind == Kind.OWNER:
                is_group = isinstance(value, Group)
                record.assigned_user = None if is_group else value
                record.assigned_group = value if is_group else None
            elif value is BLANK:
                setattr(record, target.name, _empty_value(target.model_field))
            else:
                setattr(record, target.name, value)

    # --- Preview -------------------------------------------------------------------------------------------
    def _remember_for_preview(self, row: Row) -> None:
        if row.outcome in Outcome.WRITTEN and len(self.preview_rows) < PREVIEW_ROWS:
            self.preview_rows.append([self._display(row.record, field) for field in self.mapped.values()])
        if row.reason and len(self.preview_failures) < PREVIEW_ROWS:
            self.preview_failures.append([row.number, row.reason])

    def _display(self, record: Record, field: ImportField) -> str:
        if field.kind == Kind.CUSTOM:
            return custom_field_display(field.custom, record.custom.get(field.name))
        if field.kind == Kind.OWNER:
            return str(record.assigned_to or self.user)
        if field.kind == Kind.LINK:
            return str(getattr(record, field.name) or "")
        return model_field_raw_display(field.model_field, getattr(record, field.model_field.attname))

    def preview(self) -> dict:
        counts = {outcome: self.counts[outcome] for outcome in (*Outcome.WRITTEN, Outcome.SKIPPED, Outcome.FAILED)}
        return {
            "counts": counts,
            "headers": [field.label for field in self.mapped.values()],
            "rows": self.preview_rows,
            "failures": self.preview_failures,
        }

    # --- Writing -------------------------------------------------------------------------------------------
    def write(self, rows: list[Row]) -> None:
        """Write a planned chunk: new linked accounts, new records, changed records, and what undo needs."""
        created = _unique(row.record for row in rows if row.outcome == Outcome.CREATED)
        changes = (Outcome.UPDATED, Outcome.MERGED)
        changed = _unique(row.record for row in rows if row.outcome in changes and not row.record._state.adding)
        actions = {id(row.record): row.outcome for row in reversed(rows) if row.outcome in Outcome.WRITTEN}
        accounts = self.links.take_new()
        if accounts:
            self._create(type(accounts[0]).module, accounts)
            for record in created + changed:
                _sync_links(record)
        self._create(self.module, created)
        self._update(changed, actions)
        failures = [(self.job.pk, row.number, row.cells, row.reason) for row in rows if row.reason]
        copy_rows(ImportFailure, ["job_id", "row_number", "values", "reason"], failures)
        for key, record in self._pending.items():
            self.duplicates.remember(key, record.pk)

    def _create(self, module: Module, records: list[Record]) -> None:
        if not records:
            return
        numbers = reserve_record_numbers(module, len(records))
        user_id = self.user.pk
        for record, number in zip(records, numbers, strict=True):
            record.number = number
            record.created_by_id = record.modified_by_id = user_id
            if record.assigned_user_id is None and record.assigned_group_id is None:
                record.assigned_user_id = user_id
        model = module.model
        if _saves_plainly(model):
            insert_rows(model, records)
            content_type, now = ContentType.objects.get_for_model(model).pk, timezone.now()
            created = Update.Action.CREATED
            copy_rows(Update, HISTORY, [(content_type, r.pk, now, user_id, created, []) for r in records])
        else:
            for record in records:
                record.save()
        other = module.name if module.name != self.module.name else ""
        created = ImportedRecord.Action.CREATED
        copy_rows(ImportedRecord, UNDO, [(self.job.pk, other, r.pk, created, None) for r in records])

    def _update(self, records: list[Record], actions: dict[int, str]) -> None:
        """Write the changed records (only those whose values changed), each with an Updates entry listing its
        changes and, for undo, its values before."""
        befores, names = {}, set()
        for record in records:
            before = _before(record)
            if before:
                befores[record.pk] = before
                names |= {self.model._meta.get_field(attname).name for attname in before}
        records = [record for record in records if record.pk in befores]
        if not records:
            return
        if _saves_plainly(self.model):
            content_type, now, user_id = ContentType.objects.get_for_model(self.model).pk, timezone.now(), self.user.pk
            updated = Update.Action.UPDATED
            definitions = custom_field_definitions(self.model.module)
            history = [(content_type, r.pk, now, user_id, updated, field_changes(r, definitions)) for r in records]
            for record in records:
                record.modified_by, record.modified_at = self.user, now
            self.model.objects.bulk_update(records, sorted(names | {"modified_by", "modified_at"}))
            copy_rows(Update, HISTORY, history)
        else:
            for record in records:
                record.save()
        copy_rows(ImportedRecord, UNDO, [(self.job.pk, "", r.pk, actions[id(r)], befores[r.pk]) for r in records])

    def commit(self, rows: list[Row], start: int) -> bool:
        """Plan and write a chunk that starts after ``start`` rows, in one transaction with the job's progress.
        False (nothing written) when the job is no longer running or another runner has done this chunk."""
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=self.job.pk)
            if job.status != Status.RUNNING or job.rows_done != start:
                return False
            before = self.counts.copy()
            self.plan(rows)
            self.write(rows)
            done = self.counts - before
            ImportJob.objects.filter(pk=job.pk).update(
                rows_done=F("rows_done") + len(rows),
                created_count=F("created_count") + done[Outcome.CREATED],
                updated_count=F("updated_count") + done[Outcome.UPDATED],
                merged_count=F("merged_count") + done[Outcome.MERGED],
                skipped_count=F("skipped_count") + done[Outcome.SKIPPED],
                failed_count=F("failed_count") + done[Outcome.FAILED],
                heartbeat_at=timezone.now(),
            )
        return True


def import_preview(*, job: ImportJob) -> None:
    """The dry run behind the preview: counts, the first rows as they would be saved and the first failures, in
    ``job.preview``; then the job is ready. A job that left the preview meanwhile is left alone."""
    previewing = ImportJob.objects.filter(pk=job.pk, status=Status.PREVIEWING)
    try:
        with acting_as(job.user):
            run = ImportRun(job)
            total = 0
            for rows in run.chunks():
                run.plan(rows)
                total += len(rows)
                if not previewing.update(heartbeat_at=timezone.now()):
                    return
    except (ImportRefused, UnreadableFile) as error:
        previewing.update(status=Status.FAILED, error=str(error))
        return
    except Exception:
        logger.exception("The preview of import %s failed.", job.pk)
        previewing.update(status=Status.FAILED, error="The preview stopped on an unexpected error.")
        return
    previewing.update(status=Status.READY, total_rows=total, preview=run.preview(), error="")


def import_run(*, job: ImportJob) -> None:
    """Run (or resume) a queued import: each chunk after the committed ones, then the job is done. A job that is
    not queued or running, or whose chunk another runner committed first, is left to that runner."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job.pk, status__in=[Status.QUEUED, Status.RUNNING])
    if not claimed.update(status=Status.RUNNING, heartbeat_at=now):
        return
    ImportJob.objects.filter(pk=job.pk, started_at__isnull=True).update(started_at=now)
    job.refresh_from_db()
    try:
        with acting_as(job.user):
            run = ImportRun(job)
            position = job.rows_done
            for rows in run.chunks(start=position):
                if not run.commit(rows, position):
                    return
                position += len(rows)
    except (ImportRefused, UnreadableFile) as error:
        _stop(job, Status.FAILED, str(error))
        return
    except Exception:
        logger.exception("Import %s failed.", job.pk)
        _stop(job, Status.FAILED, "The import stopped on an unexpected error. The rows imported before it stay.")
        return
    _stop(job, Status.DONE)


def _stop(job: ImportJob, status: str, error: str = "") -> None:
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != Status.RUNNING:
            return
        locked.status, locked.error, locked.finished_at = status, error, timezone.now()
        if status == Status.DONE:
            locked.total_rows = locked.rows_done
        locked.save(update_fields=["status", "error", "finished_at", "total_rows"])


# --- Helpers ---------------------------------------------------------------------------------------------------
def _index(item: tuple[str, str]) -> int:
    return int(item[0])


def _unique(records: Iterable[Record]) -> list[Record]:
    return list({id(record): record for record in records}.values())


def _saves_plainly(model) -> bool:
    """Whether the model leaves saving to Record.save, so that bulk writes do what saving one by one would. A
    model with rules of its own in save() (a potential's probability following its stage) is saved one by one."""
    return model.save is Record.save


def _may_be_emptied(field: ImportField) -> bool:
    """Whether Overwrite may empty the field: not the owner, not a field that must hold a value (like a
    potential's currency, which has a default instead)."""
    if field.kind == Kind.CUSTOM:
        return True
    if field.kind == Kind.OWNER:
        return False
    return field.model_field.null if field.kind == Kind.LINK else field.model_field.blank


def _is_empty(record: Record, field: ImportField) -> bool:
    """Whether Merge may fill the field (an unticked checkbox counts as empty)."""
    if field.kind == Kind.CUSTOM:
        return record.custom.get(field.name) in (None, "", [])
    if field.kind == Kind.OWNER:
        return False
    model_field = field.model_field
    if field.kind == Kind.LINK:
        return getattr(record, model_field.attname) is None and model_field.get_cached_value(record, None) is None
    return getattr(record, model_field.attname) in (None, "", False)


def _empty_value(model_field: models.Field):
    if isinstance(model_field, models.BooleanField):
        return False
    return None if model_field.null else ""


def _sync_links(record: Record) -> None:
    """Point foreign keys at linked records written in this chunk (an account created for the row)."""
    for model_field in record._meta.concrete_fields:
        if model_field.many_to_one:
            linked = model_field.get_cached_value(record, None)
            if linked is not None and getattr(record, model_field.attname) != linked.pk:
                setattr(record, model_field.attname, linked.pk)


def _before(record: Record) -> dict:
    """The values the record had when loaded, for the fields that changed since (custom values by key), as JSON."""
    loaded = record._loaded
    before = {}
    for model_field in record._meta.concrete_fields:
        attname = model_field.attname
        if attname != "custom" and attname in loaded and loaded[attname] != getattr(record, attname):
            before[attname] = _as_json(loaded[attname])
    old, new = loaded.get("custom") or {}, record.custom
    custom = {key: old.get(key) for key in set(old) | set(new) if old.get(key) != new.get(key)}
    if custom:
        before["custom"] = custom
    return before


def _as_json(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
