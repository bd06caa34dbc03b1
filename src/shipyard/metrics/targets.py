"""The KPI targets: the plan's figures by default, changed under `[metrics]`."""

from __future__ import annotations

from dataclasses import dataclass

from shipyard import config
from shipyard.metrics.dora import DAY


@dataclass(frozen=True)
class Targets:
    pipeline_duration: float = 600.0  # "<10 min for CI pipeline"
    success_rate: float = 0.95  # "Build Success Rate >95%"
    coverage: float = 80.0  # "Test Coverage >80%" (line coverage, percent)
    vulnerabilities: float = 0.0  # "Security Vulnerabilities: 0 critical"
    deploys_per_week: float = 7.0  # "Deployment Frequency: Daily"
    lead_time: float = DAY  # "Lead Time for Changes: <1 day"
    time_to_restore: float = 3600.0  # "Time to Restore Service: <1 hour"
    change_failure_rate: float = 0.05  # "Change Failure Rate: <5%"


def load(definition: config.Definition | None) -> Targets:
    if definition is None:
        return Targets()
    t = definition.section("metrics")
    d = Targets()
    rate = t.number("success-rate", d.success_rate * 100, 0, 100, "percent")
    cfr = t.number("change-failure-rate", d.change_failure_rate * 100, 0, 100, "percent")
    targets = Targets(
        pipeline_duration=t.duration("pipeline-duration", d.pipeline_duration) or 0,
        success_rate=(rate or 0) / 100,
        coverage=t.number("coverage", d.coverage, 0, 100, "percent") or 0,
        vulnerabilities=t.number("critical-vulnerabilities", d.vulnerabilities, 0) or 0,
        deploys_per_week=t.number("deploys-per-week", d.deploys_per_week, 0, 10_000) or 0,
        lead_time=t.duration("lead-time", d.lead_time) or 0,
        time_to_restore=t.duration("time-to-restore", d.time_to_restore) or 0,
        change_failure_rate=(cfr or 0) / 100,
    )
    t.done()
    return targets
