"""Evidence: false alerts and detection of shipyard's verdicts on simulated CI noise.

Noise model per job (one commit measured in one CI job, `SAMPLES` samples):
  - a runner factor shared by every sample of the job (log-normal, 80 % of the spread),
  - within-job noise per sample (log-normal, 60 % of the spread; total = the spread),
  - outlier samples (2 %: ×1.5–3) and slow episodes (3 % of measurement blocks: ×1.2–1.8,
    a noisy neighbour). The re-measurement is a new block in the same job: it shares the
    runner factor, draws its own slow episode (`--persistent` makes it share that too).
  - the calibration workload (see src/shipyard/bench/calibrate.py) is timed at the start of
    every job with its own runner factor (no help from it there) but the job's slow episode;
    when a flag survives re-measurement it is timed again (same episode if persistent, else a
    new draw); a flag is judged relative to the machine only if both timings are slow.
Rules measured on the same series:
  - shipyard: `verdict.compare` against the pooled last `POOL` runs, re-measure (`settle`:
    the best 2 of 3);
    a confirmed flag on the base branch starts a new level (as `bench run` records it);
  - ratio rule (github-action-benchmark style): mean of the job / mean of the previous
    commit's job > 1.2 alerts.
Run: python benchmarks/bench_noise.py [--series 3000] [--persistent] [--no-calibrate]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from shipyard.bench.calibrate import relative, slowdown
from shipyard.bench.interface import Direction, Status, Thresholds
from shipyard.bench.verdict import Comparison, Job, compare, settle

SAMPLES = 10
POOL = 10
SPREAD_HISTORY = 30  # runs used to estimate the job-to-job spread
COMMITS = 60  # commits per simulated series
STEP_AT = 50
REMEASURE = 2  # the default of `[bench] remeasure`
LIMITS = Thresholds()  # the defaults: warn +20 %, fail +50 %, alpha 0.01
CALIBRATE = True  # `[bench] calibrate`: --no-calibrate turns it off


def slow_episode(rng: random.Random) -> float:
    return rng.uniform(1.2, 1.8) if rng.random() < 0.03 else 1.0


def _samples(rng: random.Random, centre: float, spread: float) -> tuple[float, ...]:
    out = []
    for _ in range(SAMPLES):
        x = centre * math.exp(rng.gauss(0, 0.6 * spread))
        if rng.random() < 0.02:
            x *= rng.uniform(1.5, 3.0)
        out.append(x)
    return tuple(out)


def _job(rng: random.Random, spread: float, slow: float) -> tuple[float, ...]:
    """The calibration workload in the same job: its own runner factor, the job's episode."""
    return _samples(rng, math.exp(rng.gauss(0, 0.8 * spread)) * slow, spread)


def judge(
    rng: random.Random,
    spread: float,
    history: list[Job],
    calib: list[Job],
    start: tuple[float, ...],
    first: tuple[float, ...],
    remeasure: Callable[[], tuple[tuple[float, ...], float]],
) -> Comparison:
    """What `bench run` does with one benchmark: compare, re-measure, calibrate."""
    verdict = compare(history[-SPREAD_HISTORY:], first, LIMITS, Direction.SMALLER, POOL)
    slow = 1.0
    judged: list[Comparison] = []
    while verdict.status.flagged and len(judged) < 2 * REMEASURE - 1:  # as runner.bench_spec
        again, slow = remeasure()
        judged.append(compare(history[-SPREAD_HISTORY:], again, LIMITS, Direction.SMALLER, POOL))
        decided = settle(verdict, judged, REMEASURE, LIMITS.alpha)
        if decided is not None:
            verdict = decided
            break
    if verdict.status in (Status.WARN, Status.FAIL) and CALIBRATE:
        factor = slowdown(calib[-SPREAD_HISTORY:], start, POOL)  # as runner._calibrated
        again = slowdown(calib[-SPREAD_HISTORY:], _job(rng, spread, slow), POOL)
        factor = None if factor is None or again is None else min(factor, again)
        if factor is not None:
            verdict = relative(
                verdict, history[-SPREAD_HISTORY:], first, LIMITS, Direction.SMALLER, POOL, factor
            )
    return verdict


