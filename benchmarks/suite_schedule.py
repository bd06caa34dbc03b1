"""The suite's wall time under `pytest -n N`, simulated from per-test durations: how xdist's
`load` scheduler (contiguous chunks, refilled) and its `worksteal` scheduler (one slice per
worker, idle workers steal the tail of the fullest queue) finish the collection, in the order
tests/conftest.py gives it.

    python benchmarks/suite_schedule.py [DURATIONS.json] [-n 4]

DURATIONS defaults to tests/durations.json (seconds per test, from a real `-n 4` run, tests of
a second or more; the rest count 0.3 s). The figures are what the schedule allows, not a
measurement: real workers also share two cores, so a real run is slower by the contention.
Prints, for each scheduler, the simulated wall time, each worker's busy time, and the ideal
(sum / N, never below the longest test).
"""

from __future__ import annotations

import argparse
import heapq
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import _slices  # noqa: E402  (after the path above)

SHORT = 0.3  # a test under a second: not recorded in durations.json


def collection() -> list[str]:
    """The node ids, sorted as conftest.py sorts them (longest first)."""
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [ln for ln in out.splitlines() if "::" in ln]


def simulate(
    queues: list[list[int]], times: list[float], after: Callable[..., None]
) -> list[float]:
    """Run each worker's queue (its head is the running test); `after(k, duration)` is the
    scheduler's turn when worker k finished a test. Returns each worker's busy time."""
    busy = [0.0] * len(queues)
    clock = [(times[q[0]], k) for k, q in enumerate(queues) if q]
    heapq.heapify(clock)
    while clock:
        now, k = heapq.heappop(clock)
        done = queues[k].pop(0)
        busy[k] += times[done]
        after(k, times[done])
        if queues[k]:
            heapq.heappush(clock, (now + times[queues[k][0]], k))
    return busy


def load(times: list[float], n: int) -> list[float]:
    """xdist's LoadScheduling: contiguous chunks of a quarter of each worker's share, then a
    refill to half of the pending share when a queue runs below a quarter of it."""
    pending = list(range(len(times)))
    chunk = max(len(times) // n // 4, 2)
    queues = [pending[k * chunk : (k + 1) * chunk] for k in range(n)]
    del pending[: n * chunk]

    def after(k: int, duration: float) -> None:
        q = queues[k]
        lo, hi = max(2, len(pending) // n // 4), max(2, len(pending) // n // 2)
        if pending and len(q) < lo and not (duration >= 0.1 and len(q) >= 2):
            take = hi - len(q)
            q.extend(pending[:take])
            del pending[:take]

    return simulate(queues, times, after)


def worksteal(times: list[float], n: int) -> list[float]:
    """xdist's WorkStealingScheduling on conftest's slices: a worker left with under 2 tests
    steals half of the fullest queue's tail (keeping 2 there), or stops."""
    queues = _slices(times, n)

    def after(k: int, duration: float) -> None:
        if len(queues[k]) >= 2:
            return
        victim = max(queues, key=len)
        take = min(len(victim) // 2, len(victim) - 2)
        if take > 0:
            queues[k].extend(victim[-take:])
            del victim[-take:]

    return simulate(queues, times, after)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("durations", nargs="?", default=str(ROOT / "tests" / "durations.json"))
    ap.add_argument("-n", type=int, default=4)
    args = ap.parse_args()
    known = {k: float(v) for k, v in json.loads(Path(args.durations).read_text()).items()}
    ids = collection()
    times = sorted((known.get(i, SHORT) for i in ids), reverse=True)
    total = sum(times)
    print(f"{len(ids)} tests, {total:.0f} s of test time, -n {args.n}")
    print(f"ideal: {max(total / args.n, times[0]):.0f} s (longest test {times[0]:.0f} s)")
    for name, fn in (("load (before)", load), ("worksteal + slices (now)", worksteal)):
        busy = fn(times, args.n)
        print(f"{name:26} wall {max(busy):6.0f} s   workers " + " ".join(f"{b:.0f}" for b in busy))


if __name__ == "__main__":
    main()
