"""`shipyard run [STAGE ...]`: run the pipeline as a parallel, cached DAG and record it."""

from __future__ import annotations

import argparse
import os
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from shipyard import config, output, proc
from shipyard.errors import EXIT_INTERRUPTED, ConfigError, UsageError
from shipyard.git import Repo
from shipyard.pipeline import groups, history, junit, report
from shipyard.pipeline.cache import TreeState, changed_tracked
from shipyard.pipeline.execute import CommandHook, Context
from shipyard.pipeline.history import HOOK_PREFIX
from shipyard.pipeline.model import RunResult, StageResult
from shipyard.pipeline.plan import LOCAL, Instance, Selection, plan
from shipyard.pipeline.runner import Events, Interrupted, schedule
from shipyard.store import Store


@dataclass
class RunOptions:
    stages: Sequence[str] = ()
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    keep_going: bool = False
    trigger: str = LOCAL
    changed_since: str | None = None
    matrix_all: bool = False
    use_cache: bool = True
    dry_run: bool = False
    json: bool = False
    quiet: bool = False
    release: bool = False
    shard: tuple[int, int] | None = None
    hook: str | None = None  # run by this git hook: recorded apart from pipeline runs
    wait: bool = True  # queue behind another run of this worktree (False: fail at once)


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
        dry_run=args.dry_run,
        json=args.json,
        release=args.release,
        shard=_parse_shard(args.shard),
        wait=not args.no_wait,
    )
    result = execute(args.project, options=opts)
    if result is None:
        return 0
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


def execute(
    project: Path,
    stages: Sequence[str] = (),
    *,
    release: bool = False,
    options: RunOptions | None = None,
) -> RunResult | None:
    """Run the pipeline of the project at `project`; None for a dry run."""
    opts = options or RunOptions(stages=stages, release=release, quiet=True)
    definition = config.load(project)
    if not definition.stages:
        raise ConfigError(
            definition.file,
            definition.section("stages").path,
            "no stages to run",
            hint="define at least one [stages.NAME] with a `run` command",
        )
    log_cap(definition)  # checked before a run is recorded: a bad value records nothing
    root = definition.root
    repo = Repo.find(root)
    changed = None
    if opts.changed_since:
        if repo is None:
            raise UsageError("--changed-since needs a git repository")
        changed = repo.changed_since(opts.changed_since)
    instances = plan(
        definition.stages,
        Selection(opts.stages, opts.trigger, changed, opts.matrix_all, opts.release),
    )
    if opts.dry_run:
        _print_plan(instances, opts)
        return None
    store = Store(root)
    with store.run_lock(wait=opts.wait, waiting=output.err):
        return _run(definition, opts, repo, store, instances)


def _run(
    definition: config.Definition,
    opts: RunOptions,
    repo: Repo | None,
    store: Store,
    instances: list[Instance],
) -> RunResult:
    """The run itself, under the worktree's run lock."""
    root = definition.root
    run = RunResult(
        None,
        f"{HOOK_PREFIX}{opts.hook}" if opts.hook else opts.trigger,
        repo.head() if repo else None,
        repo.branch() if repo else None,
        time.time(),
    )
    run.id = run_id = history.start_run(store, run)
    ctx = Context(root, store, run_id, _scan_tree(root, store, run), use_cache=opts.use_cache)
    left = groups.reap_leftovers(store)
    if left:
        output.err(f"stopped {left} process group(s) left running by a killed run")
    ctx.token, ctx.guardian = groups.new_token(), proc.Guardian()
    ctx.log_cap = log_cap(definition)
    stage_env = {k: v for s in definition.stages.values() for k, v in s.env.items()}
    ctx.masker = output.mask_secrets({**os.environ, **stage_env}, definition.mask)
    if opts.shard:
        ctx.command_hook = _shard_hook(opts.shard, root, store)
    reporter = (
        report.LiveReporter()
        if output.is_terminal() and not opts.json
        else report.Reporter(quiet=opts.json or opts.quiet)
    )

    def finished(inst: Instance, res: StageResult) -> None:
        reporter.on_finished(inst, res)
        history.record_stage(store, run_id, res)

    events = Events(started=reporter.on_started, finished=finished, tick=reporter.tick)
    t0 = time.monotonic()
    previous = signal.signal(signal.SIGTERM, _sigterm)
    reporter.start()
    try:
        run.stages = schedule(instances, ctx, opts.jobs, opts.keep_going, events)
    except Interrupted as exc:
        run.stages, run.interrupted = exc.results, True
        for r in exc.results:
            history.record_stage(store, run_id, r)
    except BaseException:
        run.errored = True  # an internal error is never recorded as a pass
        raise
    finally:
        ctx.guardian.close()  # every group has ended; nothing is left for it to kill
        reporter.stop()
        signal.signal(signal.SIGTERM, previous)
        run.duration = time.monotonic() - t0
        ctx.cleanup()
        run.changed_files = changed_tracked(ctx.tree)
        history.finish_run(store, run)  # recorded even when something above went wrong
    _merge_reports(definition, store, run, instances)
    from shipyard.gates import settings as gate_settings

    if gate_settings.enabled(definition) and not run.interrupted:
        from shipyard.gates.evaluate import after_run

        run.gates_passed = after_run(definition, store, run_id, show=not opts.json)
        history.finish_run(store, run)
    if opts.json:
        output.json_out(run.serialize())
    elif not opts.quiet:
        report.summary(run)
    return run


def log_cap(definition: config.Definition) -> int:
    """Bytes of output a stage log keeps: `[store] log-cap-mb` (default 100)."""
    t = definition.section("store")
    megabytes = t.int("log-cap-mb", 100, minimum=1, maximum=1_000_000) or 100
    t.done()
    return megabytes * 1024 * 1024


def _scan_tree(root: Path, store: Store, run: RunResult) -> TreeState:
    """The tree's state; an interrupt (Ctrl-C, SIGTERM) meanwhile still records the run."""
    try:
        return TreeState.scan(root)
    except KeyboardInterrupt:
        run.interrupted = True
        history.finish_run(store, run)
        raise


def _sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _merge_reports(
    definition: config.Definition, store: Store, run: RunResult, instances: list[Instance]
) -> None:
    ran = {r.name for r in run.stages if r.status in ("passed", "failed")}
    reports = [
        (i.stage.name, base / i.stage.reports["junit"], base)
        for i in instances
        if i.name in ran and "junit" in i.stage.reports
        for base in [definition.root / i.stage.cwd]
    ]
    try:
        junit.merge(store, run.id or 0, reports)
    except UsageError as exc:  # a broken report must not lose the run record
        output.err(f"warning: {exc.message}")


def _shard_hook(shard: tuple[int, int], root: Path, store: Store) -> CommandHook:
    from shipyard.pipeline import shard as sharding

    def hook(inst: Instance, command: str) -> str:
        if inst.stage.shard is None:
            return command
        return str(sharding.apply(inst.stage, command, shard[0], shard[1], root, store))

    return hook


def _print_plan(instances: list[Instance], opts: RunOptions) -> None:
    if opts.json:
        output.json_out(
            [
                {
                    "stage": i.name,
                    "needs": list(i.needs),
                    "skip": i.skip or None,
                    "commands": list(i.stage.run),
                }
                for i in instances
            ]
        )
        return
    for i in instances:
        needs = f" (after {', '.join(i.needs)})" if i.needs else ""
        state = f"skip: {i.skip}" if i.skip else "run"
        output.out(f"{i.name}{needs}: {state}")
        if not i.skip:
            for command in i.stage.run:
                output.out(f"    $ {command}")