def simulate(
    seed: int, spread: float, step: float, persistent: bool
) -> tuple[list[bool], list[bool]]:
    """Flags per commit for (shipyard, ratio rule) on one series with `step` at STEP_AT."""
    rng = random.Random(seed)
    history: list[Job] = []
    calib: list[Job] = []
    ours: list[bool] = []
    ratio: list[bool] = []
    prev_mean = None
    for i in range(COMMITS):
        level = 1.0 + (step if step and i >= STEP_AT else 0.0)
        runner = math.exp(rng.gauss(0, 0.8 * spread))
        slow = slow_episode(rng)
        first = _samples(rng, level * runner * slow, spread)

        def remeasure(
            level: float = level, runner: float = runner, slow: float = slow
        ) -> tuple[tuple[float, ...], float]:
            # a new block in the same job: same runner; its own slow episode unless persistent
            episode = slow if persistent else slow_episode(rng)
            return _samples(rng, level * runner * episode, spread), episode

        start = _job(rng, spread, slow)  # the calibration at the start of the job
        verdict = judge(rng, spread, history, calib, start, first, remeasure)
        ours.append(verdict.status in (Status.WARN, Status.FAIL))
        history.append(Job(str(i), first, new_level=verdict.status.flagged))
        calib.append(Job(str(i), start))
        mean = sum(first) / len(first)
        ratio.append(prev_mean is not None and mean / prev_mean > 1.2)
        prev_mean = mean
    return ours, ratio


def _batch(args: tuple[int, int, float, float, bool]) -> tuple[int, int, int, int, int]:
    start, count, spread, step, persistent = args
    fp_ours = fp_ratio = hit_ours = hit_ratio = evaluated = 0
    for seed in range(start, start + count):
        ours, ratio = simulate(seed, spread, step, persistent)
        if step:
            hit_ours += ours[STEP_AT]
            hit_ratio += ratio[STEP_AT]
        else:
            fp_ours += sum(ours[1:])
            fp_ratio += sum(ratio[1:])
            evaluated += COMMITS - 1
    return fp_ours, fp_ratio, hit_ours, hit_ratio, evaluated


def run(series: int, spread: float, step: float, persistent: bool) -> tuple[int, ...]:
    chunks = [(s, min(250, series - s), spread, step, persistent) for s in range(0, series, 250)]
    with ProcessPoolExecutor() as pool:
        parts = list(pool.map(_batch, chunks))
    return tuple(sum(p[i] for p in parts) for i in range(5))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=3000)
    parser.add_argument("--persistent", action="store_true")
    parser.add_argument("--no-calibrate", action="store_true")
    opts = parser.parse_args()
    global CALIBRATE
    CALIBRATE = not opts.no_calibrate
    began = time.perf_counter()
    print(
        f"{opts.series} series × {COMMITS} commits per cell; slow episodes "
        f"{'persist through the job' if opts.persistent else 'are transient'}; "
        f"calibration {'off' if opts.no_calibrate else 'on'}"
    )
    print(
        "spread  false alerts/bench-commit (shipyard | ratio rule)   "
        "+20%        +30%        +60% flagged at culprit (shipyard | ratio rule)"
    )
    for spread in (0.03, 0.05, 0.10):
        fp_o, fp_r, _, _, n = run(opts.series, spread, 0.0, opts.persistent)
        cells = []
        for step in (0.2, 0.3, 0.6):
            _, _, h_o, h_r, _ = run(opts.series, spread, step, opts.persistent)
            cells.append(f"{h_o / opts.series:6.1%} | {h_r / opts.series:5.1%}")
        print(
            f"{spread:4.0%}    {fp_o / n:8.3%} | {fp_r / n:6.2%}  (of {n})          "
            + "   ".join(cells)
        )
    print(f"took {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
