"""Verdicts: is this run a regression against the pooled baseline? Pure logic, plain data.

Samples from one CI job share that job's runner, so they are not independent: the unit of
evidence is the job. Each run is reduced to its median (robust to outlier samples); the
baseline is the median of the recent runs at the current level; the job-to-job spread is
estimated robustly from consecutive runs and blended with a prior while the history is short.
A regression needs both an effect past the threshold and a significant t against that spread.
Levels move only on evidence (level.py): a flagged run is a candidate until a later commit
agrees with it. `detectable` tells how large a change the spread lets the test see at all.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from shipyard.bench import level
from shipyard.bench.interface import Direction, Status, Thresholds
from shipyard.bench.level import Job
from shipyard.bench.stats import mad_sd, median, t_ppf, t_sf

__all__ = ["Comparison", "Job", "compare", "confirm", "current_level", "job_spread"]

PRIOR_DF = 4.0  # weight of the prior spread, in degrees of freedom
MIN_NOISE = 0.002  # below this a spread estimate is a quantisation artefact
MEASURED_DF = 2 * PRIOR_DF  # from here on the spread is mostly the history's own


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
    detectable: float | None = None  # smallest change that can reach significance at alpha


def current_level(baseline: Sequence[Job], pool: int) -> list[Job]:
    """The last `pool` runs since the last accepted change (see level.py)."""
    return [baseline[i] for i in level.split(baseline).current][-pool:]


def job_spread(baseline: Sequence[Job], levels: level.Levels | None = None) -> tuple[float, int]:
    """Robust job-to-job spread (log scale) from consecutive runs within a level, with its df.

    Runs a level dropped as outliers take no part: they are what the spread must not absorb.
    """
    levels = levels or level.split(baseline)
    diffs: list[float] = []
    for members in (*levels.segments, levels.candidate):
        logs = [baseline[i].log for i in members]
        diffs += [b - a for a, b in itertools.pairwise(logs)]
    if len(diffs) < 2:
        return 0.0, 0
    return mad_sd(diffs) / math.sqrt(2), len(diffs)


@dataclass(frozen=True)
class _Noise:
    sigma: float  # job-to-job spread (log scale), pooled with the prior
    dof: float
    measured: bool  # enough history that the spread is the series' own, not the prior


def _noise(baseline: Sequence[Job], levels: level.Levels, limits: Thresholds) -> _Noise:
    est, df = job_spread(baseline, levels)
    est = max(est, MIN_NOISE)
    # pooled with the prior: a short history cannot claim a tiny spread with confidence
    sigma = math.sqrt((df * est**2 + PRIOR_DF * limits.noise**2) / (df + PRIOR_DF))
    return _Noise(sigma, df + PRIOR_DF, df >= MEASURED_DF)


def _against(
    runs: Sequence[Job], after: float, noise: _Noise, limits: Thresholds, direction: Direction
) -> Comparison:
    mu = median([j.log for j in runs])
    se = noise.sigma * math.sqrt(1 + (math.pi / 2) / len(runs))
    d = math.log(after) - mu
    worse = d if direction is Direction.SMALLER else -d
    t = worse / se
    half = t_ppf(0.975, noise.dof) * se
    p = t_sf(t, noise.dof)
    return Comparison(
        status=_status(worse, p, 1.0 - p, limits),
        after=after,
        before=math.exp(mu),
        ratio=math.exp(d),
        low=math.exp(d - half),
        high=math.exp(d + half),
        p=p,
        baseline_runs=len(runs),
        detectable=math.expm1(t_ppf(1 - limits.alpha, noise.dof) * se) if noise.measured else None,
    )


RANK = {Status.OK: 0, Status.IMPROVED: 1, Status.WARN: 2, Status.FAIL: 3, Status.NEW: 0}


def compare(
    baseline: Sequence[Job],
    current: Sequence[float],
    limits: Thresholds,
    direction: Direction,
    pool: int = 10,
) -> Comparison:
    """Compare `current` with the pooled last `pool` runs of the current level of `baseline`.

    `baseline` is oldest first; older runs only sharpen the estimate of the job-to-job spread.
    While a flagged change waits for confirmation (level.py), the run is judged against both
    the old level and the candidate, and the verdict is the milder one.
    """
    after = median(current)
    usable = [j for j in baseline if j.samples]
    if not usable:
        return Comparison(Status.NEW, after, note="no baseline")
    if min(current) <= 0 or any(min(j.samples) <= 0 for j in usable):
        raise ValueError("benchmark values are positive (checked where they are read)")
    levels = level.split(usable)
    noise = _noise(usable, levels, limits)
    old = _against([usable[i] for i in levels.current][-pool:], after, noise, limits, direction)
    if not levels.candidate:
        return old
    new = _against([usable[i] for i in levels.candidate], after, noise, limits, direction)
    since = usable[levels.candidate[0]].commit[:10]
    if (RANK[new.status], abs(math.log(new.ratio or 1))) < (
        RANK[old.status],
        abs(math.log(old.ratio or 1)),
    ):
        note = "" if new.status.flagged else f"confirms the new level from {since}"
        return replace(new, note=note)
    note = "" if old.status.flagged else f"the change at {since} did not persist (an outlier run)"
    return replace(old, note=note)


def _status(worse: float, p_worse: float, p_better: float, limits: Thresholds) -> Status:
    if p_worse < limits.alpha and worse > math.log1p(limits.fail):
        return Status.FAIL
    if p_worse < limits.alpha and worse > math.log1p(limits.warn):
        return Status.WARN
    if p_better < limits.alpha and -worse > math.log1p(limits.warn):
        return Status.IMPROVED
    return Status.OK


SEVERITY = {Status.IMPROVED: 0, Status.NEW: 0, Status.OK: 0, Status.WARN: 1, Status.FAIL: 2}


def confirm(first: Comparison, again: Comparison, alpha: float | None = None) -> Comparison:
    """Keep a flag only as far as the re-measurement agrees with it.

    With `alpha` (a re-measurement in the same job), a regression stays at least a warning
    while the re-measurement is itself a significant slow-down: a transient episode in the
    first measurement leaves the second unslowed, whereas a real change slows both, even
    when the runner puts the second just under the threshold.
    """
    if not first.status.flagged:
        return first
    if first.status is Status.IMPROVED:
        status = Status.IMPROVED if again.status is Status.IMPROVED else Status.OK
    else:
        sev = min(SEVERITY[first.status], SEVERITY[again.status])
        if alpha is not None and again.p is not None and again.p < alpha:
            sev = max(sev, 1)
        status = {2: Status.FAIL, 1: Status.WARN, 0: Status.OK}[sev]
    note = f"re-measured: ×{again.ratio:.3f}" if again.ratio is not None else "re-measured"
    if status is not first.status:
        note += f", not confirming {first.status.value}"
    return replace(first, status=status, note=note)


def settle(
    first: Comparison, again: Sequence[Comparison], need: int, alpha: float | None = None
) -> Comparison | None:
    """A flag decided by re-measurements: kept once `need` of them confirm it, withdrawn once
    `need` of them do not (the best `need` of `2 * need - 1`); None while still undecided.

    One re-measurement landing on a faster (or slower) moment of the machine no longer decides
    alone: with `need = 2`, a real regression survives one unlucky re-measurement and a slow
    episode in the first measurement still needs two more to agree with it. The kept verdict
    is the weakest confirmation (fail + warn = warn)."""
    if not first.status.flagged or need < 1:
        return first
    judged = [confirm(first, a, alpha) for a in again]
    kept = [c for c in judged if c.status.flagged]
    refused = [c for c in judged if not c.status.flagged]
    if len(kept) >= need:
        weakest = min(kept, key=lambda c: SEVERITY[c.status])
        if len(judged) == 1:
            return weakest
        ratios = ", ".join(f"×{a.ratio:.3f}" for a in again if a.ratio is not None)
        return replace(
            weakest, note=f"re-measured {len(judged)} times ({ratios}): {len(kept)} agree"
        )
    if len(refused) >= need:
        return refused[-1]
    return None
