"""`shipyard metrics`: the plan's KPI table and DORA metrics, against the plan's targets.

Deployments are the release tags in git; pipeline figures come from the run store, coverage
from the gates history, vulnerabilities from the local OSV database. Each figure is shown for
the last `--days` days with its trend since the period before. Targets (the plan's, by
default) live under `[metrics]`; `--check` exits 1 when one is missed.
"""

from __future__ import annotations

import argparse

from shipyard import output
from shipyard.metrics.collect import for_project
from shipyard.metrics.kpi import arrow, show


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--branch", help="pipeline runs of this branch (default: all)")
    parser.add_argument(
        "--days", type=int, default=30, help="length of the period, in days (default 30)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")


def run(args: argparse.Namespace) -> int:
    _, m = for_project(args.project, args.days, args.branch)
    if args.json:
        output.json_out(m.serialize())
    else:
        output.table(
            ("metric", "target", "current", "previous", "trend", "status"),
            [
                (
                    k.name,
                    f"{k.op} {show(k.target, k.unit)}",
                    show(k.current, k.unit),
                    show(k.previous, k.unit),
                    arrow(k),
                    "n/a" if k.ok is None else ("ok" if k.ok else "MISSED"),
                )
                for k in m.kpis
            ],
        )
        bands = ", ".join(f"{k.replace('_', ' ')} {v or 'n/a'}" for k, v in m.bands.items())
        output.out(
            f"DORA level: {m.level} ({bands}; {m.dora.deployments} deployments in "
            f"{m.days} days{'; failed: ' + ', '.join(m.dora.failed) if m.dora.failed else ''})"
        )
        for note in m.notes:
            output.out(f"note: {note}")
    missed = [k for k in m.kpis if k.ok is False]
    return 1 if args.check and missed else 0
