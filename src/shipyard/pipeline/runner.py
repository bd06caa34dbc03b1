"""The parallel scheduler: runs planned instances as a DAG with at most `jobs` at once.

A stage starts when everything it needs has finished and none of it blocks. A blocking result
(failed, timed out, cancelled) marks its dependents BLOCKED; a failing critical stage also
cancels everything else unless `keep_going`. Ctrl-C kills every running process group.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shipyard.pipeline.execute import Context, run_instance
from shipyard.pipeline.model import StageResult, Status
from shipyard.pipeline.plan import Instance


@dataclass
class Events:
    """Callbacks the reporter implements; all are called from the scheduling thread."""

    started: Callable[[Instance], None] = lambda inst: None
    finished: Callable[[Instance, StageResult], None] = lambda inst, res: None
    tick: Callable[[], None] = lambda: None


def schedule(
    instances: Sequence[Instance],
    ctx: Context,
    jobs: int,
    keep_going: bool,
    events: Events | None = None,
) -> list[StageResult]:
    """Run `instances` (in dependency order) and return their results in the same order."""
    with cf.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        state = _Scheduler(instances, ctx, jobs, keep_going, events or Events(), pool)
        try:
            while state.pending or state.running:
                state.launch_ready()
                state.collect()
        except KeyboardInterrupt:
            raise Interrupted(state.interrupt()) from None
    return [state.results[i.name] for i in instances]


class _Scheduler:
    def __init__(
        self,
        instances: Sequence[Instance],
        ctx: Context,
        jobs: int,
        keep_going: bool,
        events: Events,
        pool: cf.ThreadPoolExecutor,
    ) -> None:
        self.instances, self.ctx, self.jobs = instances, ctx, jobs
        self.keep_going, self.events, self.pool = keep_going, events, pool
        self.results: dict[str, StageResult] = {}
        self.pending = list(instances)
        self.running: dict[cf.Future[StageResult], Instance] = {}

    def settle(self, inst: Instance, res: StageResult) -> None:
        self.results[inst.name] = res
        self.events.finished(inst, res)
        fatal = res.blocks and res.status is not Status.CANCELLED and inst.stage.critical
        if fatal and not self.keep_going:
            self.ctx.kill_all()

    def launch_ready(self) -> None:
        for inst in list(self.pending):
            verdict = _verdict(inst, self.results, self.ctx.cancelled.is_set())
            ready = all(d in self.results for d in inst.needs)
            if verdict is None and (len(self.running) >= self.jobs or not ready):
                continue
            self.pending.remove(inst)
            if verdict is not None:
                self.settle(inst, verdict)
            else:
                self.events.started(inst)
                self.running[self.pool.submit(run_instance, inst, self.ctx)] = inst

    def collect(self) -> None:
        if not self.running:
            return
        done, _ = cf.wait(self.running, timeout=0.1, return_when=cf.FIRST_COMPLETED)
        for fut in done:
            self.settle(self.running.pop(fut), fut.result())
        self.events.tick()

    def interrupt(self) -> list[StageResult]:
        self.ctx.kill_all()
        for fut, inst in self.running.items():
            self.results[inst.name] = fut.result()
        for inst in self.pending:
            self.results[inst.name] = _result(inst, Status.CANCELLED, "interrupted")
        for res in self.results.values():
            if res.status is Status.CANCELLED:
                res.reason = "interrupted"
        return [self.results[i.name] for i in self.instances if i.name in self.results]


def _verdict(inst: Instance, results: dict[str, StageResult], stopping: bool) -> StageResult | None:
    """The result of an instance that will not run, or None when it may start."""
    blocker = next((d for d in inst.needs if d in results and results[d].blocks), None)
    if blocker:
        return _result(inst, Status.BLOCKED, f"needs {blocker}, which did not pass")
    if stopping:
        return _result(inst, Status.CANCELLED, "cancelled after a critical failure")
    if inst.skip:
        return _result(inst, Status.SKIPPED, inst.skip)
    return None


def _result(inst: Instance, status: Status, reason: str) -> StageResult:
    return StageResult(
        inst.name, status, budget=inst.stage.budget, critical=inst.stage.critical, reason=reason
    )


class Interrupted(Exception):
    """Ctrl-C during a run; carries the results so far so the run can still be recorded."""

    def __init__(self, results: list[StageResult]) -> None:
        super().__init__("interrupted")
        self.results = results
