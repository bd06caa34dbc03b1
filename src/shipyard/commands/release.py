"""`shipyard release`: test, bump, changelog, commit, tag, build, publish, push, announce."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from shipyard import output
from shipyard.errors import CheckFailed, ShipyardError

if TYPE_CHECKING:
    from shipyard.release.flow import Outcome, Runner, Step
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
        _dry_run_stages(plan, _stages(root))
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
    from shipyard.release.flow import Runner

    def stages() -> list[str]:
        from shipyard import api

        with _without_tokens(plan):
            result = api.run(plan.root, release=True)
        if result.interrupted:
            raise KeyboardInterrupt  # Ctrl-C or SIGTERM while the stages ran: undo, exit 130
        if result.ok:
            return []
        bad = [s.name for s in result.stages if not s.status.ok and s.critical]
        return bad or ["the run was interrupted or its gates failed"]

    from shipyard.release import records
    from shipyard.store import Store

    runner = Runner(plan, (lambda s: None) if quiet else _show, stages if has_stages else None)
    store = Store(plan.root)
    row = records.start_release(store, runner.outcome.serialize())
    previous = signal.signal(signal.SIGTERM, _sigterm)
    try:
        _run_steps(runner, split)
    finally:
        signal.signal(signal.SIGTERM, previous)
        # an interrupted run is recorded as failed, with the steps it finished
        records.finish_release(store, row, runner.outcome.serialize())
    return runner.outcome


def _sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # so that a terminated release undoes its local steps


@contextlib.contextmanager
def _without_tokens(plan: Plan) -> Iterator[None]:
    """Tests do not need publish tokens: keep them out of the stages' environment and logs."""
    conf = plan.settings
    names = (
        conf.npm.token_env,
        conf.pypi.token_env,
        conf.github.token_env,
        "TWINE_PASSWORD",
        "NODE_AUTH_TOKEN",
    )
    saved = {n: os.environ.pop(n) for n in names if n in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


def _run_steps(runner: Runner, split: tuple[str, Path] | None = None) -> None:
    """Run the steps; a failure becomes the outcome's error and hint (interrupts re-raise)."""
    from shipyard.release.flow import Step, StepFailed

    phase = "local"
    try:
        if split and split[0] == "publish":
            runner.load_built(split[1])
        else:
            runner.local()
        if split and split[0] == "build":
            runner.save_built(split[1])
            return
        phase = "remote"
        runner.remote()
    except (ShipyardError, StepFailed, KeyboardInterrupt) as exc:
        message = exc.message if isinstance(exc, ShipyardError | StepFailed) else "interrupted"
        runner.outcome.error = message
        step = exc.step if isinstance(exc, StepFailed) else f"after {_last(runner)}"
        runner.outcome.steps.append(Step(step, "failed", [message]))
        if phase == "local":
            runner.undo()
            runner.outcome.hint = (
                "nothing left this machine; the release commit and tag were removed"
            )
        else:
            runner.outcome.hint = "re-run `shipyard release` to resume: finished steps are skipped"
        if isinstance(exc, KeyboardInterrupt):
            raise


def _last(runner: Runner) -> str:
    return runner.outcome.steps[-1].name if runner.outcome.steps else "the start"


def _dry_run_stages(plan: Plan, has_stages: bool) -> None:
    """A dry run still runs the stages marked `release = true` (tests, build), as a release
    would first: what would stop the release shows now. Nothing is tagged or published."""
    if not has_stages or plan.resume:
        return
    from shipyard import api

    with _without_tokens(plan):
        result = api.run(plan.root, release=True)
    if result.interrupted:
        raise KeyboardInterrupt
    if not result.ok:
        bad = [s.name for s in result.stages if not s.status.ok and s.critical]
        raise CheckFailed(
            f"dry run: the release stages failed ({', '.join(bad) or 'the quality gates'}): "
            "a release would stop here",
            hint="see `shipyard runs show` for the logs",
        )
    output.err("✓ test: the release stages passed (dry run)")


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
