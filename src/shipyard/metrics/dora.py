"""The four DORA metrics from deployments, as plain data in and numbers out.

A deployment is a release tag. Lead time for changes is, for each commit a deployment ships,
the time from the commit to the deployment (median over commits). A deployment failed when it
was rolled back, or when a hotfix followed it: the next release is a patch release made only of
`fix` commits within `hotfix_window` seconds. Time to restore is from a failed deployment to
the next one. Rates are over the window of deployments given.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

DAY = 86400.0


@dataclass(frozen=True)
class Deployment:
    version: str
    time: float
    commit_times: Sequence[float] = ()
    hotfix: bool = False  # only fix commits, patch bump
    rolled_back: bool = False


@dataclass(frozen=True)
class Dora:
    deployments: int
    per_week: float | None
    lead_time: float | None  # seconds, median
    change_failure_rate: float | None  # 0..1
    time_to_restore: float | None  # seconds, median
    failed: list[str] = field(default_factory=list)


def compute(deps: Sequence[Deployment], now: float, hotfix_window: float = 7 * DAY) -> Dora:
    deps = sorted(deps, key=lambda d: d.time)
    if not deps:
        return Dora(0, None, None, None, None)
    span = max(now - deps[0].time, DAY)
    leads = [d.time - t for d in deps for t in d.commit_times if t <= d.time]
    failed: list[str] = []
    restores: list[float] = []
    for prev, nxt in zip(deps, [*deps[1:], None], strict=True):
        hotfixed = nxt is not None and nxt.hotfix and nxt.time - prev.time <= hotfix_window
        if prev.rolled_back or hotfixed:
            failed.append(prev.version)
            if nxt is not None:
                restores.append(nxt.time - prev.time)
    return Dora(
        deployments=len(deps),
        per_week=len(deps) / (span / (7 * DAY)),
        lead_time=statistics.median(leads) if leads else None,
        change_failure_rate=len(failed) / len(deps),
        time_to_restore=statistics.median(restores) if restores else None,
        failed=failed,
    )


def level(d: Dora) -> str:
    """DORA's performance band from deployment frequency and lead time."""
    if d.per_week is None or d.lead_time is None:
        return "unknown"
    if d.per_week >= 7 and d.lead_time <= DAY:
        return "elite"
    if d.per_week >= 1 and d.lead_time <= 7 * DAY:
        return "high"
    if d.per_week >= 1 / 4.3 and d.lead_time <= 30 * DAY:
        return "medium"
    return "low"
