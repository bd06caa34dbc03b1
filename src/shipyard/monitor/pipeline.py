"""Source `pipeline`: the recorded runs of the base branch.

The latest run failed: critical ("build failures"). Over the last `window` finished runs, a
failure rate above `failure-rate` (default 5 %, the plan's "build success rate > 95 %"): high,
once at least `min-runs` are recorded. A median duration above `duration` (default 10m, the
plan's "< 10 min for CI pipeline"): medium.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from shipyard.config import Table, format_duration
from shipyard.git import default_branch_at
from shipyard.monitor.interface import CheckResult, Context
from shipyard.notify.interface import Alert, Severity
from shipyard.pipeline import history


@dataclass(frozen=True)
class Pipeline:
    branch: str = "main"
    window: int = 20
    min_runs: int = 5
    failure_rate: float = 0.05
    duration: float = 600.0

    def run(self, ctx: Context) -> CheckResult:
        latest = history.latest_on(ctx.store, self.branch)
        if latest is None:
            return CheckResult("pipeline", True, f"no run recorded on {self.branch}")
        alerts: list[Alert] = []
        details = []
        if latest["result"] == "passed":
            details.append(f"run {latest['id']} on {self.branch} passed")
        else:
            body = (
                f"run {latest['id']} at {(latest['commit_sha'] or '')[:10]}: "
                f"{', '.join(latest['failed']) or '-'}"
            )
            details.append(body)
            title = f"pipeline {latest['result']} on {self.branch}"
            alerts.append(Alert(Severity.CRITICAL, "pipeline", title, body))
        runs = history.finished_runs(ctx.store, self.branch, self.window)
        rate, median = figures(runs)
        if rate is not None and len(runs) >= self.min_runs:
            details.append(f"failure rate {rate:.0%} over {len(runs)} runs")
            if rate > self.failure_rate:
                alerts.append(
                    Alert(
                        Severity.HIGH,
                        "pipeline",
                        f"pipeline failure rate above {self.failure_rate:.0%} on {self.branch}",
                        f"{rate:.0%} of the last {len(runs)} runs failed",
                    )
                )
        if median is not None:
            details.append(f"median {format_duration(median)}")
            if median > self.duration:
                alerts.append(
                    Alert(
                        Severity.MEDIUM,
                        "pipeline",
                        f"pipeline slower than {format_duration(self.duration)} on {self.branch}",
                        f"median {format_duration(median)} over the last {len(runs)} runs",
                    )
                )
        return CheckResult("pipeline", not alerts, "; ".join(details), tuple(alerts))


def figures(runs: list[history.FinishedRun]) -> tuple[float | None, float | None]:
    """(failure rate, median duration) of finished runs; None when there are none."""
    if not runs:
        return None, None
    return (
        sum(not r.passed for r in runs) / len(runs),
        statistics.median(r.duration for r in runs),
    )


def source(t: Table) -> Pipeline:
    d = Pipeline()
    rate = t.number("failure-rate", d.failure_rate * 100)
    return Pipeline(
        branch=t.str("branch") or default_branch_at(Path(t.file).parent),
        window=t.int("window", d.window, minimum=1) or d.window,
        min_runs=t.int("min-runs", d.min_runs, minimum=1) or d.min_runs,
        failure_rate=(rate if rate is not None else 5.0) / 100,
        duration=t.duration("duration", d.duration) or d.duration,
    )
