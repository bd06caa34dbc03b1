"""`shipyard release` in a monorepo: every changed package, in dependency order, in one
release commit (docs/release.md, "Monorepos"). Called by commands/release.py."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from shipyard import output
from shipyard.errors import CheckFailed, ShipyardError, UsageError

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

    if args.ci not in (None, "all"):
        raise UsageError(
            f"--ci {args.ci}: a monorepo release is not split over two jobs yet",
            hint="use `shipyard release --ci` (build and publish in one job)",
        )
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
            _dry_run_stages(plan)
        _print_dry_run(plan)
        return 0
    outcome = execute(plan, _stages(root), quiet=args.json)
    if args.json:
        output.json_out(outcome.serialize())
    if not outcome.ok:
        raise CheckFailed(f"release {plan.text} failed: {outcome.error}", hint=outcome.hint)
    if not args.json:
        for pkg in plan.packages:
            output.out(pkg.tag)
    return 0


GATES = "the quality gates"


def _release_stages(plan: WorkspacePlan) -> list[str]:
    """Run the stages marked `release = true`; the names of the failed ones."""
    from shipyard import api

    with _without_tokens(plan):
        result = api.run(plan.root, release=True)
    if result is not None and result.interrupted:
        raise KeyboardInterrupt  # Ctrl-C or SIGTERM while the stages ran: undo, exit 130
    if result is None or result.ok:
        return []
    bad = [s.name for s in result.stages if not s.status.ok and s.critical]
    return bad or [GATES]


def execute(plan: WorkspacePlan, has_stages: bool, quiet: bool = False) -> WorkspaceOutcome:
    """Run the plan; record one release per package in the store whatever happens."""
    from shipyard.commands.release import _show, _sigterm
    from shipyard.release import records
    from shipyard.release.packages_flow import WorkspaceRunner
    from shipyard.store import Store

    stages = (lambda: _release_stages(plan)) if has_stages else None
    runner = WorkspaceRunner(plan, (lambda s: None) if quiet else _show, stages)
    store = Store(plan.root)
    rows = [records.start_release(store, _row(runner, i)) for i in range(len(plan.packages))]
    previous = signal.signal(signal.SIGTERM, _sigterm)
    try:
        _run_steps(runner)
    finally:
        signal.signal(signal.SIGTERM, previous)
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


def _run_steps(runner: WorkspaceRunner) -> None:
    """Local steps, then remote ones; a local failure is undone, a remote one resumable."""
    from shipyard.release.flow import Step, StepFailed

    phase = "local"
    try:
        runner.local()
        phase = "remote"
        runner.remote()
    except (ShipyardError, StepFailed, KeyboardInterrupt) as exc:
        message = exc.message if isinstance(exc, ShipyardError | StepFailed) else "interrupted"
        runner.outcome.error = message
        last = runner.outcome.steps[-1].name if runner.outcome.steps else "the start"
        step = exc.step if isinstance(exc, StepFailed) else f"after {last}"
        runner.outcome.steps.append(Step(step, "failed", [message]))
        if phase == "local":
            runner.undo()
            runner.outcome.hint = (
                "nothing left this machine; the release commit and tags were removed"
            )
        else:
            runner.outcome.hint = "re-run `shipyard release` to resume: finished steps are skipped"
        if isinstance(exc, KeyboardInterrupt):
            raise


@contextlib.contextmanager
def _without_tokens(plan: WorkspacePlan) -> Iterator[None]:
    """Tests do not need publish tokens: keep them out of the stages' environment and logs."""
    conf = plan.settings
    names = (conf.npm.token_env, conf.pypi.token_env, conf.github.token_env)
    saved = {
        n: os.environ.pop(n)
        for n in (*names, "TWINE_PASSWORD", "NODE_AUTH_TOKEN")
        if n in os.environ
    }
    try:
        yield
    finally:
        os.environ.update(saved)


def _dry_run_stages(plan: WorkspacePlan) -> None:
    bad = _release_stages(plan)
    if bad:
        raise CheckFailed(
            f"dry run: the release stages failed ({', '.join(bad)}): a release would stop here",
            hint="see `shipyard runs show` for the logs",
        )
    output.err("✓ test: the release stages passed (dry run)")


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
