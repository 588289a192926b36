"""Benchmarks share one collector of figures; ``bench/results.md`` is written when the run ends."""

from collections.abc import Iterator

import pytest

from .results import Results


@pytest.fixture(scope="session")
def bench_results() -> Iterator[Results]:
    results = Results()
    yield results
    results.write()
