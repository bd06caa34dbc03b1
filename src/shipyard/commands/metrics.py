"""`shipyard metrics`: the plan's KPI table and DORA metrics, against the plan's targets.

Deployments are the release tags in git; pipeline figures come from the run store. Targets
(the plan's, by default) live under `[metrics]`; `--check` exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

from shipyard import config, output
from shipyard.config import format_duration
from shipyard.errors import UsageError
from shipyard.git import Repo
from shipyard.metrics import dora, sources
from shipyard.store import Store


@dataclass(frozen=True)
class Targets:
    pipeline_duration: float = 600.0  # "<10 min for CI pipeline"
    success_rate: float = 0.95  # "Build Success Rate >95%"
    deploys_per_week: float = 7.0  # "Deployment Frequency: Daily"
    lead_time: float = dora.DAY  # "Lead Time for Changes: <1 day"
    time_to_restore: float = 3600.0  # "Time to Restore Service: <1 hour"
    change_failure_rate: float = 0.05  # "Change Failure Rate: <5%"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--branch", help="pipeline runs of this branch (default: all)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")


def load_targets(definition: config.Definition | None) -> Targets:
    if definition is None:
        return Targets()
    t = definition.section("metrics")
    d = Targets()
    rate = t.number("success-rate", d.success_rate * 100)
    cfr = t.number("change-failure-rate", d.change_failure_rate * 100)
    targets = Targets(
        pipeline_duration=t.duration("pipeline-duration", d.pipeline_duration) or 0,
        success_rate=(rate or 0) / 100,
        deploys_per_week=t.number("deploys-per-week", d.deploys_per_week) or 0,
        lead_time=t.duration("lead-time", d.lead_time) or 0,
        time_to_restore=t.duration("time-to-restore", d.time_to_restore) or 0,
        change_failure_rate=(cfr or 0) / 100,
    )
    t.done()
    return targets


def run(args: argparse.Namespace) -> int:
    repo = Repo.find(args.project)
    if repo is None:
        raise UsageError(
            f"{args.project} is not in a git repository",
            hint="DORA metrics come from the release tags in git",
        )
    definition = config.load(repo.root) if config.find_definition(repo.root) else None
    targets = load_targets(definition)
    store = Store(repo.root)
    d = dora.compute(sources.deployments(repo, sources.rolled_back(store)), time.time())
    p = sources.pipeline_stats(store, args.branch)
    rows = _rows(d, p, targets)
    if args.json:
        output.json_out(
            {
                "dora": d.__dict__,
                "level": dora.level(d),
                "pipeline": p.__dict__,
                "checks": [
                    dict(zip(("metric", "target", "actual", "ok"), r, strict=True)) for r in rows
                ],
            }
        )
    else:
        output.table(
            ("metric", "target", "actual", "status"),
            [
                (m, t, a, "n/a" if ok is None else ("ok" if ok else "MISSED"))
                for m, t, a, ok in rows
            ],
        )
        output.out(
            f"DORA level: {dora.level(d)} ({d.deployments} deployments"
            f"{'; failed: ' + ', '.join(d.failed) if d.failed else ''})"
        )
    missed = [r for r in rows if r[3] is False]
    return 1 if args.check and missed else 0


def _rows(
    d: dora.Dora, p: sources.PipelineStats, t: Targets
) -> list[tuple[str, str, str, bool | None]]:
    def dur(x: float | None) -> str:
        return "-" if x is None else format_duration(x)

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x * 100:.1f}%"

    def cmp(x: float | None, ok: bool) -> bool | None:
        return None if x is None else ok

    return [
        (
            "pipeline duration (median)",
            f"< {dur(t.pipeline_duration)}",
            dur(p.median_duration),
            cmp(p.median_duration, (p.median_duration or 0) < t.pipeline_duration),
        ),
        (
            "pipeline success rate",
            f"> {pct(t.success_rate)}",
            pct(p.success_rate),
            cmp(p.success_rate, (p.success_rate or 0) > t.success_rate),
        ),
        (
            "deployment frequency",
            f">= {t.deploys_per_week:g}/week",
            "-" if d.per_week is None else f"{d.per_week:.2f}/week",
            cmp(d.per_week, (d.per_week or 0) >= t.deploys_per_week),
        ),
        (
            "lead time for changes (median)",
            f"< {dur(t.lead_time)}",
            dur(d.lead_time),
            cmp(d.lead_time, (d.lead_time or 0) < t.lead_time),
        ),
        (
            "time to restore (median)",
            f"< {dur(t.time_to_restore)}",
            dur(d.time_to_restore),
            cmp(d.time_to_restore, (d.time_to_restore or 0) < t.time_to_restore),
        ),
        (
            "change failure rate",
            f"< {pct(t.change_failure_rate)}",
            pct(d.change_failure_rate),
            cmp(d.change_failure_rate, (d.change_failure_rate or 0) < t.change_failure_rate),
        ),
    ]
