"""The parallel scheduler: runs planned instances as a DAG with at most `jobs` at once.

A stage starts when everything it needs has finished and none of it blocks. A blocking result
(failed, timed out, cancelled) marks its dependents BLOCKED; a failing critical stage also
cancels everything else unless `keep_going`. Ctrl-C kills every running process group.
"""

from __future__ import annotations

import concurrent.futures as cf
import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shipyard.pipeline.execute import Context, run_instance
from shipyard.pipeline.model import StageResult, Status
from shipyard.pipeline.plan import Instance

_CANCELLED = "cancelled after a critical failure"


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
            while state.unsettled:
                state.launch_ready()
                state.collect()
        except KeyboardInterrupt:
            raise Interrupted(state.interrupt()) from None
    return [state.results[i.name] for i in instances]


class _Scheduler:
    """Counts, per instance, the needs not yet settled: each settlement touches only its
    dependents, so a run costs O(stages + edges), not a scan of every pending stage per event.
    Ready instances start in plan order (a heap of plan positions)."""

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
        self.running: dict[cf.Future[StageResult], Instance] = {}
        self.unsettled = len(instances)
        self.ready: list[int] = []  # plan positions whose needs have all settled
        self.waiting = [len(set(i.needs)) for i in instances]
        self.dependents: dict[str, list[int]] = {}
        for pos, inst in enumerate(instances):
            for dep in set(inst.needs):
                self.dependents.setdefault(dep, []).append(pos)
        self._settle_from([pos for pos in range(len(instances)) if not self.waiting[pos]])

    def settle(self, inst: Instance, res: StageResult) -> None:
        self._settle_from([], (inst, res))

    def _settle_from(
        self, newly_ready: list[int], first: tuple[Instance, StageResult] | None = None
    ) -> None:
        """Record `first`, then settle or queue what becomes ready, with a worklist: a chain
        of thousands of blocked stages must not recurse."""
        todo = [first] if first else []
        heapq.heapify(newly_ready)  # settled in plan order, as they would start
        while todo or newly_ready:
            if not todo:
                pos = heapq.heappop(newly_ready)
                inst = self.instances[pos]
                verdict = _verdict(inst, self.results, self.ctx.cancelled.is_set())
                if verdict is None:
                    heapq.heappush(self.ready, pos)
                else:
                    todo.append((inst, verdict))
                continue
            inst, res = todo.pop()
            self.results[inst.name] = res
            self.unsettled -= 1
            self.events.finished(inst, res)
            fatal = res.blocks and res.status is not Status.CANCELLED and inst.stage.critical
            if fatal and not self.keep_going:
                self.ctx.kill_all()
            for pos in self.dependents.get(inst.name, ()):
                self.waiting[pos] -= 1
                if not self.waiting[pos]:
                    heapq.heappush(newly_ready, pos)

    def launch_ready(self) -> None:
        while self.ready:
            if self.ctx.cancelled.is_set():
                inst = self.instances[heapq.heappop(self.ready)]
                self.settle(inst, _result(inst, Status.CANCELLED, _CANCELLED))
            elif len(self.running) < self.jobs:
                inst = self.instances[heapq.heappop(self.ready)]
                self.events.started(inst)
                self.running[self.pool.submit(run_instance, inst, self.ctx)] = inst
            else:
                return

    def collect(self) -> None:
        if not self.running:
            if self.unsettled:  # only a need outside the plan could leave this state
                raise RuntimeError("scheduler: stages wait on needs that are not planned")
            return
        done, _ = cf.wait(self.running, timeout=0.1, return_when=cf.FIRST_COMPLETED)
        for fut in done:
            self.settle(self.running.pop(fut), fut.result())
        self.events.tick()

    def interrupt(self) -> list[StageResult]:
        self.ctx.kill_all()
        for fut, inst in self.running.items():
            self.results[inst.name] = fut.result()
        for inst in self.instances:
            if inst.name not in self.results:
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
        return _result(inst, Status.CANCELLED, _CANCELLED)
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
