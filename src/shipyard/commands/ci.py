"""`shipyard ci generate [--check] [--force]`, `shipyard ci durations STAGE`,
`shipyard ci comment FILE --pr N` (a pull-request comment kept up to date, from a CI job) and
`shipyard ci affected` (a monorepo's changed packages as a matrix)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from shipyard import output
from shipyard.errors import EXIT_CHECK_FAILED, UsageError

if TYPE_CHECKING:
    from shipyard.ci.interface import Project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    gen = sub.add_parser(
        "generate",
        help="write .github/ (workflows, setup action, dependabot, "
        "settings, issue template) and .env.example from the definition",
    )
    gen.add_argument(
        "--check",
        action="store_true",
        help="write nothing; print a diff and exit 1 when the files are out of date",
    )
    gen.add_argument(
        "--force",
        action="store_true",
        help="also replace files that have no generated header (hand-written)",
    )
    gen.add_argument("--json", action="store_true", help="print the changes as JSON")
    dur = sub.add_parser(
        "durations",
        help="write the recorded test durations of a sharded "
        "stage, for CI runners to split its tests the same way",
    )
    dur.add_argument("stage", metavar="STAGE")
    dur.add_argument(
        "--output",
        metavar="FILE",
        help="where to write (default: .github/shard-durations/STAGE.json)",
    )
    dur.add_argument("--json", action="store_true", help="print the result as JSON")
    com = sub.add_parser(
        "comment",
        help="post FILE as a pull-request comment, editing the one posted before "
        "(GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL from the runner)",
    )
    com.add_argument("file", metavar="FILE", type=Path, help="the comment's markdown")
    com.add_argument("--pr", required=True, type=_number, help="the pull request's number")
    com.add_argument(
        "--name",
        default="shipyard",
        help="which comment to keep up to date (its hidden marker; default: shipyard)",
    )
    com.add_argument("--json", action="store_true", help="print the comment posted as JSON")

    aff = sub.add_parser(
        "affected",
        help="list the workspace packages changed since a base (and their dependents), "
        "as a GitHub Actions matrix",
    )
    aff.add_argument(
        "--base", metavar="REF", help="default: the merge base with the default branch"
    )
    aff.add_argument("--json", action="store_true", help="print the matrix as JSON")
    aff.add_argument(
        "--github-output",
        action="store_true",
        help="also write `matrix` and `count` to $GITHUB_OUTPUT (the packages workflow)",
    )


def run(args: argparse.Namespace) -> int:
    if args.action == "affected":
        return _affected(args.project, args.base, args.json, args.github_output)
    if args.action == "generate":
        return _generate(args.project, args.check, args.force, args.json)
    if args.action == "durations":
        return _durations(args.project, args.stage, args.output, args.json)
    if args.action == "comment":
        return _comment(args.file, args.pr, args.name, args.json)
    raise UsageError(
        "expected an action: `shipyard ci generate`, `shipyard ci durations STAGE`, "
        "`shipyard ci comment FILE --pr N` or `shipyard ci affected`",
        hint="see `shipyard ci --help`",
    )


def _affected(root: Path, base: str | None, as_json: bool, github_output: bool = False) -> int:
    from shipyard import config
    from shipyard.pipeline import affected

    ws = affected.workspace_at(root)
    found = affected.find(ws, base)
    stages = config.load(root).stages if config.find_definition(root) else {}
    data = affected.matrix(ws, found, stages)
    if github_output:
        from shipyard.ci.affected import write_github_output

        write_github_output(data)
    if as_json:
        output.json_out(data)
        return 0
    for row in data["matrix"]["include"]:
        output.out(f"{row['package']} ({row['folder']}): {row['run'] or 'no stage of its own'}")
    if not found.packages:
        output.err(f"no package changed since {found.base}")
    return 0


def _generate(root: Path, check: bool, force: bool, as_json: bool) -> int:
    from shipyard.ci import generate

    project = generate.load_project(root)
    results = generate.plan(project)
    changed = [r for r in results if r.change != generate.Change.UNCHANGED]
    if not check:
        generate.apply(project, results, force)
    if as_json:
        output.json_out(
            {
                "check": check,
                "changed": len(changed),
                "files": [{"path": r.path, "change": str(r.change)} for r in results],
            }
        )
    elif check:
        for r in changed:
            output.out(r.diff.rstrip("\n"))
        output.err(
            f"{len(changed)} CI file(s) out of date; run `shipyard ci generate`"
            if changed
            else "CI files are up to date"
        )
    else:
        for r in changed:
            output.out(f"{r.change:<9}  {r.path}")
        output.out(f"{len(changed)} changed, {len(results) - len(changed)} unchanged")
        _install_note(project)
        _durations_notes(project)
    return EXIT_CHECK_FAILED if check and changed else 0


def _install_note(project: Project) -> None:
    """Where CI gets shipyard from, and how to point it elsewhere."""
    from shipyard.ci.repofiles import shipyard_requirement

    requirement = shipyard_requirement(project)
    if requirement:
        output.err(
            f"note: CI installs shipyard with `pip install {requirement}`; to use another "
            'source set [ci] shipyard, e.g. "shipyard @ git+https://github.com/OWNER/'
            'shipyard@TAG" or the URL of a wheel'
        )


def _durations_notes(project: Project) -> None:
    """A sharded stage without a committed durations file is split by file counts in CI."""
    from shipyard.ci.jobs import DURATIONS_DIR

    for stage in project.definition.stages.values():
        path = f"{DURATIONS_DIR}/{stage.name}.json"
        if (stage.shard or 1) > 1 and not (project.root / path).is_file():
            output.err(
                f"note: no {path}: CI runners split stage {stage.name!r} by file counts "
                f"(`shipyard ci durations {stage.name}` writes it from the recorded runs)"
            )


def _durations(root: Path, stage: str, out: str | None, as_json: bool = False) -> int:
    import json

    from shipyard import config
    from shipyard.ci.jobs import DURATIONS_DIR
    from shipyard.pipeline.shard import durations_from_store
    from shipyard.store import Store, write_atomic

    definition = config.load(root)
    if stage not in definition.stages:
        raise UsageError(
            f"no stage named {stage!r} (stages: {', '.join(definition.stages) or 'none'})"
        )
    durations = durations_from_store(
        Store(definition.root), stage, cwd=definition.stages[stage].cwd
    )
    if not durations:
        raise UsageError(
            f"no recorded test durations for stage {stage!r}",
            hint="declare `reports.junit` for the stage and run it once",
        )
    path = Path(out) if out else definition.root / DURATIONS_DIR / f"{stage}.json"
    data = {k: round(v, 3) for k, v in sorted(durations.items())}
    write_atomic(path, json.dumps(data, indent=2) + "\n")
    if as_json:
        output.json_out({"stage": stage, "path": str(path), "files": len(data)})
        return 0
    output.out(f"wrote {len(data)} test files' durations to {path}")
    return 0


def _number(text: str) -> int:
    """A --pr: a pull request's number."""
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a pull request number, got {text!r}")
    return int(text)


def _comment(file: Path, number: int, name: str, as_json: bool) -> int:
    import os
    import re

    from shipyard import textfile
    from shipyard.ci.comment import PullRequestComments

    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise UsageError(f"--name {name!r}: use letters, digits, '.', '_' and '-'")
    missing = [v for v in ("GITHUB_TOKEN", "GITHUB_REPOSITORY") if not os.environ.get(v)]
    if missing:
        raise UsageError(
            f"{' and '.join(missing)} not set",
            hint="on a runner pass `GITHUB_TOKEN: ${{ github.token }}` as the step's env "
            "(GITHUB_REPOSITORY is set by Actions)",
        )
    text = textfile.read_text(file)
    client = PullRequestComments(
        os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/"),
        os.environ["GITHUB_REPOSITORY"],
        number,
        os.environ["GITHUB_TOKEN"],
    )
    posted = client.post(text, name)
    if as_json:
        output.json_out(
            {
                "schema_version": 1,
                "action": posted.action,
                "id": posted.id,
                "url": posted.url,
                "pull_request": number,
            }
        )
    else:
        output.out(f"{posted.action} comment {posted.url or posted.id} on pull request #{number}")
    return 0
