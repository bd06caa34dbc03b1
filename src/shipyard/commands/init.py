"""`shipyard init`: detect the project and write its whole pipeline definition.

Python projects get `[tool.shipyard]` appended to pyproject.toml (the rest of the file kept
byte for byte); anything else gets `shipyard.toml`. A project with both languages gets both
sets of stages, the Node ones prefixed `node-`. An existing definition is never overwritten
silently: `--update` adds the parts it lacks, `--force` replaces it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from shipyard import output
from shipyard.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--print", action="store_true", help="print the definition; write nothing")
    parser.add_argument(
        "--explain", action="store_true", help="list every guess with the file that made it"
    )
    parser.add_argument(
        "--update", action="store_true", help="add the parts an existing definition lacks"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing definition")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    """Propose, then print or write; with --json the same report as one object."""
    report: dict[str, object] = {}
    say = output.out if not args.json else (lambda text: None)
    code = _init(args, report, say)
    if args.json:
        output.json_out(report)
    return code


def _init(args: argparse.Namespace, report: dict[str, object], say: Callable[[str], None]) -> int:
    from shipyard.toolchains import adopt, ignore, render
    from shipyard.toolchains.compose import propose

    root = args.project
    plan = propose(root)
    if not plan.stages:
        raise UsageError(
            f"found no Python (pyproject.toml) or Node (package.json) project in {root}",
            hint="write shipyard.toml by hand; see docs/configuration.md",
        )
    report["guesses"] = [{"what": g.what, "source": g.source} for g in plan.guesses]
    report["stages"] = list(plan.stages)
    if args.explain:
        for g in plan.guesses:
            say(f"{g.what}\n    from {g.source}")
        return 0
    t = adopt.target(root, plan)
    exists = t.path.is_file() and adopt.defined(t)
    report["file"], report["written"], report["added"] = str(t.path), False, []
    if args.print:
        report["definition"] = render.text(render.parts(plan, t.prefix))
        say(str(report["definition"]).rstrip("\n"))
        return 0
    if exists and not args.force:
        lacking = adopt.missing(t, plan)
        if not lacking:
            say(f"{t.label} already has every part init proposes")
            return 0
        names = ", ".join(p.key for p in lacking)
        if not args.update:
            raise UsageError(
                f"{t.path.name} already holds a pipeline definition; it lacks: {names}",
                hint="`shipyard init --update` adds those parts, --print shows the whole "
                "proposal, --force replaces the definition",
            )
        adopt.write(t, adopt.updated_text(t, lacking))
        report["written"], report["added"] = True, [p.key for p in lacking]
        say(f"added to {t.label}: {names}")
    else:
        adopt.write(t, adopt.new_text(t, plan, args.force))
        report["written"] = True
        say(
            f"wrote {t.label}: {', '.join(plan.stages)}; [gates], [release], [hooks]"
            + (", [bench]" if plan.bench else "")
        )
    added = ignore.add(root, plan.ignore)
    report["gitignore"] = list(added)
    if added:
        say(f"added to .gitignore: {' '.join(added)}")
    for g in plan.guesses:
        if any(
            w in g.what
            for w in (
                "none found",
                "not measured",
                "not a dependency",
                "not a devDependency",
                "so install",
            )
        ):
            output.err(f"note: {g.what} ({g.source})")
    say("next: `shipyard init --explain` to see why, `shipyard run` to run it")
    return 0
