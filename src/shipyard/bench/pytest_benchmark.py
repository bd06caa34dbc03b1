"""pytest-benchmark's `--benchmark-json` file: seconds per round, smaller is better."""

from __future__ import annotations

from typing import Any

from shipyard.bench.interface import BenchError, Direction, Series
from shipyard.bench.shape import need_list, need_positive, need_table


def parse(data: Any, where: str, prefix: str) -> list[Series]:
    series = []
    for i, entry in enumerate(need_list(need_table(data, where), "benchmarks", where)):
        here = f"{where}: benchmarks[{i}]"
        entry = need_table(entry, here)
        stats = need_table(entry.get("stats"), f"{here}.stats")
        raw = stats.get("data")  # present with --benchmark-save-data: every round
        if isinstance(raw, list) and raw:
            samples = tuple(need_positive(x, f"{here}.stats.data") for x in raw)
        else:
            samples = (need_positive(stats.get("median"), f"{here}.stats.median"),)
        name = entry.get("fullname") or entry.get("name")
        if not isinstance(name, str):
            raise BenchError(f"{here}: missing the benchmark's name")
        series.append(Series(f"{prefix}/{name}", "value", "s", Direction.SMALLER, samples))
    return series
