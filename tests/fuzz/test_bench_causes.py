"""Benchmark result readers never crash on hostile files (issue 13; the bench family owns what
the values mean): deep nesting, non-UTF-8 and non-positive values are named errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard.bench import results
from shipyard.bench.importers import read
from shipyard.bench.interface import BenchError, BenchSpec

DEEP = '{"benchmarks": ' + "[" * 100_000 + "]" * 100_000 + "}"


def _spec(fmt: str) -> BenchSpec:
    return BenchSpec(name="b", results="r.json", format=fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (DEEP.encode(), "r.json: JSON nested too deeply"),
        (b'{"benchmarks": "caf\xe9"}', "r.json: not UTF-8 text"),
        (b'[{"name": "x", "unit": "ms", "value": -1}]', "r.json: [0]"),
        (b'[{"name": "x", "unit": "ms", "value": NaN}]', "r.json: [0]"),
    ],
)
def test_imported_results(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "r.json").write_bytes(content)
    fmt = "pytest-benchmark" if content.startswith(b"{") else "customSmallerIsBetter"
    with pytest.raises(BenchError) as info:
        read(_spec(fmt), tmp_path)
    assert info.value.message.startswith(message), info.value.message


def test_recorded_run_nested_too_deeply() -> None:
    with pytest.raises(BenchError, match="nested too deeply"):
        results.parse(DEEP, "bench/results/x.json")
