"""Machine calibration: tell a slow CI job from a regression.

A noisy neighbour or a throttled runner can slow a whole job by 20–80 %; every sample of that
job, re-measurements included, is then slow, and nothing measured inside the job alone can tell
that from a regression. A faster runner (a newer CPU picked up by the same runner label)
likewise looks like an improvement. So each run also times a fixed workload (a pure-Python
loop in a fresh interpreter) and records it as the series `shipyard.calibration`. When a timing
flag (regression or improvement) survives re-measurement, the workload is timed again: if the
machine itself is significantly slower (or faster) than its baseline both when the run started
and now, the flagged benchmarks are judged relative to it (their samples divided by the factor
nearer 1) and a flag the machine explains is withdrawn. Requiring both keeps a brief slow
moment during the check from excusing a real regression.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from shipyard.bench.interface import BenchSpec, Direction, Series, Status, Thresholds
from shipyard.bench.measure import measure
from shipyard.bench.verdict import Comparison, Job, compare, confirm

KEY = "shipyard.calibration"
WORKLOAD = "sum(i * i for i in range(300_000))"
TIME_UNITS = frozenset({"s", "ms", "us", "µs", "ns"})
# a machine slow-down counts from +5 % at p < 0.05, at the start of the run and again at the
# check: it only ever withdraws flags, so a low bar costs no false alert (bench_noise.py)
MACHINE = Thresholds(warn=0.05, fail=0.05, alpha=0.05)


def measure_machine(root: Path) -> Series:
    """Time the fixed workload: 5 runs after one warm-up."""
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(WORKLOAD)}"
    found = measure(BenchSpec(KEY, command=command, runs=5, warmup=1), root)
    return next(s for s in found if s.metric == "wall")


def factor(baseline: Sequence[Job], samples: Sequence[float], pool: int) -> float | None:
    """The machine's significant slow-down (> 1) or speed-up (< 1) against its baseline."""
    check = compare(baseline, samples, MACHINE, Direction.SMALLER, pool)
    if check.status.flagged and check.ratio is not None:
        return check.ratio
    return None


def slowdown(baseline: Sequence[Job], samples: Sequence[float], pool: int) -> float | None:
    """The machine's significant slow-down against its baseline, or None."""
    found = factor(baseline, samples, pool)
    return found if found is not None and found > 1 else None


def agreed(start: float | None, again: float | None) -> float | None:
    """The factor both timings of the job agree on (the one nearer 1), or None."""
    if start is None or again is None or (start > 1) != (again > 1):
        return None
    return min(start, again) if start > 1 else max(start, again)


def explains(status: Status, direction: Direction, machine: float) -> bool:
    """Whether a machine `machine` times slower (< 1: faster) could cause this flag."""
    slower_is_worse = direction is Direction.SMALLER
    if status in (Status.WARN, Status.FAIL):
        return (machine > 1) == slower_is_worse
    return status is Status.IMPROVED and (machine < 1) == slower_is_worse


def relative(
    first: Comparison,
    jobs: Sequence[Job],
    samples: Sequence[float],
    limits: Thresholds,
    direction: Direction,
    pool: int,
    factor: float,
) -> Comparison:
    """Judge `samples` as if the machine were not `factor` times slower; only ever downgrade."""
    adjusted = compare(jobs, [x / factor for x in samples], limits, direction, pool)
    kept = confirm(first, adjusted)
    speed = f"×{factor:.2f} slower" if factor >= 1 else f"×{1 / factor:.2f} faster"
    note = f"machine {speed} in this job (calibration)"
    if kept.status is not first.status:
        note += f": {first.status.value} withdrawn"
    return replace(kept, note=f"{first.note}; {note}" if first.note else note)


def is_timing(series: Series) -> bool:
    return series.metric in ("wall", "user", "sys") or series.unit in TIME_UNITS
