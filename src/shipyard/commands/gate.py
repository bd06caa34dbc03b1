"""`shipyard gate`: evaluate the quality gates from the reports the stages wrote.

Exit codes: 0 every gate passed (or --warn-only), 1 a gate failed, 2 a report or the [gates]
section is wrong, 3 git or the store failed.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

FORMATS = ("table", "json", "markdown", "junit")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base",
        metavar="REF",
        help="the base for coverage of changed lines (default: the merge base of HEAD with "
        "the base branch, [gates] base, main)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    parser.add_argument(
        "--json",
        action="store_const",
        dest="format",
        const="json",
        default=argparse.SUPPRESS,
        help="the same as --format json",
    )
    parser.add_argument(
        "--output", metavar="FILE", type=Path, help="write the --format output to FILE"
    )
    parser.add_argument(
        "--warn-only", action="store_true", help="report failing gates without failing (exit 0)"
    )
    parser.add_argument(
        "--history",
        metavar="N",
        type=int,
        help="list the last N recorded evaluations (with --format json: every figure) and exit",
    )


def run(args: argparse.Namespace) -> int:
    from shipyard import api
    from shipyard.errors import UsageError
    from shipyard.gates.evaluate import emit

    if args.output is not None and args.format == "table":
        raise UsageError("--output needs --format json, markdown or junit")
    definition = api.load(args.project)
    from shipyard.gates import settings

    if settings.turned_off(definition):
        from shipyard import output

        output.out("the gates are turned off (`gates = false` in the definition)")
        return 0
    if args.history is not None:
        return _history(api.gate_history(definition.root, args.history), args.format)
    ev = api.evaluate_gates(definition.root, args.base, definition=definition)
    ev.warn_only = ev.warn_only or args.warn_only
    emit(ev, args.format, args.output)
    return 0 if ev.passed or ev.warn_only else 1


def _history(items: list[dict[str, Any]], fmt: str) -> int:
    from shipyard import output
    from shipyard.pipeline.history import age

    if fmt == "json":
        output.json_out(items, key="evaluations")
        return 0
    rows = [
        (
            e["id"],
            age(e["created"]),
            (e["commit_sha"] or "")[:10],
            e["branch"] or "",
            e["run_id"] or "",
            "passed" if e["passed"] else "failed",
            ", ".join(g["gate"] for g in e["gates"] if g["status"] == "failed"),
        )
        for e in items
    ]
    output.table(("id", "when", "commit", "branch", "run", "result", "failed gates"), rows)
    return 0
