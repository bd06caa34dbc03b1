"""One recorded run of the pipeline: plan it, take the worktree's lock, schedule the stages,
record every result in the store, then judge the gates. `shipyard run`, `release` and the git
hooks all come here (through `shipyard.api` for code outside the pipeline)."""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from shipyard import config, output, proc
from shipyard.errors import ConfigError, InputError, UsageError
from shipyard.git import Repo
from shipyard.pipeline import groups, history, packages, render, testcases
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
    json: bool = False
    quiet: bool = False
    release: bool = False
    shard: tuple[int, int] | None = None
    hook: str | None = None  # run by this git hook: recorded apart from pipeline runs
    wait: bool = True  # queue behind another run of this worktree (False: fail at once)
    affected: bool = False  # monorepo: only the stages of packages changed since `base`
    base: str | None = None


@dataclass(frozen=True)
class Prepared:
    """A checked definition and the planned stage instances, before anything runs."""

    definition: config.Definition
    repo: Repo | None
    instances: list[Instance]


def prepare(project: Path, opts: RunOptions) -> Prepared:
    """Load and check the definition, and plan the run (what `--dry-run` shows)."""
    definition = config.load(project)
    if not definition.stages:
        raise ConfigError(
            definition.file,
            definition.section("stages").path,
            "no stages to run",
            hint="define at least one [stages.NAME] with a `run` command",
        )
    log_cap(definition)  # checked before a run is recorded: a bad value records nothing
    from shipyard.gates import settings as gate_settings

    if gate_settings.enabled(definition):
        gate_settings.load(definition)  # a bad threshold too: exit 2 before any stage runs
    repo = Repo.find(definition.root)
    changed = None
    if opts.changed_since:
        if repo is None:
            raise UsageError("--changed-since needs a git repository")
        changed = repo.changed_since(opts.changed_since)
    stages, ws = packages.of_definition(definition)  # per-package stages expanded
    names = packages.selected(opts.stages, definition.stages, stages)
    instances = plan(stages, Selection(names, opts.trigger, changed, opts.matrix_all, opts.release))
    if opts.affected:
        from shipyard.pipeline import affected

        ws = ws or affected.workspace_at(definition.root)
        instances = affected.select(instances, ws, affected.find(ws, opts.base))
    # the run, its reports and its gates see the expanded stages (`test@pkg`, in pkg's folder)
    return Prepared(dataclasses.replace(definition, stages=stages), repo, instances)


def execute(
    project: Path,
    stages: Sequence[str] = (),
    *,
    release: bool = False,
    options: RunOptions | None = None,
) -> RunResult:
    """Run the pipeline of the project at `project`, recorded in its store."""
    opts = options or RunOptions(stages=stages, release=release, quiet=True)
    prepared = prepare(project, opts)
    store = Store(prepared.definition.root)
    with store.run_lock(wait=opts.wait, waiting=output.err):
        return _run(prepared.definition, opts, prepared.repo, store, prepared.instances)


