"""Simulation study: shipyard's `bench run` decisions on simulated CI machines (issue 18).

It drives the decision code `bench run` uses (verdict.compare with its levels, settle,
calibrate.factor/agreed/explains/relative, level.absorbed, runner.as_comparison) over series of
commits on the base branch, each commit measured in one CI job, recorded as `bench run`
records it (a flagged run is a candidate level; a re-run leaves its own commit's runs out).

Noise model per job (`SAMPLES` samples of one benchmark):
  - a runner factor shared by the job's samples (log-normal, 80 % of the spread) and
    within-job noise per sample (log-normal, 60 %), 2 % outlier samples (×1.5–3);
  - bad runners: 3 % of jobs land on a slower machine (×1.2–1.8) and 3 % on a faster one
    (×0.6–0.85). `persistent` (the default): the machine stays for the whole job, so the
    re-measurements and both calibration timings see it too; `transient`: each
    re-measurement and the second calibration timing draw their own machine state;
  - the calibration workload has its own runner factor (no help from it) and shares only the
    job's machine state;
  - re-runs: a job that fails (exit 1) is re-run once in a new job, as a CI retry would; both
    runs are recorded.
Counted: false alerts (warn or fail) per benchmark-commit on series without a change, false
failures that survive the re-run, and for a step at commit `STEP_AT`: flagged at the culprit,
flagged by the culprit or the `LATER` commits after it (per commit or by the missed-step pass),
and failed culprits whose re-run passes (a retry accepting the regression).
Run: python benchmarks/bench_ci.py [--series 2000] [--transient] [--no-calibrate]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from shipyard.bench import calibrate, level
from shipyard.bench.interface import Direction, Status, Thresholds
from shipyard.bench.runner import as_comparison
from shipyard.bench.verdict import Comparison, Job, compare, settle

SAMPLES = 10
POOL = 10  # `[bench] pool`
HISTORY = 30  # `[bench] history`
REMEASURE = 2  # `[bench] remeasure`
LIMITS = Thresholds()  # warn +20 %, fail +50 %, alpha 0.01, noise prior 5 %
COMMITS = 60  # commits per series without a change
STEP_AT = 40  # the culprit, after a full history
LATER = 10  # commits after the culprit that may still catch a missed step
SMALLER = Direction.SMALLER


@dataclass(frozen=True)
class Machine:
    """How the CI machines behave in one study."""

    spread: float
    persistent: bool
    calibrate: bool

    def state(self, rng: random.Random) -> float:
        """This job's machine: usually as expected, sometimes slower or faster."""
        u = rng.random()
        if u < 0.03:
            return rng.uniform(1.2, 1.8)
        if u < 0.06:
            return rng.uniform(0.6, 0.85)
        return 1.0

    def samples(self, rng: random.Random, centre: float) -> tuple[float, ...]:
        out = []
        for _ in range(SAMPLES):
            x = centre * math.exp(rng.gauss(0, 0.6 * self.spread))
            if rng.random() < 0.02:
                x *= rng.uniform(1.5, 3.0)
            out.append(x)
        return tuple(out)

    def runner(self, rng: random.Random) -> float:
        return math.exp(rng.gauss(0, 0.8 * self.spread))


def job(
    rng: random.Random,
    m: Machine,
    value: float,
    commit: str,
    history: list[Job],
    calib: list[Job],
) -> tuple[Comparison, Job, Job]:
    """One CI job of `bench run` on the base branch: its verdict and what it records."""
    base = [j for j in history if j.commit != commit][-HISTORY:]
    cbase = [j for j in calib if j.commit != commit][-HISTORY:]
    runner, state = m.runner(rng), m.state(rng)

    def again_state() -> float:
        return state if m.persistent else m.state(rng)

    first = m.samples(rng, value * runner * state)
    start = m.samples(rng, m.runner(rng) * state)  # calibration at the start of the job
    verdict = compare(base, first, LIMITS, SMALLER, POOL)
    judged: list[Comparison] = []
    while verdict.status.flagged and len(judged) < 2 * REMEASURE - 1:  # as runner.bench_spec
        again = m.samples(rng, value * runner * again_state())
        judged.append(compare(base, again, LIMITS, SMALLER, POOL))
        decided = settle(verdict, judged, REMEASURE, LIMITS.alpha)
        if decided is not None:
            verdict = decided
            break
    if m.calibrate and verdict.status.flagged:  # as runner._calibrated
        verdict = calibrated(rng, m, verdict, base, cbase, first, start, again_state)
    if verdict.status is Status.OK:  # as runner._steps
        step = level.absorbed(base, verdict.after, LIMITS, SMALLER)
        if step is not None:
            verdict = as_comparison(step, verdict)
    return verdict, Job(commit, first, verdict.status.flagged), Job(commit, start)


