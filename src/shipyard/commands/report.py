"""`shipyard report --html [-o FILE]`: the delivery dashboard as one offline HTML page.

The generated analytics workflow runs `shipyard report --html -o site/index.html` and
publishes `site/` as the GitHub Pages artifact (see docs/monitoring.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from shipyard import output
from shipyard.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--html", action="store_true", help="write the HTML dashboard")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where (default: .shipyard/reports/shipyard-report.html)",
    )
    parser.add_argument("--branch", help="pipeline runs and gates of this branch (default: all)")
    parser.add_argument("--days", type=int, default=30, help="length of the period (default 30)")
    parser.add_argument("--json", action="store_true", help="print what was written as JSON")


def run(args: argparse.Namespace) -> int:
    from shipyard.formats import dashboard as page
    from shipyard.metrics import dashboard
    from shipyard.metrics.collect import for_project
    from shipyard.store import write_atomic

    if not args.html:
        raise UsageError("shipyard report needs --html", hint="shipyard report --html -o FILE")
    repo, m = for_project(args.project, args.days, args.branch)
    found = dashboard.gather(repo, m, args.branch)
    from shipyard.store import Store

    if args.output is None:
        target = Store(repo.root).report_path("shipyard-report.html")
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        target = args.output if args.output.is_absolute() else args.project / args.output
    if not target.parent.is_dir():
        raise UsageError(f"-o {args.output}: the folder {target.parent} does not exist")
    write_atomic(target, page.render(found))
    if args.json:
        output.json_out({"written": str(target), **page.summary(found)})
    else:
        output.out(f"wrote {target}")
        for note in found.notes:
            output.out(f"note: {note}")
    return 0
