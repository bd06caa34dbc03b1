"""The report-reader family of the quality gates: its Protocol, data types and error.

A reader turns one report file (or, for bundles, one build folder) of a known format into plain
data: coverage counts and per-line hits, findings, test totals, formatting offenders, sizes.
Gate evaluation (`rules.py`) works on that data only, so it is tested without any tool.
"""

from __future__ import annotations

import enum
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from shipyard.errors import InputError

# coverage dimensions, in the order the plan lists them
DIMENSIONS = ("lines", "functions", "branches", "statements")


class ReportError(InputError):
    """A report is missing, empty, truncated or not in the format expected (exit 2)."""


@dataclass(frozen=True)
class Count:
    covered: int
    total: int

    def __add__(self, other: Count) -> Count:
        return Count(self.covered + other.covered, self.total + other.total)

    @property
    def percent(self) -> float | None:
        return None if self.total == 0 else 100.0 * self.covered / self.total


# the largest line number a report may give (line numbers are kept as 4-byte integers)
MAX_LINE = 2**32 - 1


class LineHits:
    """Per file (repository-relative path): the measured lines and the uncovered ones.

    Kept as sorted arrays of 4-byte line numbers rather than sets of ints (about 20 times
    smaller): a 200 MB coverage report holds millions of lines. `measured` and `uncovered`
    give frozensets when asked, for the few files a diff touches.
    """

    __slots__ = ("_measured", "_uncovered")

    def __init__(self, measured: Iterable[int], uncovered: Iterable[int]) -> None:
        self._measured = array("I", sorted(set(measured)))
        self._uncovered = array("I", sorted(set(uncovered)))

    @property
    def measured(self) -> frozenset[int]:
        return frozenset(self._measured)

    @property
    def uncovered(self) -> frozenset[int]:
        return frozenset(self._uncovered)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LineHits):
            return NotImplemented
        return self._measured == other._measured and self._uncovered == other._uncovered

    def __hash__(self) -> int:
        return hash((self._measured.tobytes(), self._uncovered.tobytes()))

    def __repr__(self) -> str:
        return f"LineHits(measured={list(self._measured)}, uncovered={list(self._uncovered)})"


@dataclass
class Coverage:
    totals: dict[str, Count] = field(default_factory=dict)  # dimension -> count
    files: dict[str, LineHits] = field(default_factory=dict)  # empty: the format has no lines


@dataclass(frozen=True)
class Finding:
    """One lint or type finding; `severity` is "error" or "warning"."""

    file: str
    line: int
    column: int
    severity: str
    code: str
    message: str


@dataclass
class Findings:
    items: list[Finding] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.items if f.severity == severity)


@dataclass
class SuiteTotals:
    tests: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0
    time: float = 0.0


@dataclass
class Unformatted:
    files: list[str] = field(default_factory=list)
    count: int = 0


@dataclass
class Bundle:
    total: int = 0
    largest: int = 0
    largest_file: str = ""
    gzip: int = 0
    files: int = 0


Report = Coverage | Findings | SuiteTotals | Unformatted | Bundle


class Reader(Protocol):
    """One report format. `sniff` looks at the start of the file; `read` parses all of it."""

    name: str  # a format name users see: "Cobertura XML", "lcov", …
    kind: str  # the report kind in config.REPORT_KINDS

    def sniff(self, path: Path, head: str) -> bool: ...

    def read(self, path: Path, root: Path) -> Report: ...


class GateStatus(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # no report of that kind, or nothing to measure


@dataclass
class GateResult:
    gate: str  # "coverage.lines", "lint.errors", …
    op: str  # ">=", "<=", "<"
    threshold: float | None
    actual: float | None
    unit: str  # "%", "count", "bytes", "seconds"
    status: GateStatus
    change: float | None = None  # actual minus the last main-branch value
    detail: str = ""

    def serialize(self) -> Mapping[str, object]:
        return {
            "gate": self.gate,
            "op": self.op,
            "threshold": self.threshold,
            "actual": self.actual,
            "unit": self.unit,
            "status": str(self.status),
            "change": self.change,
            "detail": self.detail,
        }
