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
    events = events or Events()
    results: dict[str, StageResult] = {}
    pending = list(instances)
    running: dict[cf.Future[StageResult], Instance] = {}

    def settle(inst: Instance, res: StageResult) -> None:
        results[inst.name] = res
        events.finished(inst, res)
        fatal = res.blocks and res.status is not Status.CANCELLED and inst.stage.critical
        if fatal and not keep_going:
            ctx.kill_all()

    with cf.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        try:
            while pending or running:
                for inst in list(pending):
                    verdict = _verdict(inst, results, ctx.cancelled.is_set())
                    if verdict is None and (len(running) >= jobs or
                                            not all(d in results for d in inst.needs)):
                        continue
                    pending.remove(inst)
                    if verdict is not None:
                        settle(inst, verdict)
                    else:
                        events.started(inst)
                        running[pool.submit(run_instance, inst, ctx)] = inst
                if running:
                    done, _ = cf.wait(running, timeout=0.1, return_when=cf.FIRST_COMPLETED)
                    for fut in done:
                        settle(running.pop(fut), fut.result())
                    events.tick()
        except KeyboardInterrupt:
            ctx.kill_all()
            for fut, inst in running.items():
                results[inst.name] = fut.result()
            for inst in pending:
                results[inst.name] = _result(inst, Status.CANCELLED, "interrupted")
            for res in results.values():
                if res.status is Status.CANCELLED:
                    res.reason = "interrupted"
            raise Interrupted([results[i.name] for i in instances if i.name in results]) from None
    return [results[i.name] for i in instances]


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
    return StageResult(inst.name, status, budget=inst.stage.budget,
                       critical=inst.stage.critical, reason=reason)


class Interrupted(Exception):
    """Ctrl-C during a run; carries the results so far so the run can still be recorded."""

    def __init__(self, results: list[StageResult]) -> None:
        super().__init__("interrupted")
        self.results = results
