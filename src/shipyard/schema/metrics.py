"""`[metrics]`: the KPI targets of `shipyard metrics` (docs/configuration.md)."""

from __future__ import annotations

from shipyard.schema.model import Group, Key

METRICS = Group(
    "the KPI targets: the plan's figures by default",
    keys=(
        Key("pipeline-duration", "duration", "the CI pipeline's duration", 600.0),
        Key("success-rate", "number", "build success rate, percent", 95.0, 0, 100, unit="percent"),
        Key("coverage", "number", "line coverage, percent", 80.0, 0, 100, unit="percent"),
        Key("critical-vulnerabilities", "number", "critical advisories, at most", 0.0, 0),
        Key("deploys-per-week", "number", "deployment frequency", 7.0, 0, 10_000),
        Key("lead-time", "duration", "lead time for changes", 86400.0),
        Key("time-to-restore", "duration", "time to restore service", 3600.0),
        Key(
            "change-failure-rate",
            "number",
            "change failure rate, percent",
            5.0,
            0,
            100,
            unit="percent",
        ),
    ),
)
SECTION = Key("metrics", "table", METRICS.description, group=METRICS)
