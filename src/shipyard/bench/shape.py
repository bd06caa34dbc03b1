"""Checks on the shape of imported JSON, with messages naming the file and the key path."""

from __future__ import annotations

import math
from typing import Any

from shipyard.bench.interface import BenchError


def need_table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BenchError(f"{where}: expected a JSON object, got {type(value).__name__}")
    return value


def need_list(table: dict[str, Any], key: str, where: str) -> list[Any]:
    value = table.get(key)
    if not isinstance(value, list):
        raise BenchError(
            f"{where}: expected a list under {key!r}", hint="is this the right file and format?"
        )
    return value


def need_number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BenchError(f"{where}: expected a number, got {value!r}")
    return float(value)
