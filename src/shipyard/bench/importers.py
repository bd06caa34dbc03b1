"""The registry of imported result formats, and reading one results file."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from shipyard.bench import custom, hyperfine, pytest_benchmark, vitest
from shipyard.bench.interface import BenchError, BenchSpec, Importer, Series
from shipyard.bench.shape import read_text

FORMATS: dict[str, Importer] = {
    "pytest-benchmark": pytest_benchmark.parse,
    "vitest": vitest.parse,
    "hyperfine": hyperfine.parse,
    "customSmallerIsBetter": custom.smaller,
    "customBiggerIsBetter": custom.bigger,
}


def read(spec: BenchSpec, root: Path) -> list[Series]:
    """The series in the spec's results file, with the spec's unit and direction applied."""
    assert spec.results is not None and spec.format is not None
    path = root / spec.cwd / spec.results
    where = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        text = read_text(path, where)
    except OSError as exc:
        raise BenchError(
            f"{where}: cannot read the results of benchmark {spec.name!r}: {exc.strerror}",
            hint="does its command write this file?",
        ) from None
    if not text.strip():
        raise BenchError(f"{where}: the results file of benchmark {spec.name!r} is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BenchError(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            hint=f"is it a {spec.format} JSON file?",
        ) from None
    except RecursionError:
        raise BenchError(f"{where}: JSON nested too deeply to be benchmark results") from None
    series = FORMATS[spec.format](data, where, spec.name)
    if not series:
        raise BenchError(
            f"{where}: no benchmarks in this {spec.format} file (benchmark {spec.name!r})"
        )
    return [
        replace(s, unit=spec.unit or s.unit, direction=spec.direction or s.direction)
        for s in series
    ]
