"""Checks on the shape of imported JSON, with messages naming the file and the key path."""

from __future__ import annotations

import math
from pathlib import Path
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


def need_positive(value: Any, where: str) -> float:
    """A benchmark value: compared as a ratio, so it must be a finite number above zero."""
    number = need_number(value, where)
    if number <= 0:
        raise BenchError(
            f"{where}: expected a positive number, got {value!r}",
            hint="benchmark values are compared as ratios: times, sizes and rates are above 0",
        )
    return number


def read_text(path: Path, where: str) -> str:
    """A results or history file's text; BenchError naming `where` if unreadable or not UTF-8."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BenchError(
            f"{where}: not UTF-8 text (byte {exc.start}: {exc.reason})",
            hint="benchmark results are UTF-8 JSON: restore the file from git or delete it",
        ) from None