def calibrated(
    rng: random.Random,
    m: Machine,
    verdict: Comparison,
    base: list[Job],
    cbase: list[Job],
    first: tuple[float, ...],
    start: tuple[float, ...],
    again_state: Callable[[], float],
) -> Comparison:
    found = calibrate.factor(cbase, start, POOL)
    if found is not None:
        check = m.samples(rng, m.runner(rng) * again_state())
        found = calibrate.agreed(found, calibrate.factor(cbase, check, POOL))
    if found is None or not calibrate.explains(verdict.status, SMALLER, found):
        return verdict
    return calibrate.relative(verdict, base, first, LIMITS, SMALLER, POOL, found)


def alert(c: Comparison) -> bool:
    return c.status in (Status.WARN, Status.FAIL)


@dataclass
class Tally:
    commits: int = 0
    alerts: int = 0
    fails_kept: int = 0  # false failures whose re-run failed too
    at_culprit: int = 0
    by_later: int = 0
    retry_passed: int = 0  # culprit failed, its re-run passed
    culprit_failed: int = 0

    def add(self, other: Tally) -> None:
        for k, v in vars(other).items():
            setattr(self, k, getattr(self, k) + v)


def series(seed: int, m: Machine, step: float) -> Tally:
    rng = random.Random(seed)
    history: list[Job] = []
    calib: list[Job] = []
    t = Tally()
    commits = STEP_AT + 1 + LATER if step else COMMITS
    for i in range(commits):
        value = 1.0 + (step if step and i >= STEP_AT else 0.0)
        verdict, run, cal = job(rng, m, value, f"c{i}", history, calib)
        history.append(run)
        calib.append(cal)
        retry = None
        if verdict.status is Status.FAIL:  # exit 1: CI retries the job
            retry, run2, cal2 = job(rng, m, value, f"c{i}", history, calib)
            history.append(run2)
            calib.append(cal2)
        if not step and i > 0:
            t.commits += 1
            t.alerts += alert(verdict)
            t.fails_kept += retry is not None and retry.status is Status.FAIL
        elif step and i == STEP_AT:
            t.at_culprit += alert(verdict)
            t.by_later += alert(verdict)
            t.culprit_failed += retry is not None
            t.retry_passed += retry is not None and not alert(retry)
        elif step and i > STEP_AT and not t.by_later:
            t.by_later += alert(verdict)
    return t


def _batch(args: tuple[int, int, Machine, float]) -> Tally:
    start, count, m, step = args
    total = Tally()
    for seed in range(start, start + count):
        total.add(series(seed, m, step))
    return total


def study(n: int, m: Machine, step: float, pool: ProcessPoolExecutor) -> Tally:
    chunks = [(s, min(100, n - s), m, step) for s in range(0, n, 100)]
    total = Tally()
    for part in pool.map(_batch, chunks):
        total.add(part)
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=2000)
    parser.add_argument("--transient", action="store_true")
    parser.add_argument("--no-calibrate", action="store_true")
    parser.add_argument("--spreads", default="0.03,0.05,0.10")
    opts = parser.parse_args()
    began = time.perf_counter()
    kind = "transient" if opts.transient else "persistent"
    print(
        f"{opts.series} series per cell; bad runners (3 % slower ×1.2–1.8, 3 % faster "
        f"×0.6–0.85) {kind}; failed jobs re-run once; calibration "
        f"{'off' if opts.no_calibrate else 'on'}"
    )
    print(
        "spread | false alerts / bench-commit | false fails kept after re-run | "
        "+20 % / +30 % / +60 % flagged at culprit | same, by culprit+10 | "
        "failed culprit passing its re-run"
    )
    with ProcessPoolExecutor() as pool:
        for spread in (float(s) for s in opts.spreads.split(",")):
            m = Machine(spread, not opts.transient, not opts.no_calibrate)
            null = study(opts.series, m, 0.0, pool)
            steps = [study(opts.series, m, s, pool) for s in (0.2, 0.3, 0.6)]
            at = " / ".join(f"{s.at_culprit / opts.series:.1%}" for s in steps)
            later = " / ".join(f"{s.by_later / opts.series:.1%}" for s in steps)
            failed = sum(s.culprit_failed for s in steps)
            passed = sum(s.retry_passed for s in steps)
            print(
                f"{spread:4.0%} | {null.alerts / null.commits:.3%} ({null.alerts} of "
                f"{null.commits}) | {null.fails_kept} | {at} | {later} | "
                f"{passed} of {failed}"
            )
    print(f"took {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
