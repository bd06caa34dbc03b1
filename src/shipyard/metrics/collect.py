"""Gather the KPIs for a period and the one before it, from git, the run store and the
advisory database: the one place `shipyard metrics` and `shipyard report` get their figures.

The current period is the last `days` days up to now; the previous period the `days` before.
A figure that cannot be found is None with a note saying why (no runs, no gate history, no
advisory database), never a zero.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipyard.git import Repo
from shipyard.metrics import dora, sources, vulns
from shipyard.metrics.dora import Dora
from shipyard.metrics.kpi import Kpi
from shipyard.metrics.targets import Targets
from shipyard.pipeline.history import FinishedRun, finished_runs
from shipyard.release.settings import Settings
from shipyard.store import Store

COVERAGE_GATE = "coverage.lines"
DAY = dora.DAY


@dataclass(frozen=True)
class PipelineStats:
    runs: int
    median_duration: float | None
    success_rate: float | None


@dataclass(frozen=True)
class Metrics:
    now: float
    days: int
    dora: Dora
    previous_dora: Dora
    level: str
    bands: dict[str, str | None]
    pipeline: PipelineStats
    kpis: list[Kpi]
    runs: list[FinishedRun] = field(default_factory=list)  # newest first, the current period
    exposure: vulns.Exposure | None = None
    notes: list[str] = field(default_factory=list)

    def serialize(self) -> dict[str, Any]:
        """The figures as `shipyard metrics --json` prints them (numbers in base units)."""
        return {
            "period_days": self.days,
            "dora": {**self.dora.__dict__, "level": self.level, "bands": self.bands},
            "previous_dora": self.previous_dora.__dict__,
            "level": self.level,
            "pipeline": self.pipeline.__dict__,
            "kpis": [k.serialize() for k in self.kpis],
            "notes": self.notes,
        }


def stats(runs: list[FinishedRun]) -> PipelineStats:
    if not runs:
        return PipelineStats(0, None, None)
    return PipelineStats(
        len(runs),
        statistics.median(r.duration for r in runs),
        sum(r.passed for r in runs) / len(runs),
    )


def gather(
    repo: Repo,
    store: Store,
    targets: Targets,
    now: float,
    days: int,
    branch: str | None,
    release: Settings | None = None,
) -> Metrics:
    period = days * DAY
    start, before = now - period, now - 2 * period
    deployments = sources.deployments(repo, sources.rolled_back(store), release)
    cur = dora.compute(deployments, now, since=start)
    prev = dora.compute(deployments, start, since=before)
    runs = finished_runs(store, branch, limit=100_000, since=before)
    run_now = [r for r in runs if r.started >= start]
    p_now, p_prev = stats(run_now), stats([r for r in runs if r.started < start])
    notes: list[str] = []
    if not run_now:
        notes.append(f"no pipeline run recorded in the last {days} days")
    if not cur.deployments:
        notes.append(f"no release tag in the last {days} days")
    coverage = _coverage(store, branch, start, notes)
    exposure, vuln_note = _exposure(repo.root, now)
    if vuln_note:
        notes.append(vuln_note)
    kpis = [
        Kpi(
            "pipeline_duration",
            "Pipeline duration (median)",
            "seconds",
            "<",
            targets.pipeline_duration,
            p_now.median_duration,
            p_prev.median_duration,
        ),
        Kpi(
            "success_rate",
            "Build success rate",
            "ratio",
            ">",
            targets.success_rate,
            p_now.success_rate,
            p_prev.success_rate,
        ),
        Kpi(
            "coverage",
            "Test coverage (lines)",
            "percent",
            ">=",
            targets.coverage,
            coverage[0],
            coverage[1],
            "" if coverage[0] is not None else "no coverage gate recorded",
        ),
        Kpi(
            "critical_vulnerabilities",
            "Security vulnerabilities (critical)",
            "count",
            "<=",
            targets.vulnerabilities,
            None if exposure is None else float(exposure.count()),
            None if exposure is None else float(exposure.count(before=start)),
            vuln_note or "",
        ),
        Kpi(
            "deployment_frequency",
            "Deployment frequency",
            "per_week",
            ">=",
            targets.deploys_per_week,
            cur.per_week,
            prev.per_week,
        ),
        Kpi(
            "lead_time",
            "Lead time for changes (median)",
            "seconds",
            "<",
            targets.lead_time,
            cur.lead_time,
            prev.lead_time,
        ),
        Kpi(
            "time_to_restore",
            "Time to restore (median)",
            "seconds",
            "<",
            targets.time_to_restore,
            cur.time_to_restore,
            prev.time_to_restore,
        ),
        Kpi(
            "change_failure_rate",
            "Change failure rate",
            "ratio",
            "<",
            targets.change_failure_rate,
            cur.change_failure_rate,
            prev.change_failure_rate,
        ),
    ]
    return Metrics(
        now,
        days,
        cur,
        prev,
        dora.level(cur),
        dora.bands(cur),
        p_now,
        kpis,
        run_now,
        exposure,
        notes,
    )


def _coverage(
    store: Store, branch: str | None, start: float, notes: list[str]
) -> tuple[float | None, float | None]:
    from shipyard.gates.history import series

    points = series(store, COVERAGE_GATE, branch)
    if not points:
        notes.append("no coverage recorded by `shipyard gate`")
        return None, None
    earlier = [v for t, v in points if t < start]
    return points[-1][1], (earlier[-1] if earlier else None)


def _exposure(root: Path, now: float) -> tuple[vulns.Exposure | None, str | None]:
    """Open advisories of the project's dependencies, or None and why."""
    from shipyard.security import deps, settings
    from shipyard.security.interface import ScanError

    try:
        loaded = settings.load(root)
        packages = deps.collect(root, (), ()).packages
        if not packages:
            return None, "no dependency files found: vulnerabilities not counted"
        found = vulns.exposure(loaded.db, packages, now)
    except ScanError as exc:
        return None, f"vulnerabilities not counted: {exc.message}"
    if found.database_age > loaded.max_age:
        return found, f"the advisory database is {found.database_age / DAY:.0f} days old"
    return found, None


def for_project(project: Path, days: int, branch: str | None) -> tuple[Repo, Metrics]:
    """The repository holding `project` and its metrics now, with the targets of its
    definition (the plan's when it has none): the shared path of `metrics` and `report`."""
    import time

    from shipyard import config
    from shipyard.errors import UsageError
    from shipyard.metrics import targets
    from shipyard.release import settings

    if days < 1:
        raise UsageError(f"--days {days}: expected a number of days >= 1")
    repo = Repo.find(project)
    if repo is None:
        raise UsageError(
            f"{project} is not in a git repository",
            hint="DORA metrics come from the release tags in git",
        )
    definition = config.load(repo.root) if config.find_definition(repo.root) else None
    wanted = targets.load(definition)
    release = settings.read(definition.section("release")) if definition else None
    return repo, gather(repo, Store(repo.root), wanted, time.time(), days, branch, release)
