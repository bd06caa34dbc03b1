"""`shipyard run [STAGE ...]`: run the pipeline as a parallel, cached DAG and record it."""

from __future__ import annotations

import argparse
import os

from shipyard import output
from shipyard.errors import EXIT_INTERRUPTED, UsageError
from shipyard.pipeline import session
from shipyard.pipeline.plan import LOCAL, Instance
from shipyard.pipeline.session import RunOptions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "stages",
        nargs="*",
        metavar="STAGE",
        help="stages to run, with what they need (default: the whole pipeline)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="stages run at once (default: the number of CPUs)",
    )
    parser.add_argument(
        "-k",
        "--keep-going",
        action="store_true",
        help="after a critical failure, go on with stages that do not need it",
    )
    parser.add_argument(
        "--trigger",
        choices=["push", "pr", "tag", "schedule"],
        help="select stages as CI would for this event (default: push and pr)",
    )
    parser.add_argument(
        "--changed-since",
        metavar="REF",
        help="skip stages whose when.changed globs match no file changed since REF",
    )
    parser.add_argument(
        "--matrix",
        choices=["local", "all"],
        default="local",
        help="all: run every matrix cell this machine can (default: local only)",
    )
    parser.add_argument("--no-cache", action="store_true", help="run every stage; ignore the cache")
    parser.add_argument("--dry-run", action="store_true", help="print the plan; run nothing")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--release",
        action="store_true",
        help="run the stages marked `release = true` (what `shipyard release` runs)",
    )
    parser.add_argument("--shard", metavar="K/N", help="run part K of N of a sharded test stage")
    parser.add_argument(
        "--affected",
        action="store_true",
        help="monorepo: run only the stages of packages changed since --base, and of their "
        "dependents",
    )
    parser.add_argument(
        "--base",
        metavar="REF",
        help="with --affected: compare with REF (default: the merge base with the default branch)",
    )
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="fail at once when another run of this worktree holds the lock (default: wait)",
    )


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {args.jobs}")
    opts = RunOptions(
        stages=args.stages,
        jobs=args.jobs,
        keep_going=args.keep_going,
        trigger=args.trigger or LOCAL,
        changed_since=args.changed_since,
        matrix_all=args.matrix == "all",
        use_cache=not args.no_cache,
        json=args.json,
        release=args.release,
        shard=_parse_shard(args.shard),
        wait=not args.no_wait,
        affected=args.affected,
        base=args.base,
    )
    if args.base and not args.affected:
        raise UsageError("--base goes with --affected", hint="add --affected, or drop --base")
    if args.dry_run:
        _print_plan(session.prepare(args.project, opts).instances, args.json)
        return 0
    result = session.execute(args.project, options=opts)
    if args.json:
        output.json_out(result.serialize())
    if result.interrupted:
        return EXIT_INTERRUPTED
    return 0 if result.ok else 1


def _parse_shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise UsageError(f"--shard expects K/N such as 1/4, got {text!r}") from None
    if not 1 <= k <= n:
        raise UsageError(f"--shard {text}: K must be between 1 and N")
    return k, n


def _print_plan(instances: list[Instance], json: bool) -> None:
    if json:
        output.json_out(
            [
                {
                    "stage": i.name,
                    "needs": list(i.needs),
                    "skip": i.skip or None,
                    "commands": list(i.stage.run),
                }
                for i in instances
            ],
            key="plan",
        )
        return
    for i in instances:
        needs = f" (after {', '.join(i.needs)})" if i.needs else ""
        state = f"skip: {i.skip}" if i.skip else "run"
        output.out(f"{i.name}{needs}: {state}")
        if not i.skip:
            for command in i.stage.run:
                output.out(f"    $ {command}")
