"""hyperfine's `--export-json` file: seconds per run (and peak memory when recorded)."""

from __future__ import annotations

from typing import Any

from shipyard.bench.interface import Direction, Series
from shipyard.bench.shape import need_list, need_positive, need_table


def parse(data: Any, where: str, prefix: str) -> list[Series]:
    series = []
    for i, result in enumerate(need_list(need_table(data, where), "results", where)):
        here = f"{where}: results[{i}]"
        result = need_table(result, here)
        name = f"{prefix}/{result.get('command', i)}"
        times = need_list(result, "times", here)
        samples = tuple(need_positive(x, f"{here}.times") for x in times)
        series.append(Series(name, "value", "s", Direction.SMALLER, samples))
        memory = result.get("memory_usage_byte")
        if isinstance(memory, list) and memory:
            rss = tuple(need_positive(x, f"{here}.memory_usage_byte") for x in memory)
            series.append(Series(name, "peak_rss", "B", Direction.SMALLER, rss))
    return series