def _run(
    definition: config.Definition,
    opts: RunOptions,
    repo: Repo | None,
    store: Store,
    instances: list[Instance],
) -> RunResult:
    """The run itself, under the worktree's run lock.

    Everything from the moment the run's row exists is inside one `try`, whose `finally`
    finishes the record first: a Ctrl-C or SIGTERM at any moment of start-up, the run or its
    tear-down never leaves a run marked `running`.
    """
    root = definition.root
    run = RunResult(
        None,
        f"{HOOK_PREFIX}{opts.hook}" if opts.hook else opts.trigger,
        repo.head() if repo else None,
        repo.branch() if repo else None,
        time.time(),
    )
    ctx: Context | None = None
    reporter: render.Reporter | None = None
    previous: Any = None
    t0 = time.monotonic()
    try:
        history.start_run(store, run)  # sets run.id as soon as the row exists
        assert run.id is not None
        ctx = Context(root, store, run.id, TreeState.scan(root, store), use_cache=opts.use_cache)
        _prepare(ctx, definition, opts)  # ctx is known here first, so tear-down finds all of it
        reporter = (
            render.LiveReporter()
            if output.is_terminal() and not opts.json and output.verbosity() > output.QUIET
            else render.Reporter(quiet=opts.json or opts.quiet)
        )
        events = _events(reporter, store, run.id)
        previous = signal.signal(signal.SIGTERM, _sigterm)
        reporter.start()
        run.stages = schedule(instances, ctx, opts.jobs, opts.keep_going, events)
    except Interrupted as exc:
        run.stages, run.interrupted = exc.results, True
        for r in exc.results:
            history.record_stage(store, run.id or 0, r)
    except KeyboardInterrupt:  # before the stages started
        run.interrupted = True
        raise
    except BaseException:
        run.errored = True  # an internal error is never recorded as a pass
        raise
    finally:
        try:
            run.duration = time.monotonic() - t0
            if ctx is not None:
                run.changed_files = changed_tracked(ctx.tree)
        finally:
            try:
                history.finish_run(store, run)  # recorded even when something above went wrong
            except KeyboardInterrupt:  # arriving while the end is written: written as such
                run.interrupted = True
                history.finish_run(store, run)
                raise
            finally:
                _tear_down(ctx, reporter, previous)
    _merge_reports(definition, store, run, instances)
    from shipyard.gates import settings as gate_settings

    if gate_settings.enabled(definition) and not run.interrupted:
        from shipyard.gates.evaluate import after_run

        run.gates_passed = after_run(definition, store, run.id or 0, show=not opts.json)
        history.finish_run(store, run)
    if not opts.json and not opts.quiet:
        render.summary(run)
    return run


def log_cap(definition: config.Definition) -> int:
    """Bytes of output a stage log keeps: `[store] log-cap-mb` (default 100)."""
    t = definition.section("store")
    megabytes = t.int("log-cap-mb", 100, minimum=1, maximum=1_000_000) or 100
    t.done()
    return megabytes * 1024 * 1024


def _prepare(ctx: Context, definition: config.Definition, opts: RunOptions) -> None:
    """What the run's stages share besides the tree: process guardian, log cap, masking."""
    left = groups.reap_leftovers(ctx.store)
    if left:
        output.err(f"stopped {left} process group(s) left running by a killed run")
    ctx.token, ctx.guardian = groups.new_token(), proc.Guardian()
    ctx.log_cap = log_cap(definition)
    stage_env = {k: v for s in definition.stages.values() for k, v in s.env.items()}
    ctx.masker = output.mask_secrets({**os.environ, **stage_env}, definition.mask)
    if opts.shard:
        ctx.command_hook = _shard_hook(opts.shard, ctx.root, ctx.store)


def _events(reporter: render.Reporter, store: Store, run_id: int) -> Events:
    def finished(inst: Instance, res: StageResult) -> None:
        reporter.on_finished(inst, res)
        history.record_stage(store, run_id, res)

    return Events(started=reporter.on_started, finished=finished, tick=reporter.tick)


def _tear_down(ctx: Context | None, reporter: render.Reporter | None, previous: Any) -> None:
    """Undo what the run set up, as far as it got."""
    if ctx is not None and ctx.guardian is not None:
        ctx.guardian.close()  # every group has ended; nothing is left for it to kill
    if reporter is not None:
        reporter.stop()
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)
    if ctx is not None:
        ctx.cleanup()


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
        testcases.merge(store, run.id or 0, reports)
    except (UsageError, InputError) as exc:  # a broken report must not lose the run record
        # nor its gates: the tests gate reads the same report and fails on it
        output.err(f"warning: test cases not indexed: {exc.message}")


def _shard_hook(shard: tuple[int, int], root: Path, store: Store) -> CommandHook:
    from shipyard.pipeline import shard as sharding

    def hook(inst: Instance, command: str) -> str:
        if inst.stage.shard is None:
            return command
        return str(sharding.apply(inst.stage, command, shard[0], shard[1], root, store))

    return hook
