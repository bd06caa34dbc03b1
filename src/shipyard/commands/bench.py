"""`shipyard bench run|history`: benchmarks compared with a pooled baseline kept in git."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from shipyard import output

if TYPE_CHECKING:
    from shipyard.bench.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run", help="run benchmarks, compare with the baseline, record the run")
    run.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    run.add_argument("--base", help="base branch to compare with (default: [bench] base)")
    run.add_argument("--no-record", action="store_true", help="do not write the result file")
    run.add_argument(
        "--markdown",
        type=Path,
        metavar="FILE",
        help="write the comparison as markdown (for a PR comment)",
    )
    run.add_argument("--json", action="store_true", help="print JSON")
    hist = sub.add_parser("history", help="change points in each benchmark's history")
    hist.add_argument("--ref", help="history along this ref (default: the base branch)")
    hist.add_argument("--limit", type=_count, default=10000, help="most recent runs (10000)")
    hist.add_argument("--html", type=Path, metavar="FILE", help="write an HTML dashboard")
    hist.add_argument("--json", action="store_true", help="print JSON")


def _count(text: str) -> int:
    """A --limit: a whole number of runs, at least 1."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of runs, got {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 run, got {number}")
    return number


def run(args: argparse.Namespace) -> int:
    from shipyard import config
    from shipyard.bench import settings

    loaded = settings.load(config.load(args.project))
    if args.json:
        output.document_output()  # a JSON document on stdout: no progress bars
    if args.action == "run":
        return _run(args, loaded)
    return _history(args, loaded)


def _run(args: argparse.Namespace, loaded: Settings) -> int:
    from shipyard.bench import index, render, runner
    from shipyard.bench.results import parse
    from shipyard.store import Store, write_atomic

    result = runner.run(args.project, loaded, args.names, args.base, record=not args.no_record)
    if result.recorded is not None:
        rel = result.recorded.relative_to(args.project).as_posix()
        index.index_runs(Store(args.project), [parse(result.recorded.read_text(), rel)])
    text = render.markdown(result)
    if args.markdown:
        write_atomic(args.markdown, text)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        path = Path(summary)
        old = path.read_text() if path.exists() else ""
        write_atomic(path, old + text)
    if args.json:
        output.json_out(render.serialize(result))
    else:
        output.out(render.summary(result))
        for warning in result.warnings:
            output.err(f"warning: {warning}")
        output.table(render.COLUMNS, render.rows(result))
        if result.recorded is not None:
            output.out(f"recorded {result.recorded.relative_to(args.project)}")
    return 1 if result.failed else 0


def _history(args: argparse.Namespace, loaded: Settings) -> int:
    from shipyard.bench import dashboard, history, index, machine, render, trend
    from shipyard.git import Repo
    from shipyard.store import Store, write_atomic

    repo = Repo.find(args.project)
    if repo is None:
        from shipyard.errors import UsageError

        raise UsageError(f"{args.project} is not in a git repository")
    name = machine.fingerprint(loaded.machine)
    if args.ref and not repo.rev_exists(args.ref):
        from shipyard.errors import UsageError

        raise UsageError(
            f"--ref {args.ref}: no such branch, tag or commit in {repo.root}",
            hint="name a ref that exists (git branch -a lists them; fetch it first in CI)",
        )
    ref = args.ref or (loaded.base if repo.rev_exists(loaded.base) else "HEAD")
    source = history.RunSource(repo, args.project / loaded.results / name, ref)
    runs = source.runs_along(ref, args.limit)
    index.index_runs(Store(args.project), runs)
    found = trend.trends(runs, loaded.benches)
    if args.html:
        write_atomic(args.html, dashboard.render(found, f"Benchmarks · {name} · {ref}"))
    if args.json:
        other = [{"path": r.path, "machine": r.machine, "commit": r.commit} for r in source.foreign]
        output.json_out(
            {
                "ref": ref,
                "machine": name,
                "series": [t.serialize() for t in found],
                "other_machines": other,
            }
        )
        return 0
    if (foreign := source.foreign_warning()) is not None:
        output.err(f"warning: {foreign}")
    output.out(f"{len(runs)} runs along {ref} on machine {name}")
    output.table(
        ("benchmark", "runs", "latest", "change points"),
        [
            (
                t.key,
                len(t.points),
                render.value(t.points[-1].median, t.unit),
                ", ".join(f"{t.commit_at(c)[:10]} {c.change:+.1%}" for c in t.changes) or "none",
            )
            for t in found
        ],
    )
    if args.html:
        output.out(f"wrote {args.html}")
    return 0
