"""`shipyard release` in a monorepo: every changed package, in dependency order, in one
release commit (docs/release.md, "Monorepos"). Called by commands/release.py."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from shipyard import output
from shipyard.errors import CheckFailed

if TYPE_CHECKING:
    from shipyard.release.packages_flow import WorkspaceOutcome, WorkspaceRunner
    from shipyard.release.packages_plan import WorkspacePlan
    from shipyard.release.settings import Settings
    from shipyard.workspace import Workspace


def run_workspace(
    args: argparse.Namespace, conf: Settings, root: Path, ws: Workspace, work: Path
) -> int:
    from shipyard.commands.release import _stages
    from shipyard.release import packages_plan

    plan: WorkspacePlan | None
    if args.ci:
        plan = packages_plan.prepare_tagged(root, ws, conf, work)
    else:
        plan = packages_plan.prepare(root, ws, conf, args.channel, work)
    if plan is None:
        if args.json:
            output.json_out({"schema_version": 1, "release": False, "packages": []})
        output.err("no release: no package has a commit since its last release that warrants one")
        return 0
    if args.dry_run:
        if _stages(root) and not plan.resume:
            from shipyard.release import guard

            guard.dry_run_stages(root, plan.settings)
        _print_dry_run(plan)
        return 0
    split = None if args.ci in (None, "all") else (args.ci, Path(args.dist).absolute())
    outcome = execute(plan, _stages(root), quiet=args.json, split=split)
    if args.json:
        output.json_out(outcome.serialize())
    if not outcome.ok:
        raise CheckFailed(f"release {plan.text} failed: {outcome.error}", hint=outcome.hint)
    if not args.json:
        for pkg in plan.packages:
            output.out(pkg.tag)
    return 0


def execute(
    plan: WorkspacePlan,
    has_stages: bool,
    quiet: bool = False,
    split: tuple[str, Path] | None = None,
) -> WorkspaceOutcome:
    """Run the plan; record one release per package in the store whatever happens.

    `split` ("build" or "publish", folder): one half of a release split over two jobs, the
    build job saving every package's artifacts under the folder, the publish job publishing
    them in dependency order."""
    from shipyard.commands.release import _show
    from shipyard.release import guard, records
    from shipyard.release.packages_flow import WorkspaceRunner
    from shipyard.store import Store

    stages = (lambda: guard.release_stages(plan.root, plan.settings)) if has_stages else None
    runner = WorkspaceRunner(plan, (lambda s: None) if quiet else _show, stages)
    store = Store(plan.root)
    rows = [records.start_release(store, _row(runner, i)) for i in range(len(plan.packages))]
    try:
        with guard.terminate_as_interrupt():
            local, remote = guard.halves(runner, split)
            guard.run_steps(runner, local, remote, "the release commit and tags")
    finally:
        for i, row in enumerate(rows):
            records.finish_release(store, row, _row(runner, i))
    return runner.outcome


def _row(runner: WorkspaceRunner, i: int) -> dict[str, object]:
    data = runner.outcome.serialize()
    pkg = data["packages"][i]
    return {
        "version": f"{pkg['package']}@{pkg['version']}",
        "channel": pkg["channel"],
        "dist_tag": pkg["dist_tag"],
        "tag": pkg["tag"],
        "commit": data["commit"],
        "outcome": data["outcome"],
        "steps": data["steps"],
    }


def _print_dry_run(plan: WorkspacePlan) -> None:
    output.out(
        f"dry run: would release {len(plan.packages)} packages in dependency order"
        + (", resuming the release commit at HEAD" if plan.resume else "")
    )
    for pkg in plan.packages:
        pubs = ", ".join(p.name for p in pkg.publishers) or "no registry"
        output.out(f"  {pkg.tag} (dist-tag {pkg.dist_tag}; {pubs})")
    if not plan.resume:
        for path in sorted(plan.files):
            output.out(f"  write {path.relative_to(plan.root)}")
        output.out(f"  commit {plan.message!r}")
    for pkg in plan.packages:
        output.out(f"\n{pkg.package.name} release notes:\n")
        output.out(pkg.notes.rstrip("\n"))
