"""Levels of a series: the accepted changes, a change not yet accepted, and missed steps.

A run flagged on the base branch (warn, fail or improved) is only a *candidate* for a new
level: one run on a faster or slower machine must never become the baseline by itself. The
candidate is accepted once runs from `ACCEPT` different commits sit with it; a later run that
sits with the old level instead shows it was an outlier, and it is dropped (from the level and
from the spread). So a level is always the median of several runs since the last accepted
change, and a change, in either direction, moves it only when it persists.

A step the per-commit check missed (say +30 % judged "ok" at the culprit, then the pooled
median creeping up) is looked for by change-point detection over the current level on every
base-branch run; `absorbed` reports it once, with the commits it came between.
Pure logic on plain data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from shipyard.bench.changepoint import MIN_SIZE, detect
from shipyard.bench.interface import Direction, Status, Thresholds
from shipyard.bench.stats import median

ACCEPT = 2  # commits whose runs must sit at a new level before it is accepted


@dataclass(frozen=True)
class Job:
    """One recorded run of a series: its samples, and whether it was flagged on the base branch."""

    commit: str
    samples: tuple[float, ...]
    new_level: bool = False  # flagged: a candidate for a new level
    log: float = field(init=False, repr=False, compare=False)  # log of the samples' median

    def __post_init__(self) -> None:
        object.__setattr__(self, "log", math.log(median(self.samples)) if self.samples else 0.0)


@dataclass(frozen=True)
class Levels:
    segments: tuple[tuple[int, ...], ...]  # indices of the runs of each accepted level
    candidate: tuple[int, ...] = ()  # runs of a flagged change not yet accepted

    @property
    def current(self) -> tuple[int, ...]:
        return self.segments[-1]


def split(runs: Sequence[Job]) -> Levels:
    """Walk the runs oldest first: accept a candidate level only when it persists."""
    logs = [r.log for r in runs]
    segments: list[list[int]] = [[]]
    candidate: list[int] = []
    for i, run in enumerate(runs):
        if candidate:
            to_new = abs(logs[i] - median([logs[k] for k in candidate]))
            to_old = abs(logs[i] - median([logs[k] for k in segments[-1]]))
            if to_new <= to_old:
                candidate.append(i)
                if len({runs[k].commit for k in candidate}) >= ACCEPT:
                    segments.append(candidate)
                    candidate = []
            elif run.new_level:  # unlike both: a candidate of its own
                candidate = [i]
            else:  # back at the old level: the candidate was an outlier
                candidate = []
                segments[-1].append(i)
        elif run.new_level and segments[-1]:
            candidate = [i]
        else:
            segments[-1].append(i)
    return Levels(tuple(tuple(s) for s in segments), tuple(candidate))


@dataclass(frozen=True)
class Step:
    """A persistent step inside the current level that no single commit was flagged for."""

    status: Status
    before: float  # medians of the runs before and after it (original scale)
    after: float
    first: str  # commit of the first run at the new level
    last_before: str  # commit of the last run before it
    runs: int  # runs at the new level, this one included

    @property
    def ratio(self) -> float:
        return self.after / self.before

    def note(self) -> str:
        return (
            f"a persistent step of {self.ratio - 1:+.1%} over the last {self.runs} runs, "
            f"missed per commit: it came after {self.last_before[:10]}, "
            f"from {self.first[:10]} on (change point)"
        )


def absorbed(
    runs: Sequence[Job],
    current: float,
    limits: Thresholds,
    direction: Direction,
) -> Step | None:
    """A step past `warn` between the current level's runs and `current` (a run's median)."""
    levels = split(runs)
    if levels.candidate:  # a change is pending: the next runs accept or drop it
        return None
    members = list(levels.current)
    logs = [runs[i].log for i in members] + [math.log(current)]
    if len(logs) < 2 * MIN_SIZE:
        return None
    sign = 1 if direction is Direction.SMALLER else -1
    recent = median(logs[-MIN_SIZE:]) - median(logs[:-MIN_SIZE])
    if abs(recent) < math.log1p(limits.warn) / 2:  # cheap gate: nothing that large lately
        return None
    found = detect([math.exp(x) for x in logs])
    if not found or len(logs) - found[-1].index < MIN_SIZE:
        return None
    cp = found[-1]
    worse = sign * math.log(cp.after / cp.before)
    if abs(worse) < math.log1p(limits.warn):
        return None
    status = (
        Status.IMPROVED
        if worse < 0
        else Status.FAIL
        if worse > math.log1p(limits.fail)
        else Status.WARN
    )
    return Step(
        status,
        cp.before,
        cp.after,
        runs[members[cp.index]].commit if cp.index < len(members) else "this run",
        runs[members[cp.index - 1]].commit,
        len(logs) - cp.index,
    )
