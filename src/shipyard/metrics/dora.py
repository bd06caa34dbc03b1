"""The four DORA metrics from deployments, as plain data in and numbers out.

A deployment is a release tag. Lead time for changes is, for each commit a deployment ships,
the time from the commit to the deployment (median over commits). A deployment failed when it
was rolled back, or when a hotfix followed it: the next release is a patch release made only of
`fix` commits within `hotfix_window` seconds. Time to restore is from a failed deployment to
the next one. Rates are over the deployments given, or over those of a period (`since`).
The performance level follows the DORA report's clusters for all four metrics (see `level`).
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


def compute(
    deps: Sequence[Deployment],
    now: float,
    hotfix_window: float = 7 * DAY,
    since: float | None = None,
) -> Dora:
    """The four metrics at `now`; with `since`, over the deployments of [since, now] only
    (a deployment's failure is still judged by the release that followed it)."""
    deps = sorted((d for d in deps if d.time <= now), key=lambda d: d.time)
    failed: list[str] = []
    restores: dict[str, float] = {}
    for prev, nxt in zip(deps, [*deps[1:], None] if deps else [], strict=True):
        hotfixed = nxt is not None and nxt.hotfix and nxt.time - prev.time <= hotfix_window
        if prev.rolled_back or hotfixed:
            failed.append(prev.version)
            if nxt is not None:
                restores[prev.version] = nxt.time - prev.time
    window = [d for d in deps if since is None or d.time >= since]
    if not window:
        weeks = None if since is None else max(now - since, DAY) / (7 * DAY)
        return Dora(0, None if weeks is None else 0.0, None, None, None)
    span = max(now - (window[0].time if since is None else since), DAY)
    names = {d.version for d in window}
    leads = [d.time - t for d in window for t in d.commit_times if t <= d.time]
    failed = [v for v in failed if v in names]
    times = [restores[v] for v in failed if v in restores]
    return Dora(
        deployments=len(window),
        per_week=len(window) / (span / (7 * DAY)),
        lead_time=statistics.median(leads) if leads else None,
        change_failure_rate=len(failed) / len(window),
        time_to_restore=statistics.median(times) if times else None,
        failed=failed,
    )


# The performance clusters of the 2023 Accelerate State of DevOps report (DORA), one table per
# metric, best first: (band, the bound a value must meet). Deployment frequency "on demand" is
# read as daily or more often; a month is 30 days.
BANDS = ("elite", "high", "medium", "low")
FREQUENCY = ((7.0, "elite"), (1.0, "high"), (7 / 30, "medium"))  # deploys/week, at least
LEAD_TIME = ((DAY, "elite"), (7 * DAY, "high"), (30 * DAY, "medium"))  # seconds, below
FAILURE_RATE = ((0.05, "elite"), (0.10, "high"), (0.15, "medium"))  # ratio, at most
RESTORE = ((3600.0, "elite"), (DAY, "high"), (7 * DAY, "medium"))  # seconds, below


def _at_least(value: float, table: Sequence[tuple[float, str]]) -> str:
    return next((band for bound, band in table if value >= bound), "low")


def _below(value: float, table: Sequence[tuple[float, str]], inclusive: bool = False) -> str:
    for bound, band in table:
        if value < bound or (inclusive and value == bound):
            return band
    return "low"


def bands(d: Dora) -> dict[str, str | None]:
    """Each metric's band; None when it cannot be measured. No failed deployment means
    nothing to restore: time to restore is then not measured and limits nothing."""
    return {
        "deployment_frequency": None if d.per_week is None else _at_least(d.per_week, FREQUENCY),
        "lead_time": None if d.lead_time is None else _below(d.lead_time, LEAD_TIME),
        "change_failure_rate": (
            None
            if d.change_failure_rate is None
            else _below(d.change_failure_rate, FAILURE_RATE, inclusive=True)
        ),
        "time_to_restore": (
            None if d.time_to_restore is None else _below(d.time_to_restore, RESTORE)
        ),
    }


def level(d: Dora) -> str:
    """The DORA performance level: the weakest band among the four metrics (a team is as
    elite as its weakest key metric); "unknown" without deployments or commit times."""
    found = bands(d)
    needed = ("deployment_frequency", "lead_time", "change_failure_rate")
    if any(found[k] is None for k in needed):
        return "unknown"
    return max((b for b in found.values() if b is not None), key=BANDS.index)
