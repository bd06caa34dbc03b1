"""`shipyard release`: test, bump, changelog, commit, tag, build, publish, push, announce."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from shipyard import output
from shipyard.errors import CheckFailed

if TYPE_CHECKING:
    from shipyard.release.flow import Outcome, Step
    from shipyard.release.prepare import Plan


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--channel", choices=["alpha", "beta", "rc"], help="release a pre-release on this channel"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print every step, the version and the notes; change nothing",
    )
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.add_argument(
        "--ci",
        nargs="?",
        const="all",
        choices=["all", "build", "publish"],
        help="publish the release tagged at HEAD (for a tag-push workflow): build, publish, "
        "GitHub release; no commit, tag or push. `build` only builds into --dist, `publish` "
        "only publishes what --dist holds (two jobs, so the one with publish rights never "
        "installs the project's dependencies)",
    )
    parser.add_argument(
        "--dist",
        metavar="DIR",
        default="release-dist",
        help="folder of the built packages for --ci build / publish (default: release-dist)",
    )


def run(args: argparse.Namespace) -> int:
    from shipyard.release import settings
    from shipyard.release.prepare import prepare
    from shipyard.store import Store

    conf, root = settings.load(args.project)
    work = Store(root).dir / "release"
    from shipyard.release import packages

    ws = packages.monorepo(root)
    if ws is not None:
        from shipyard.commands.release_workspace import run_workspace

        return run_workspace(args, conf, root, ws, work)
    plan: Plan | None
    if args.ci:
        from shipyard.release.prepare import prepare_tagged

        plan = prepare_tagged(root, conf, work)
    else:
        plan = prepare(root, conf, args.channel, work)
    if plan is None:
        if args.json:
            output.json_out({"release": False, "outcome": "nothing to release"})
        output.err("no release: no commit since the last release warrants one")
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
        output.out(plan.text)
    return 0


def _stages(root: Path) -> bool:
    from shipyard import config

    if config.find_definition(root) is None:
        return False
    return any(s.release for s in config.load(root).stages.values())


def _show(step: Step) -> None:
    mark = {"done": "✓", "skipped": "–", "failed": "✗"}.get(step.status, "·")
    output.err(f"{mark} {step.name}: {step.detail[0] if step.detail else step.status}")
    for line in step.detail[1:]:
        output.err(f"    {line}")


def execute(
    plan: Plan, has_stages: bool, quiet: bool = False, split: tuple[str, Path] | None = None
) -> Outcome:
    """Run the plan; record it in the store whatever happens; raise if a step failed.

    `split` ("build" or "publish", folder) runs one half of a release split over two jobs."""
    from shipyard.release import guard, records
    from shipyard.release.flow import Runner
    from shipyard.store import Store

    def stages() -> list[str]:
        return guard.release_stages(
            plan.root, plan.settings, "the run was interrupted or its gates failed"
        )

    runner = Runner(plan, (lambda s: None) if quiet else _show, stages if has_stages else None)
    store = Store(plan.root)
    row = records.start_release(store, runner.outcome.serialize())
    try:
        with guard.terminate_as_interrupt():
            guard.run_steps(runner, *guard.halves(runner, split), "the release commit and tag")
    finally:
        # an interrupted run is recorded as failed, with the steps it finished
        records.finish_release(store, row, runner.outcome.serialize())
    return runner.outcome


def _print_dry_run(plan: Plan) -> None:
    output.out(plan.text)
    output.out(
        f"dry run: would release {plan.text} as {plan.tag} (dist-tag {plan.dist_tag})"
        + (", resuming the release commit at HEAD" if plan.resume else "")
    )
    steps = ["run the stages marked `release = true`"]
    if not plan.resume:
        steps += [f"write {p.relative_to(plan.root)}" for p in plan.files]
        steps.append(f"commit {plan.settings.commit_message.replace('{version}', plan.text)!r}")
    steps.append(f"create the annotated tag {plan.tag}")
    steps += [f"build and verify the {p.name} package" for p in plan.publishers]
    steps += [f"publish to {p.name} (unless {plan.text} is there already)" for p in plan.publishers]
    steps += [
        f"push {plan.branch} and {plan.tag} to {plan.settings.remote}"
        if plan.push
        else "no push (--ci)",
        "create the GitHub release" + (" (pre-release)" if plan.prerelease else ""),
    ]
    for i, text in enumerate(steps, 1):
        output.out(f"  {i}. {text}")
    output.out("\nrelease notes:\n")
    output.out(plan.notes.rstrip("\n"))
