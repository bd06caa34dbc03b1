"""Verdicts: is this run a regression against the pooled baseline? Pure logic, plain data.

Samples from one CI job share that job's runner, so they are not independent: the unit of
evidence is the job. Each run is reduced to its median (robust to outlier samples); the
baseline is the median of the recent runs at the current level; the job-to-job spread is
estimated robustly from consecutive runs and blended with a prior while the history is short.
A regression needs both an effect past the threshold and a significant t against that spread.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from shipyard.bench.interface import Direction, Status, Thresholds
from shipyard.bench.stats import mad_sd, median, t_ppf, t_sf

PRIOR_DF = 4.0  # weight of the prior spread, in degrees of freedom
MIN_NOISE = 0.002  # below this a spread estimate is a quantisation artefact


@dataclass(frozen=True)
class Job:
    """One recorded run of a series: its samples, and whether it started a new level."""

    commit: str
    samples: tuple[float, ...]
    new_level: bool = False


@dataclass(frozen=True)
class Comparison:
    status: Status
    after: float
    before: float | None = None
    ratio: float | None = None  # after / before
    low: float | None = None  # 95 % interval of the ratio
    high: float | None = None
    p: float | None = None
    baseline_runs: int = 0
    note: str = ""


def _log_median(samples: Sequence[float]) -> float:
    return math.log(median(samples))


def current_level(baseline: Sequence[Job], pool: int) -> list[Job]:
    """The last `pool` runs since the last accepted change (the last run marked `new_level`)."""
    start = max((i for i, j in enumerate(baseline) if j.new_level), default=0)
    return list(baseline[start:])[-pool:]


def job_spread(baseline: Sequence[Job]) -> tuple[float, int]:
    """Robust job-to-job spread (log scale) from consecutive runs within a level, with its df."""
    diffs: list[float] = []
    for prev, cur in itertools.pairwise(baseline):
        if not cur.new_level:
            diffs.append(_log_median(cur.samples) - _log_median(prev.samples))
    if len(diffs) < 2:
        return 0.0, 0
    return mad_sd(diffs) / math.sqrt(2), len(diffs)


def compare(
    baseline: Sequence[Job],
    current: Sequence[float],
    limits: Thresholds,
    direction: Direction,
    pool: int = 10,
) -> Comparison:
    """Compare `current` with the pooled last `pool` runs of `baseline` (oldest first).

    Older runs in `baseline` only sharpen the estimate of the job-to-job spread.
    """
    after = median(current)
    usable = [j for j in baseline if j.samples]
    if not usable:
        return Comparison(Status.NEW, after, note="no baseline")
    if min(current) <= 0 or any(min(j.samples) <= 0 for j in usable):
        raise ValueError("benchmark values are positive (checked where they are read)")
    level = current_level(usable, pool)
    level_logs = [_log_median(j.samples) for j in level]
    mu = median(level_logs)
    est, df = job_spread(usable)
    est = max(est, MIN_NOISE)
    # pooled with the prior: a short history cannot claim a tiny spread with confidence
    sigma = math.sqrt((df * est**2 + PRIOR_DF * limits.noise**2) / (df + PRIOR_DF))
    se = sigma * math.sqrt(1 + (math.pi / 2) / len(level_logs))
    d = math.log(after) - mu
    worse = d if direction is Direction.SMALLER else -d
    t = worse / se
    dof = df + PRIOR_DF
    half = t_ppf(0.975, dof) * se
    return Comparison(
        status=_status(worse, t_sf(t, dof), t_sf(-t, dof), limits),
        after=after,
        before=math.exp(mu),
        ratio=math.exp(d),
        low=math.exp(d - half),
        high=math.exp(d + half),
        p=t_sf(t, dof),
        baseline_runs=len(level),
    )


def _status(worse: float, p_worse: float, p_better: float, limits: Thresholds) -> Status:
    if p_worse < limits.alpha and worse > math.log1p(limits.fail):
        return Status.FAIL
    if p_worse < limits.alpha and worse > math.log1p(limits.warn):
        return Status.WARN
    if p_better < limits.alpha and -worse > math.log1p(limits.warn):
        return Status.IMPROVED
    return Status.OK


SEVERITY = {Status.IMPROVED: 0, Status.NEW: 0, Status.OK: 0, Status.WARN: 1, Status.FAIL: 2}


def confirm(first: Comparison, again: Comparison) -> Comparison:
    """Keep a flag only as far as the re-measurement agrees with it."""
    if not first.status.flagged:
        return first
    if first.status is Status.IMPROVED:
        status = Status.IMPROVED if again.status is Status.IMPROVED else Status.OK
    else:
        sev = min(SEVERITY[first.status], SEVERITY[again.status])
        status = {2: Status.FAIL, 1: Status.WARN, 0: Status.OK}[sev]
    note = f"re-measured: ×{again.ratio:.3f}" if again.ratio is not None else "re-measured"
    if status is not first.status:
        note += f", not confirming {first.status.value}"
    return replace(first, status=status, note=note)
