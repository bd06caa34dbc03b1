"""`shipyard validate python|node DIST`: the post-build checks a build stage runs.

Exit codes: 0 every check passed, 1 a check failed.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=["python", "node"], help="what was built")
    parser.add_argument("dist", type=Path, help="the folder the build wrote (e.g. dist)")
    parser.add_argument(
        "--import",
        dest="imports",
        action="append",
        default=[],
        metavar="NAME",
        help="a module (Python) or entry file (Node) that must import",
    )
    parser.add_argument(
        "--cli",
        dest="clis",
        action="append",
        default=[],
        metavar="NAME",
        help="a console script (Python) or bin file (Node) that must answer --version",
    )
    parser.add_argument(
        "--types",
        action="append",
        default=[],
        metavar="FILE",
        help="an emitted .d.ts file that must pass tsc --noEmit (Node)",
    )
    parser.add_argument("--json", action="store_true", help="print the checks as JSON")


def run(args: argparse.Namespace) -> int:
    from shipyard import output
    from shipyard.toolchains import validate

    validate.RESULTS = validate.Results(quiet=args.json)

    root: Path = args.project
    dist = args.dist if args.dist.is_absolute() else root / args.dist
    if args.kind == "python":
        ok = validate.python(dist, args.imports, args.clis, root)
    else:
        ok = validate.node(dist, args.imports, args.clis, args.types, root)
    if args.json:
        output.json_out({"kind": args.kind, "ok": ok, "checks": validate.RESULTS.checks})
    return 0 if ok else 1
