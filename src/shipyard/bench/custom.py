"""github-action-benchmark's custom formats: a list of `{name, unit, value}` entries.

`customSmallerIsBetter` and `customBiggerIsBetter` differ only in direction. Entries that share
a name are samples of the same benchmark.
"""

from __future__ import annotations

from typing import Any

from shipyard.bench.interface import BenchError, Direction, Series
from shipyard.bench.shape import need_positive, need_table


def _parse(data: Any, where: str, prefix: str, direction: Direction) -> list[Series]:
    if not isinstance(data, list):
        raise BenchError(f"{where}: expected a JSON list of {{name, unit, value}} entries")
    grouped: dict[str, tuple[str, list[float]]] = {}
    for i, entry in enumerate(data):
        here = f"{where}: [{i}]"
        entry = need_table(entry, here)
        name, unit = entry.get("name"), entry.get("unit", "")
        if not isinstance(name, str) or not name:
            raise BenchError(f"{here}: missing the benchmark's name")
        value = need_positive(entry.get("value"), f"{here}.value")
        grouped.setdefault(name, (str(unit), []))[1].append(value)
    return [
        Series(f"{prefix}/{name}", "value", unit, direction, tuple(values))
        for name, (unit, values) in grouped.items()
    ]


def smaller(data: Any, where: str, prefix: str) -> list[Series]:
    return _parse(data, where, prefix, Direction.SMALLER)


def bigger(data: Any, where: str, prefix: str) -> list[Series]:
    return _parse(data, where, prefix, Direction.BIGGER)
