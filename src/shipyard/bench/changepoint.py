"""Change-point detection over a benchmark's history: E-divisive means, windowed as Otava does.

Each point is one run's median (log scale, so steps are relative). Candidates come from the
energy statistic of Matteson & James (alpha = 1) maximised by binary segmentation inside
overlapping windows, which keeps the cost linear in the history length; a candidate is kept
while a two-sample test between its neighbouring segments is significant (Hunter/Otava replace
the permutation test with Student's t; we use Mann-Whitney, since each point is an independent
run and slow CI jobs make the tails heavy). Pure Python: 10,000
points take well under a second (see benchmarks/bench_changepoint.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from shipyard.bench.stats import mann_whitney_z, median

WINDOW = 200  # points per window; the step between windows is half of it
MIN_SIZE = 4  # fewest points on either side of a change point
ALPHA = 0.001
MIN_MAGNITUDE = 0.01  # smaller level shifts are reported as noise, as Otava's min_magnitude


@dataclass(frozen=True)
class ChangePoint:
    index: int  # first point of the new level
    before: float  # median of the level before (original scale)
    after: float
    p: float

    @property
    def change(self) -> float:
        return self.after / self.before - 1 if self.before else math.inf


def _energy_split(v: Sequence[float]) -> int | None:
    """The split index maximising the energy statistic Q̂, or None if the slice is too short."""
    w = len(v)
    if w < 2 * MIN_SIZE:
        return None
    left = [0.0] * (w + 1)  # left[t]: sum of |vi - vj| within v[:t]
    for k in range(1, w):
        vk = v[k]
        left[k + 1] = left[k] + sum([abs(vk - x) for x in v[:k]])
    right = [0.0] * (w + 1)  # right[t]: within v[t:]
    for k in range(w - 2, -1, -1):
        vk = v[k]
        right[k] = right[k + 1] + sum([abs(vk - x) for x in v[k + 1 :]])
    total = left[w]
    best, best_q = None, -math.inf
    for t in range(MIN_SIZE, w - MIN_SIZE + 1):
        m, n = t, w - t
        between = total - left[t] - right[t]
        e = 2 * between / (m * n) - left[t] / (m * (m - 1) / 2) - right[t] / (n * (n - 1) / 2)
        q = m * n / (m + n) * e
        if q > best_q:
            best, best_q = t, q
    return best


def _p_split(v: Sequence[float], t: int) -> float:
    """Two-sided p of the Mann-Whitney test between the two sides (runs are independent)."""
    return math.erfc(abs(mann_whitney_z(v[:t], v[t:])) / math.sqrt(2))


def _segment(v: Sequence[float], offset: int, found: set[int]) -> None:
    t = _energy_split(v)
    if t is None or _p_split(v, t) >= ALPHA:
        return
    found.add(offset + t)
    _segment(v[:t], offset, found)
    _segment(v[t:], offset + t, found)


def _candidates(logs: Sequence[float]) -> list[int]:
    found: set[int] = set()
    step = WINDOW // 2
    for start in range(0, max(len(logs) - step, 1), step):
        _segment(logs[start : start + WINDOW], start, found)
    return sorted(found)


def _neighbour_p(logs: Sequence[float], cps: list[int], i: int) -> float:
    lo = cps[i - 1] if i > 0 else 0
    hi = cps[i + 1] if i + 1 < len(cps) else len(logs)
    lo = max(lo, cps[i] - WINDOW)  # keep the test local: long levels drift
    hi = min(hi, cps[i] + WINDOW)
    if cps[i] - lo < MIN_SIZE // 2 or hi - cps[i] < MIN_SIZE // 2:
        return 1.0
    return _p_split(logs[lo:hi], cps[i] - lo)


def detect(values: Sequence[float]) -> list[ChangePoint]:
    """Change points of a positive series, oldest first; each names where the new level starts."""
    if len(values) < 2 * MIN_SIZE or min(values) <= 0:
        return []
    logs = [math.log(x) for x in values]
    cps = _candidates(logs)
    while cps:  # drop the weakest candidate until every one is significant
        ps = [_neighbour_p(logs, cps, i) for i in range(len(cps))]
        worst = max(range(len(cps)), key=ps.__getitem__)
        if ps[worst] < ALPHA:
            break
        del cps[worst]
    bounds = [0, *cps, len(values)]
    found = [
        ChangePoint(
            index=cp,
            before=median(values[bounds[i] : cp]),
            after=median(values[cp : bounds[i + 2]]),
            p=_neighbour_p(logs, cps, i),
        )
        for i, cp in enumerate(cps)
    ]
    return [c for c in found if abs(c.change) >= MIN_MAGNITUDE]
