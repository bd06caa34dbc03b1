"""Speed and accuracy of `shipyard bench history`'s change-point detection on 10,000 runs.

Series: 10,000 run medians with CI-like noise (4.5 % log-normal, 3 % slow jobs ×1.2–1.8) and
nine persistent +5 % steps. Anchor run in the same go: ruptures (PyPI, `pip install ruptures`)
binary segmentation and PELT with an L2 cost, penalty tuned to find ~9 steps. Prints the median
of 5 runs of each, the ratio to shipyard, and how many true steps each found within ±10 runs.
Run: python benchmarks/bench_changepoint.py
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable

from shipyard.bench.changepoint import detect

N = 10_000
STEPS = list(range(1000, N, 1000))


def series(seed: int) -> list[float]:
    rng = random.Random(seed)
    level, out = 1.0, []
    for i in range(N):
        if i in STEPS:
            level *= 1.05
        x = level * math.exp(rng.gauss(0, 0.045))
        if rng.random() < 0.03:
            x *= rng.uniform(1.2, 1.8)
        out.append(x)
    return out


def hits(found: list[int]) -> int:
    return sum(any(abs(f - s) <= 10 for f in found) for s in STEPS)


def timed(fn: Callable[[list[float]], list[int]], data: list[float]) -> tuple[float, list[int]]:
    times, found = [], []
    for _ in range(5):
        start = time.perf_counter()
        found = fn(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times), found


def ours(data: list[float]) -> list[int]:
    return [c.index for c in detect(data)]


def anchors() -> dict[str, Callable[[list[float]], list[int]]]:
    try:
        import numpy as np
        import ruptures as rpt
    except ImportError:
        return {}

    def run(algo: type) -> Callable[[list[float]], list[int]]:
        def fn(data: list[float]) -> list[int]:
            signal = np.log(np.asarray(data)).reshape(-1, 1)
            return [int(b) for b in algo(model="l2", min_size=4).fit(signal).predict(pen=0.3)[:-1]]

        return fn

    return {"ruptures Binseg (l2)": run(rpt.Binseg), "ruptures Pelt (l2)": run(rpt.Pelt)}


def main() -> None:
    data = series(7)
    base, found = timed(ours, data)
    print(f"{N} points, {len(STEPS)} true +5 % steps; median of 5 runs")
    print(
        f"{'shipyard E-divisive (pure Python)':36} {base:7.3f} s  ×1.00   "
        f"steps found {hits(found)}/{len(STEPS)}, extra {len(found) - hits(found)}"
    )
    for name, fn in anchors().items():
        took, found = timed(fn, data)
        print(
            f"{name:36} {took:7.3f} s  ×{took / base:.2f}   "
            f"steps found {hits(found)}/{len(STEPS)}, extra {len(found) - hits(found)}"
        )


if __name__ == "__main__":
    main()
