"""What every benchmark measures and how it is reported: median and 95th percentile of a page served through the
Django test client (server time, templates included), the same work done by raw SQL on the same data (the
physical limit of this machine), and their ratio. ``make bench`` writes every figure to ``bench/results.md``
with a description of the machine, so that figures from two machines are never compared unknowingly."""

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import django
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from secondcrm.records.tables import CappedPaginator

RESULTS_FILE = Path(__file__).resolve().parents[2] / "bench" / "results.md"
RUNS = 15


@dataclass
class Timing:
    median_ms: float
    p95_ms: float

    @classmethod
    def of(cls, samples_ms: list[float]) -> "Timing":
        p95 = statistics.quantiles(samples_ms, n=20)[-1] if len(samples_ms) > 1 else samples_ms[0]
        return cls(statistics.median(samples_ms), p95)


@dataclass
class PageTiming(Timing):
    queries: int
    slowest_sql: str
    slowest_ms: float


@dataclass
class Figure:
    """One line of the results: what was measured, its timing, and the raw-SQL figure it is compared with."""

    bench: str
    case: str
    timing: Timing
    raw: Timing | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.raw is None or self.raw.median_ms <= 0:
            return None
        return self.timing.median_ms / self.raw.median_ms


def repeat(action: Callable[[], object], runs: int = RUNS) -> list[float]:
    """Milliseconds of ``runs`` calls of ``action``, after one call that warms the caches."""
    action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def page_timing(client, url: str, runs: int = RUNS) -> PageTiming:
    """A page's server time through the test client, its query count and its slowest query (of the last run)."""

    def get():
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"

    samples = repeat(get, runs - 1)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        get()
        samples.append((time.perf_counter() - start) * 1000)
    slowest = max(queries.captured_queries, key=lambda query: float(query["time"]))
    timing = Timing.of(samples)
    return PageTiming(timing.median_ms, timing.p95_ms, len(queries), slowest["sql"], float(slowest["time"]) * 1000)


def sql_timing(*statements: str | tuple[str, list], runs: int = RUNS) -> Timing:
    """The same work as a page's, as raw SQL statements (text, or text and parameters) fetched with a cursor: the
    limit no ORM or template can beat."""

    def run():
        with connection.cursor() as cursor:
            for statement in statements:
                sql, params = (statement, []) if isinstance(statement, str) else statement
                cursor.execute(sql, params)
                cursor.fetchall()

    return Timing.of(repeat(run, runs))


def explain(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def explain_captured(sql: str) -> str:
    """EXPLAIN ANALYZE of a query as the test client captured it, its parameters written in: a % in it is text."""
    return explain(sql.replace("%", "%%"))


def list_sql(
    model, owners: list[int] | None, order: str, where: str = "", params=(), offset: int = 0, per_page: int = 20
) -> list:
    """A list page as raw SQL: one page of rows of ``model``'s live records, those of ``owners`` (None: all), and
    their count as the list counts them (up to a cap, see ``CappedPaginator``). ``where`` adds conditions
    ("AND ..."), ``order`` is the ORDER BY clause."""
    condition, arguments = f"deleted_at IS NULL {where}", list(params)
    if owners is not None:
        condition += " AND assigned_user_id = ANY(%s)"
        arguments.append(owners)
    table = model._meta.db_table
    page = offset // per_page + 1
    count_to = max(CappedPaginator.COUNT_CAP, (page + CappedPaginator.PAGES_AHEAD) * per_page)
    return [
        (f"SELECT * FROM {table} WHERE {condition} ORDER BY {order} LIMIT {per_page} OFFSET {offset}", arguments),
        (f"SELECT count(*) FROM (SELECT id FROM {table} WHERE {condition} LIMIT {count_to + 1}) AS counted", arguments),
    ]


def machine() -> list[str]:
    """This machine, as far as a benchmark's figures depend on it."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
        memory = f"{memory_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory = "unknown"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores; memory {memory}",
        f"PostgreSQL {postgres}; Python {platform.python_version()}; Django {django.get_version()}",
    ]


class Results:
    """The figures of one ``make bench`` run, written as a Markdown table when the run ends."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.machine: list[str] = []

    def add(self, figure: Figure) -> Figure:
        if not self.machine:
            self.machine = machine()
        self.figures.append(figure)
        raw = f", raw SQL {figure.raw.median_ms:.1f} ms (x{figure.ratio:.1f})" if figure.raw else ""
        print(
            f"  {figure.bench} | {figure.case}: median {figure.timing.median_ms:.1f} ms, "
            f"p95 {figure.timing.p95_ms:.1f} ms{raw} {figure.note}"
        )
        return figure

    def markdown(self) -> str:
        lines = [
            "# Benchmark results",
            "",
            f"Written by `make bench` on {timezone.now():%Y-%m-%d %H:%M} UTC. Server time through the Django test "
            "client, templates included (rendered as in production, without the test environment's instrumentation); "
            "raw SQL is the same work fetched with a cursor (the physical limit).",
            "",
            *(f"- {line}" for line in self.machine),
            "",
            "| benchmark | case | median | p95 | queries | raw SQL median | ratio | note |",
            "|---|---|---:|---:|---:|---:|---:|---|",
        ]
        for figure in self.figures:
            timing = figure.timing
            queries = str(timing.queries) if isinstance(timing, PageTiming) else ""
            raw = f"{figure.raw.median_ms:.1f} ms" if figure.raw else ""
            ratio = f"{figure.ratio:.1f}" if figure.ratio is not None else ""
            lines.append(
                f"| {figure.bench} | {figure.case} | {timing.median_ms:.1f} ms | {timing.p95_ms:.1f} ms | {queries} "
                f"| {raw} | {ratio} | {figure.note} |"
            )
        return "\n".join(lines) + "\n"

    def write(self, path: Path = RESULTS_FILE) -> None:
        if not self.figures:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.markdown())
