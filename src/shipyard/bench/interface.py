"""The benchmark family's data types, its importer Protocol and its base error.

A benchmark produces one or more *series* (wall time, user/sys time, peak memory, or an imported
value), each a list of samples with a unit and a direction. A recorded *run* is the samples of
one job on one machine at one commit; verdicts compare a run with a pooled baseline of runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from shipyard.errors import InputError

SCHEMA = 1  # version of the result files in git; bump on incompatible change


class BenchError(InputError):
    """A benchmark result, history file or baseline is missing or malformed (exit 2)."""


class Direction(StrEnum):
    SMALLER = "smaller"  # time, memory: smaller is better
    BIGGER = "bigger"  # throughput: bigger is better


class Status(StrEnum):
    NEW = "new"  # no baseline to compare with
    OK = "ok"
    IMPROVED = "improved"
    WARN = "warn"
    FAIL = "fail"

    @property
    def flagged(self) -> bool:
        """A change the base branch accepts as its new level once merged."""
        return self in (Status.IMPROVED, Status.WARN, Status.FAIL)


@dataclass(frozen=True)
class Series:
    """Samples of one metric of one benchmark from one job."""

    bench: str
    metric: str  # "wall", "user", "sys", "peak_rss", or "value" for imported results
    unit: str
    direction: Direction
    samples: tuple[float, ...]

    @property
    def key(self) -> str:
        return self.bench if self.metric in ("wall", "value") else f"{self.bench}:{self.metric}"


@dataclass(frozen=True)
class Thresholds:
    warn: float = 0.20  # relative slow-down that warns
    fail: float = 0.50  # relative slow-down that fails the run
    alpha: float = 0.01  # one-sided significance level against the pooled baseline
    noise: float = 0.05  # prior job-to-job spread, used while the history is short


@dataclass(frozen=True)
class BenchSpec:
    """One `[bench.NAME]` table."""

    name: str
    command: str | None = None
    results: str | None = None  # imported results file (relative to the project)
    format: str | None = None
    runs: int = 10
    warmup: int = 1
    cold: bool = False
    prepare: str | None = None
    cwd: str = "."
    timeout: float | None = None
    thresholds: Thresholds = Thresholds()
    targets: Mapping[str, float] = field(default_factory=dict)  # series key -> absolute limit
    direction: Direction | None = None
    unit: str | None = None

    @property
    def imported(self) -> bool:
        return self.results is not None


class Importer(Protocol):
    """Reads one results format into series (`where` names the file for error messages)."""

    def __call__(self, data: Any, where: str, prefix: str) -> list[Series]: ...
