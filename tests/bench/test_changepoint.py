"""Change-point detection on synthetic histories (noise like CI runs, with slow jobs)."""

from __future__ import annotations

import math
import random

from shipyard.bench.changepoint import detect


def series(n: int, steps: dict[int, float], seed: int = 1, spread: float = 0.045) -> list[float]:
    rng = random.Random(seed)
    level, out = 1.0, []
    for i in range(n):
        level *= steps.get(i, 1.0)
        x = level * math.exp(rng.gauss(0, spread))
        if rng.random() < 0.03:
            x *= rng.uniform(1.2, 1.8)  # a slow job
        out.append(x)
    return out


def test_a_big_step_is_found_at_its_commit() -> None:
    found = detect(series(60, {30: 1.5}))
    assert [c.index for c in found] == [30]
    assert 0.4 < found[0].change < 0.6
    assert found[0].p < 0.001


def test_small_persistent_steps_are_named() -> None:
    steps = {i: 1.05 for i in range(500, 3000, 1000)}
    found = detect(series(3000, steps, seed=2))
    for step in steps:
        assert any(abs(c.index - step) <= 10 and 0.03 < c.change < 0.08 for c in found), step


def test_noise_alone_has_no_change_points() -> None:
    for seed in range(3):
        assert detect(series(2000, {}, seed=seed)) == []


def test_improvements_are_negative_changes() -> None:
    found = detect(series(80, {40: 0.7}))
    assert [c.index for c in found] == [40] and found[0].change < -0.2


def test_short_or_non_positive_series_have_none() -> None:
    assert detect([1.0, 2.0, 3.0]) == []
    assert detect([0.0] * 20 + [1.0] * 20) == []


def test_ten_thousand_points_are_handled() -> None:
    steps = {i: 1.2 for i in range(1000, 10000, 2000)}
    found = detect(series(10000, steps, seed=4))
    assert len(found) == len(steps)
